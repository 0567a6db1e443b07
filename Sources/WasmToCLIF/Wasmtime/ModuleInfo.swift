import Wasm

/// Facts about a module that translation needs, computed once per module: index spaces with
/// imports first, exports, function types, and which functions escape (get a `VMFuncRef`).
public struct ModuleInfo: Sendable {
    public let module: Module
    public let types: [SubType]
    /// The type index of every function, imports first.
    public let functionTypes: [UInt32]
    public let importedFunctionCount: Int
    public let memories: [MemoryType]
    public let importedMemoryCount: Int
    public let tables: [TableType]
    public let importedTableCount: Int
    public let globals: [GlobalType]
    /// The initialiser of each global (nil for imports).
    public let globalInitializers: [ConstExpr?]
    public let importedGlobalCount: Int
    public let tags: [TagType]
    public let importedTagCount: Int
    public let exportedFunctions: Set<UInt32>
    public let exportedMemories: Set<UInt32>
    public let exportedTables: Set<UInt32>
    public let exportedGlobals: Set<UInt32>
    /// The `FuncRefIndex` of each escaping function.
    public let escapedFunctionIndex: [UInt32: UInt32]
    /// The index of each type after equal rec groups are merged (Wasmtime's `ModuleInternedTypeIndex`).
    public let internedTypes: [UInt32]
    /// How many interned types the module's type section makes (rec groups and trampoline types);
    /// Wasmtime's exception types for tags are numbered from here.
    public let internedTypeCount: UInt32
    /// Whether any non-nullable reference type appears (then nullability needs operand types).
    public let usesNonNullableReferences: Bool

    public init(_ module: Module) {
        self.module = module
        types = module.typeList
        var functionTypes: [UInt32] = []
        var memories: [MemoryType] = []
        var tables: [TableType] = []
        var globals: [GlobalType] = []
        var initializers: [ConstExpr?] = []
        var tags: [TagType] = []
        for entry in module.imports {
            switch entry.kind {
            case .function(let type), .exactFunction(let type): functionTypes.append(type)
            case .memory(let type): memories.append(type)
            case .table(let type): tables.append(type)
            case .global(let type): globals.append(type); initializers.append(nil)
            case .tag(let type): tags.append(type)
            }
        }
        importedFunctionCount = functionTypes.count
        importedMemoryCount = memories.count
        importedTableCount = tables.count
        importedGlobalCount = globals.count
        importedTagCount = tags.count
        functionTypes += module.functions.map(\.typeIndex)
        memories += module.memories
        tables += module.tables.map(\.type)
        for global in module.globals {
            globals.append(global.type)
            initializers.append(global.initializer)
        }
        tags += module.tags
        self.functionTypes = functionTypes
        self.memories = memories
        self.tables = tables
        self.globals = globals
        self.globalInitializers = initializers
        self.tags = tags

        var exported: [ExternalKind: Set<UInt32>] = [:]
        for export in module.exports { exported[export.kind, default: []].insert(export.index) }
        exportedFunctions = exported[.function] ?? []
        exportedMemories = exported[.memory] ?? []
        exportedTables = exported[.table] ?? []
        exportedGlobals = exported[.global] ?? []

        // Escaping functions in the order Wasmtime's module environment discovers them.
        var escaped: [UInt32: UInt32] = [:]
        func escape(_ function: UInt32) {
            if escaped[function] == nil { escaped[function] = UInt32(escaped.count) }
        }
        for index in 0..<UInt32(functionTypes.count) where index < UInt32(importedFunctionCount) { escape(index) }
        func scan(_ expression: ConstExpr) {
            for instruction in expression.instructions where instruction.opcode == .refFunc {
                if case .index(let function) = instruction.immediates { escape(function) }
            }
        }
        for table in module.tables { if let initializer = table.initializer { scan(initializer) } }
        for global in module.globals { scan(global.initializer) }
        for export in module.exports where export.kind == .function { escape(export.index) }
        for segment in module.elements {
            switch segment.items {
            case .functions(let indices): indices.forEach(escape)
            case .expressions(_, let expressions): expressions.forEach(scan)
            }
        }
        escapedFunctionIndex = escaped

        // Wasmtime's `ModuleTypesBuilder`: a rec group equal to an earlier one reuses its interned
        // indices; a new group is appended, followed by the trampoline type (references widened to
        // their nullable top type) of each member function type that differs from it.
        var interned: [UInt32] = []
        var groupStart: [[SubType]: UInt32] = [:]
        var trampolines: [FunctionType: UInt32] = [:]
        var next: UInt32 = 0
        var firstIndex: UInt32 = 0
        let flatTypes = module.typeList
        func top(_ heapType: HeapType) -> AbstractHeapType {
            switch heapType {
            case .abstract(let abstract, _):
                switch abstract {
                case .func, .nofunc: return .func
                case .extern, .noextern: return .extern
                case .exn, .noexn: return .exn
                case .cont, .nocont: return .cont
                default: return .any
                }
            case .concrete(let index), .exact(let index):
                guard Int(index) < flatTypes.count else { return .any }
                switch flatTypes[Int(index)].composite.kind {
                case .function: return .func
                case .continuation: return .cont
                default: return .any
                }
            }
        }
        func widen(_ type: ValueType) -> ValueType {
            if case .ref(let ref) = type { return .ref(RefType(nullable: true, heapType: .abstract(top(ref.heapType)))) }
            return type
        }
        for group in module.types {
            let start = firstIndex
            let count = UInt32(group.types.count)
            func canonical(_ index: UInt32) -> UInt32 {
                if index >= start && index < start + count { return 0x8000_0000 | (index - start) }
                return Int(index) < interned.count ? interned[Int(index)] : index
            }
            let key = group.types.map { ModuleInfo.canonicalize($0, canonical) }
            if let existing = groupStart[key] {
                interned += (0..<count).map { existing + $0 }
            } else {
                let base = next
                groupStart[key] = base
                interned += (0..<count).map { base + $0 }
                next += count
                for (offset, member) in group.types.enumerated() {
                    guard let function = member.functionType else { continue }
                    let trampoline = FunctionType(parameters: function.parameters.map(widen), results: function.results.map(widen))
                    if trampolines[trampoline] != nil { continue }
                    if trampoline == function {
                        trampolines[trampoline] = base + UInt32(offset)
                    } else {
                        trampolines[trampoline] = next
                        next += 1
                    }
                }
            }
            firstIndex += count
        }
        internedTypes = interned
        internedTypeCount = next

        func nonNull(_ type: ValueType) -> Bool {
            if case .ref(let ref) = type { return !ref.nullable }
            return false
        }
        var usesNonNull = false
        for type in module.typeList {
            switch type.composite.kind {
            case .function(let function): usesNonNull = usesNonNull || (function.parameters + function.results).contains(where: nonNull)
            case .struct(let fields): usesNonNull = usesNonNull || fields.contains { if case .value(let v) = $0.storage { nonNull(v) } else { false } }
            case .array(let field): usesNonNull = usesNonNull || { if case .value(let v) = field.storage { nonNull(v) } else { false } }()
            case .continuation: break
            }
        }
        usesNonNull = usesNonNull || globals.contains { nonNull($0.valueType) } || tables.contains { !$0.elementType.nullable }
            || module.functions.contains { $0.locals.contains { nonNull($0.type) } }
        usesNonNullableReferences = usesNonNull
    }

    public func functionType(_ typeIndex: UInt32) -> FunctionType? {
        Int(typeIndex) < types.count ? types[Int(typeIndex)].functionType : nil
    }

    /// The function type a continuation type wraps (stack switching).
    public func continuationFunctionType(_ typeIndex: UInt32) -> FunctionType? {
        guard Int(typeIndex) < types.count, case .continuation(let function) = types[Int(typeIndex)].composite.kind else { return nil }
        return functionType(function)
    }

    /// The function type of a tag's signature.
    public func tagFunctionType(_ tag: UInt32) -> FunctionType? {
        Int(tag) < tags.count ? functionType(tags[Int(tag)].typeIndex) : nil
    }

    /// A type with every type index rewritten by `map`, for comparing rec groups.
    static func canonicalize(_ type: SubType, _ map: (UInt32) -> UInt32) -> SubType {
        func heap(_ heapType: HeapType) -> HeapType {
            switch heapType {
            case .abstract: heapType
            case .concrete(let index): .concrete(map(index))
            case .exact(let index): .exact(map(index))
            }
        }
        func value(_ type: ValueType) -> ValueType {
            if case .ref(let ref) = type { return .ref(RefType(nullable: ref.nullable, heapType: heap(ref.heapType))) }
            return type
        }
        func field(_ field: FieldType) -> FieldType {
            if case .value(let type) = field.storage { return FieldType(storage: .value(value(type)), mutable: field.mutable) }
            return field
        }
        var result = type
        result.supertype = type.supertype.map(map)
        switch type.composite.kind {
        case .function(let function):
            result.composite.kind = .function(FunctionType(parameters: function.parameters.map(value), results: function.results.map(value)))
        case .struct(let fields): result.composite.kind = .struct(fields.map(field))
        case .array(let element): result.composite.kind = .array(field(element))
        case .continuation(let index): result.composite.kind = .continuation(map(index))
        }
        result.composite.descriptor = type.composite.descriptor.map(map)
        result.composite.describes = type.composite.describes.map(map)
        return result
    }

    public func internedTypeIndex(_ typeIndex: UInt32) -> UInt32 {
        Int(typeIndex) < internedTypes.count ? internedTypes[Int(typeIndex)] : typeIndex
    }

    public func isImportedFunction(_ index: UInt32) -> Bool { Int(index) < importedFunctionCount }
    public var definedMemoryCount: Int { memories.count - importedMemoryCount }
}
