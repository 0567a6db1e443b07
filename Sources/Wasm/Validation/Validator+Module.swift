extension ModuleValidator {
    // MARK: Types

    mutating func validateTypes() {
        let all = types.types
        for (index, type) in all.enumerated() {
            let item = ModuleItem.type(index)
            let limit = types.groupEnd[index]
            func checkValue(_ value: ValueType) -> Bool {
                guard case .ref(let reference) = value else { return true }
                switch reference.heapType {
                case .abstract: return true
                case .concrete(let i), .exact(let i): return Int(i) < limit
                }
            }
            var valid = true
            switch type.composite.kind {
            case .function(let function):
                valid = function.parameters.allSatisfy(checkValue) && function.results.allSatisfy(checkValue)
            case .struct(let fields):
                valid = fields.allSatisfy { if case .value(let v) = $0.storage { checkValue(v) } else { true } }
            case .array(let field):
                if case .value(let v) = field.storage { valid = checkValue(v) }
            case .continuation(let i):
                if Int(i) >= limit {
                    valid = false
                } else if types.functionType(i) == nil {
                    report(ValidationError("type mismatch: continuation type must refer to a function type", at: item))
                    continue
                }
            }
            guard valid else {
                report(ValidationError("unknown type: type index out of bounds", at: item))
                continue
            }
            if let supertype = type.supertype {
                guard Int(supertype) < index else {
                    report(ValidationError("unknown type \(supertype): supertype must be defined before its subtype", at: item))
                    continue
                }
                let parent = all[Int(supertype)]
                let note = [ValidationNote("super type defined here", at: .type(Int(supertype)))]
                if parent.isFinal {
                    report(ValidationError("sub type \(index) cannot have a final super type \(supertype)", at: item, related: note))
                    continue
                }
                if !types.isSubtype(type.composite, parent.composite) {
                    report(ValidationError("sub type \(index) does not match super type \(supertype)", at: item, related: note))
                    continue
                }
            }
            validateDescriptors(index, type)
        }
    }

    mutating func validateDescriptors(_ index: Int, _ type: SubType) {
        let item = ModuleItem.type(index)
        let start = types.groupStart[index]
        let end = types.groupEnd[index]
        if let descriptor = type.composite.descriptor {
            guard case .struct = type.composite.kind else {
                return report(ValidationError("descriptor type must be a struct", at: item))
            }
            guard Int(descriptor) >= start, Int(descriptor) < end else {
                return report(ValidationError("descriptor type is outside rec group", at: item))
            }
            let other = types.types[Int(descriptor)]
            guard case .struct = other.composite.kind else { return }
            guard other.composite.describes == UInt32(index) else {
                return report(ValidationError("type is not described by its descriptor", at: item))
            }
        }
        if let described = type.composite.describes {
            guard case .struct = type.composite.kind else {
                return report(ValidationError("described type must be a struct", at: item))
            }
            guard Int(described) >= start, Int(described) < end else {
                return report(ValidationError("described type is outside rec group", at: item))
            }
            guard Int(described) < index else {
                return report(ValidationError("forward use of described type", at: item))
            }
            guard types.types[Int(described)].composite.descriptor == UInt32(index) else {
                return report(ValidationError("described type is not described by descriptor", at: item))
            }
        }
        if let supertype = type.supertype, Int(supertype) < types.count {
            let parent = types.types[Int(supertype)].composite
            switch (type.composite.descriptor, parent.descriptor) {
            case (nil, nil): break
            case (let mine?, let theirs?):
                if !types.isDeclaredSubtype(Int(mine), Int(theirs)) {
                    report(ValidationError("sub type \(index) does not match super type \(supertype): descriptor type \(mine) does not match", at: item))
                }
            case (nil, _?): report(ValidationError("sub type \(index) does not match super type \(supertype): type without descriptor", at: item))
            case (_?, nil): break
            }
            switch (type.composite.describes, parent.describes) {
            case (nil, nil): break
            case (let mine?, let theirs?):
                if !types.isDeclaredSubtype(Int(mine), Int(theirs)) {
                    report(ValidationError("sub type \(index) does not match super type \(supertype): described type \(mine) does not match", at: item))
                }
            default: report(ValidationError("sub type \(index) does not match super type \(supertype): described types differ", at: item))
            }
        }
    }

    // MARK: Value types outside functions

    func valueTypeError(_ type: ValueType, at item: ModuleItem) -> ValidationError? {
        guard case .ref(let reference) = type else { return nil }
        switch reference.heapType {
        case .abstract: return nil
        case .concrete(let i), .exact(let i):
            return Int(i) < types.count ? nil : ValidationError("unknown type: type index out of bounds", at: item)
        }
    }

    mutating func checkFunctionTypeIndex(_ index: UInt32, at item: ModuleItem) -> Bool {
        guard Int(index) < types.count else {
            report(ValidationError("unknown type \(index): type index out of bounds", at: item))
            return false
        }
        guard types.functionType(index) != nil else {
            report(ValidationError("type mismatch: type \(index) is not a function type", at: item,
                                   related: [ValidationNote("type defined here", at: .type(Int(index)))]))
            return false
        }
        return true
    }

    mutating func checkTag(_ tag: TagType, at item: ModuleItem) {
        guard checkFunctionTypeIndex(tag.typeIndex, at: item), let type = types.functionType(tag.typeIndex) else { return }
        if !type.results.isEmpty { report(ValidationError("non-empty tag result type", at: item)) }
    }

    mutating func checkLimits(_ limits: Limits, isMemory: Bool, at item: ModuleItem) {
        if let max = limits.max, limits.min > max {
            report(ValidationError("size minimum must not be greater than maximum", at: item))
        }
        if isMemory {
            if let log2 = limits.pageSizeLog2, log2 != 0, log2 != 16 {
                return report(ValidationError("invalid custom page size", at: item))
            }
            let pageLog2 = UInt64(limits.pageSizeLog2 ?? 16)
            let bound: UInt64 = limits.is64 ? (pageLog2 == 0 ? UInt64.max : UInt64(1) << (64 - pageLog2)) : UInt64(1) << (32 - pageLog2)
            let description: String = limits.is64
                ? (pageLog2 == 16 ? "2**48" : "\(bound)")
                : (pageLog2 == 16 ? "65536" : "\(bound)")
            let suffix = !limits.is64 && pageLog2 == 16 ? " (4GiB)" : ""
            let u32 = UInt64(UInt32.max)
            if limits.min > bound || (limits.max ?? 0) > bound
                || !limits.is64 && (limits.min > u32 || (limits.max ?? 0) > u32)
            {
                report(ValidationError("memory size must be at most \(description) pages\(suffix)", at: item))
            }
            if limits.shared, limits.max == nil {
                report(ValidationError("shared memory must have maximum size", at: item))
            }
        } else if !limits.is64, limits.min > UInt64(UInt32.max) || (limits.max ?? 0) > UInt64(UInt32.max) {
            report(ValidationError("table size must be at most 2**32-1", at: item))
        }
    }

    mutating func checkTableType(_ type: TableType, at item: ModuleItem) {
        if let error = valueTypeError(.ref(type.elementType), at: item) { report(error) }
        checkLimits(type.limits, isMemory: false, at: item)
    }

    mutating func checkGlobalType(_ type: GlobalType, at item: ModuleItem) {
        if let error = valueTypeError(type.valueType, at: item) { report(error) }
    }

    // MARK: Sections

    mutating func validateImports() {
        for (index, entry) in module.imports.enumerated() {
            let item = ModuleItem.import(index)
            switch entry.kind {
            case .function(let type), .exactFunction(let type): _ = checkFunctionTypeIndex(type, at: item)
            case .table(let type): checkTableType(type, at: item)
            case .memory(let type): checkLimits(type.limits, isMemory: true, at: item)
            case .global(let type): checkGlobalType(type, at: item)
            case .tag(let tag): checkTag(tag, at: item)
            }
        }
    }

    mutating func validateFunctionDeclarations() {
        for (index, function) in module.functions.enumerated() {
            _ = checkFunctionTypeIndex(function.typeIndex, at: .functionDeclaration(index))
        }
    }

    mutating func validateTables() {
        let importedGlobals = module.importCount(of: .global)
        for (index, table) in module.tables.enumerated() {
            let item = ModuleItem.table(index)
            checkTableType(table.type, at: item)
            if let initializer = table.initializer {
                validateConstant(initializer, type: .ref(table.type.elementType), owner: item, visibleGlobals: importedGlobals)
            } else if !table.type.elementType.nullable {
                report(ValidationError("type mismatch: non-defaultable element type \(table.type.elementType.validationName) needs an initializer", at: item))
            }
        }
    }

    mutating func validateCounts() {
        if !options.allowsMultipleMemories, context.memories.count > 1 {
            report(ValidationError("multiple memories", at: context.memoryItems[1]))
        }
        if !options.allowsMultipleTables, context.tables.count > 1 {
            report(ValidationError("multiple tables", at: context.tableItems[1]))
        }
    }

    mutating func validateMemories() {
        for (index, memory) in module.memories.enumerated() {
            checkLimits(memory.limits, isMemory: true, at: .memory(index))
        }
    }

    mutating func validateTags() {
        for (index, tag) in module.tags.enumerated() { checkTag(tag, at: .tag(index)) }
    }

    mutating func validateGlobals() {
        let importedGlobals = module.importCount(of: .global)
        for (index, global) in module.globals.enumerated() {
            let item = ModuleItem.global(index)
            checkGlobalType(global.type, at: item)
            context.globals.append(global.type)
            context.globalItems.append(item)
            validateConstant(global.initializer, type: global.type.valueType, owner: item,
                             visibleGlobals: importedGlobals + index)
        }
    }

    mutating func validateExports() {
        var names = Set<[UInt8]>()
        for (index, export) in module.exports.enumerated() {
            let item = ModuleItem.export(index)
            if !names.insert(Array(export.name.utf8)).inserted {
                report(ValidationError("duplicate export name \"\(export.name)\"", at: item))
            }
            let count: Int
            switch export.kind {
            case .function: count = context.functionTypes.count
            case .table: count = context.tables.count
            case .memory: count = context.memories.count
            case .global: count = context.globals.count
            case .tag: count = context.tags.count
            }
            if Int(export.index) >= count {
                report(ValidationError("unknown \(export.kind == .function ? "function" : export.kind.name) \(export.index): exported index out of bounds", at: item))
            }
        }
    }

    mutating func validateStart() {
        guard let start = module.start else { return }
        guard Int(start) < context.functionTypes.count else {
            return report(ValidationError("unknown function \(start): start function index out of bounds", at: .start))
        }
        if let type = context.functionType(ofFunction: start), !type.parameters.isEmpty || !type.results.isEmpty {
            report(ValidationError("start function must have type [] -> []", at: .start,
                                   related: [ValidationNote("function declared here", at: context.functionItems[Int(start)])]))
        }
    }

    mutating func validateElements() {
        let allGlobals = context.globals.count
        for (index, segment) in module.elements.enumerated() {
            let item = ModuleItem.element(index)
            let elementType: RefType
            switch segment.items {
            case .functions(let indices):
                elementType = RefType(nullable: false, heapType: .abstract(.func))
                if let bad = indices.first(where: { Int($0) >= context.functionTypes.count }) {
                    report(ValidationError("unknown function \(bad): function index out of bounds", at: item))
                }
            case .expressions(let type, let expressions):
                elementType = type
                if let error = valueTypeError(.ref(type), at: item) {
                    report(error)
                    continue
                }
                for expression in expressions {
                    validateConstant(expression, type: .ref(type), owner: item, visibleGlobals: allGlobals)
                }
            }
            if case .active(let tableIndex, let offset) = segment.mode {
                let table = Int(tableIndex ?? 0)
                guard table < context.tables.count else {
                    report(ValidationError("unknown table \(table): table index out of bounds", at: item))
                    continue
                }
                validateConstant(offset, type: context.addressType(ofTable: table), owner: item, visibleGlobals: allGlobals)
                if !types.isSubtype(elementType, context.tables[table].elementType) {
                    report(ValidationError("type mismatch: elem segment of type \(elementType.validationName) does not fit table of type \(context.tables[table].elementType.validationName)",
                                           at: item, related: [ValidationNote("table defined here", at: context.tableItems[table])]))
                }
            }
        }
    }

    mutating func validateData() {
        let allGlobals = context.globals.count
        for (index, segment) in module.data.enumerated() {
            guard case .active(let memory, let offset) = segment.mode else { continue }
            let item = ModuleItem.data(index)
            guard Int(memory) < context.memories.count else {
                report(ValidationError("unknown memory \(memory)", at: item))
                continue
            }
            validateConstant(offset, type: context.addressType(ofMemory: Int(memory)), owner: item, visibleGlobals: allGlobals)
        }
    }
}
