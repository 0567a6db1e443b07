import SourceText
import Wasm

extension Lowerer {
    mutating func lowerItems() {
        for type in implicitTypes { scope.typeInfo.append(.function(type)) }
        var typeIndex = 0
        for item in items {
            switch item {
            case .type(let definition):
                sourceMap.itemRanges[.recGroup(module.types.count)] = definition.range
                sourceMap.itemRanges[.type(typeIndex)] = definition.range
                typeIndex += 1
                module.types.append(RecGroup(lower(definition)))
            case .recursiveGroup(let group):
                sourceMap.itemRanges[.recGroup(module.types.count)] = group.range
                var members: [SubType] = []
                for definition in group.types {
                    sourceMap.itemRanges[.type(typeIndex)] = definition.range
                    typeIndex += 1
                    members.append(lower(definition))
                }
                module.types.append(RecGroup(types: members, isExplicit: true))
            case .import(let item):
                sourceMap.itemRanges[.import(module.imports.count)] = item.range
                let kind: ImportKind
                switch item.description {
                case .function(let use, let exact):
                    let index = self.typeIndex(of: use)
                    kind = exact ? .exactFunction(index) : .function(index)
                case .table(let type): kind = .table(lower(type))
                case .memory(let type): kind = .memory(lower(type))
                case .global(let type): kind = .global(lower(type))
                case .tag(let use): kind = .tag(TagType(typeIndex: self.typeIndex(of: use)))
                }
                module.imports.append(Import(module: item.module.text, name: item.name.text, kind: kind))
            case .function(let function):
                lowerFunction(function)
            case .table(let table, let type, let initializer):
                sourceMap.itemRanges[.table(module.tables.count)] = table.range
                module.tables.append(Table(type: lower(type), initializer: initializer.map { constant($0) }))
            case .memory(let memory, let type):
                sourceMap.itemRanges[.memory(module.memories.count)] = memory.range
                module.memories.append(lower(type))
            case .global(let global):
                sourceMap.itemRanges[.global(module.globals.count)] = global.range
                let initializer = global.initializer.map { constant($0) } ?? ConstExpr([.end])
                module.globals.append(Global(type: lower(global.type), initializer: initializer))
            case .tag(let tag):
                sourceMap.itemRanges[.tag(module.tags.count)] = tag.range
                module.tags.append(TagType(typeIndex: self.typeIndex(of: tag.type)))
            case .export(let export):
                sourceMap.itemRanges[.export(module.exports.count)] = export.range
                let space: IndexSpace
                switch export.kind {
                case .function: space = .function
                case .table: space = .table
                case .memory: space = .memory
                case .global: space = .global
                case .tag: space = .tag
                }
                module.exports.append(Export(name: export.name.text, kind: export.kind, index: index(export.index, space)))
            case .start(let index, let range):
                if let previous = sourceMap.itemRanges[.start] {
                    diagnostics.append(.error("multiple start sections", at: range, code: "wat-syntax",
                                              related: [RelatedLocation(range: previous, message: "first start here")]))
                }
                sourceMap.itemRanges[.start] = range
                module.start = self.index(index, .function)
            case .element(let element):
                sourceMap.itemRanges[.element(module.elements.count)] = element.range
                let mode: ElementSegment.Mode
                switch element.mode {
                case .passive: mode = .passive
                case .declarative: mode = .declarative
                case .active(let table, let offset):
                    mode = .active(table: table.map { index($0, .table) }, offset: constant(offset))
                }
                let items: ElementSegment.Items
                switch element.payload {
                case .functions(let indices):
                    items = .functions(indices.map { index($0, .function) })
                case .expressions(let type, let expressions):
                    items = .expressions(lower(type), expressions.map { constant($0) })
                }
                module.elements.append(ElementSegment(mode: mode, items: items))
            case .data(let data):
                sourceMap.itemRanges[.data(module.data.count)] = data.range
                let mode: DataSegment.Mode
                switch data.mode {
                case .passive: mode = .passive
                case .active(let memory, let offset):
                    mode = .active(memory: memory.map { index($0, .memory) } ?? 0, offset: constant(offset))
                }
                module.data.append(DataSegment(mode: mode, bytes: Lowerer.joined(data.data)))
            case .custom(let custom):
                sourceMap.itemRanges[.customSection(module.customSections.count)] = custom.range
                module.customSections.append(CustomSection(name: custom.name.text, payload: Lowerer.joined(custom.data),
                                                           placement: Lowerer.placement(custom.placement)))
            }
        }
        for type in implicitTypes {
            sourceMap.itemRanges[.recGroup(module.types.count)] = TextRange(at: 0)
            module.types.append(RecGroup(SubType(function: lower(type))))
        }
    }

    static func placement(_ placement: CustomPlacementSyntax) -> CustomSection.Placement {
        func section(_ anchor: CustomPlacementSyntax.Anchor) -> SectionID {
            switch anchor {
            case .type: .type
            case .import: .import
            case .func: .function
            case .table: .table
            case .memory: .memory
            case .global: .global
            case .export: .export
            case .start: .start
            case .elem: .element
            case .code: .code
            case .data: .data
            case .datacount: .dataCount
            case .tag: .tag
            }
        }
        switch placement {
        case .beforeFirst: return .beforeFirst
        case .afterLast: return .afterLast
        case .before(let anchor): return .before(section(anchor))
        case .after(let anchor): return .after(section(anchor))
        }
    }

    /// A constant expression (no labels or locals) with its final `end`.
    mutating func constant(_ expression: ExpressionSyntax) -> ConstExpr {
        var context = BodyContext()
        var instructions: [Instruction] = []
        instructions.reserveCapacity(expression.instructions.count + 1)
        for instruction in expression.instructions {
            instructions.append(lower(instruction, &context))
        }
        instructions.append(.end)
        return ConstExpr(instructions)
    }

    mutating func lowerFunction(_ function: FunctionSyntax) {
        let definedIndex = definedIndexOffset + module.functions.count
        sourceMap.itemRanges[.functionDeclaration(definedIndex)] = function.type.range.isEmpty ? function.range : function.type.range
        sourceMap.itemRanges[.functionBody(definedIndex)] = function.range
        failed = false
        let typeIndex = self.typeIndex(of: function.type)
        var context = BodyContext()
        if let inline = function.type.inline {
            for param in inline.params { _ = context.locals.register(param.id, space: .local, diagnostics: &diagnostics) }
        } else if Int(typeIndex) < scope.typeInfo.count, case .function(let type) = scope.typeInfo[Int(typeIndex)] {
            context.locals.count = UInt32(type.params.count)
        }
        var groups: [LocalGroup] = []
        var groupRanges: [TextRange] = []
        for local in function.locals {
            _ = context.locals.register(local.id, space: .local, diagnostics: &diagnostics)
            let type = lower(local.type)
            if let last = groups.last, last.type == type {
                groups[groups.count - 1].count += 1
                groupRanges[groupRanges.count - 1] = groupRanges[groupRanges.count - 1].union(local.range)
            } else {
                groups.append(LocalGroup(count: 1, type: type))
                groupRanges.append(local.range)
            }
        }
        for (index, range) in groupRanges.enumerated() {
            sourceMap.itemRanges[.localGroup(function: definedIndex, index: index)] = range
        }
        var body: [Instruction] = []
        body.reserveCapacity(function.body.instructions.count + 1)
        for instruction in function.body.instructions {
            body.append(lower(instruction, &context))
        }
        let endRange = TextRange(start: max(function.range.start, function.range.end - 1), end: function.range.end)
        body.append(.end)
        if function.body.hasErrors || failed {
            module.functions.append(.placeholder(typeIndex: typeIndex))
            sourceMap.bodies.append(SourceMap.BodyRanges(instructions: [], end: endRange, placeholder: function.body.range))
        } else {
            module.functions.append(Function(typeIndex: typeIndex, locals: groups, body: body))
            sourceMap.bodies.append(SourceMap.BodyRanges(instructions: function.body.instructions, end: endRange))
        }
        labelNamesPerFunction.append(context.labelNames)
        failed = false
    }
}

/// Locals and the open blocks while lowering one body.
struct BodyContext {
    var locals = Namespace()
    var labels: [Identifier?] = []
    /// Label names in block order, for the name section.
    var labelNames: [(index: UInt32, name: String)] = []
    var blockCount: UInt32 = 0
}

extension Lowerer {
    /// The bytes of a string list; a single string shares its buffer with the syntax instead of a
    /// copy (data segments and DWARF custom sections are usually one long string).
    static func joined(_ strings: [StringSyntax]) -> [UInt8] {
        strings.count == 1 ? strings[0].bytes : strings.flatMap(\.bytes)
    }
}
