import SourceText
import Wasm

/// A text module lowered to the binary module model, with the diagnostics found on the way
/// (unknown and duplicate names, misplaced imports), the resolved names and the source map.
public struct LoweredModule: Sendable {
    public var module: Module
    public var diagnostics: [Diagnostic]
    public var resolution: NameResolution
    public var sourceMap: SourceMap
    /// The module-level names and types a single function field is lowered against.
    public var functionContext: FunctionLoweringContext
}

/// One module field after inline imports, exports, data and elements are pulled out, in the
/// order wasm-tools processes them.
enum LoweringItem {
    case type(TypeDefinitionSyntax)
    case recursiveGroup(RecGroupSyntax)
    case `import`(ImportItemSyntax)
    case function(FunctionSyntax)
    case table(TableSyntax, TableTypeSyntax, initializer: ExpressionSyntax?)
    case memory(MemorySyntax, MemoryTypeSyntax)
    case global(GlobalSyntax)
    case tag(TagSyntax)
    case export(ExportSyntax)
    case start(IndexSyntax, TextRange)
    case element(ElementSyntax)
    case data(DataSyntax)
    case custom(CustomSectionSyntax)
}

/// A function type as a key for type deduplication: value types as written, without ranges
/// (wasm-tools compares types before names are resolved).
struct FunctionKey: Hashable {
    var params: [ValueTypeSyntax]
    var results: [ValueTypeSyntax]

    init(_ type: FunctionTypeSyntax) {
        params = type.params.map { FunctionKey.strip($0.type) }
        results = type.results.map(FunctionKey.strip)
    }

    static func strip(_ type: ValueTypeSyntax) -> ValueTypeSyntax {
        guard case .ref(var ref) = type else { return type }
        switch ref.heap {
        case .concrete(var index):
            index.range = TextRange(at: 0)
            ref.heap = .concrete(index)
        case .exact(var index):
            index.range = TextRange(at: 0)
            ref.heap = .exact(index)
        case .abstract:
            break
        }
        return .ref(ref)
    }
}

/// What lowering knows about each type index: its function signature when it is one.
enum TypeInfo {
    case function(FunctionTypeSyntax)
    case other
}

/// Lowers a `ModuleSyntax` to a `Module` following wasm-tools' rules: inline imports/exports are
/// pulled out, implicit function types are deduplicated against explicit ones and appended after
/// them, names become indices, locals are grouped, the name section is built from identifiers.
struct Lowerer {
    var module = Module()
    var diagnostics: [Diagnostic] = []
    var resolution = NameResolution()
    var sourceMap = SourceMap()

    var items: [LoweringItem] = []
    /// The module-level names and types, kept after lowering to lower one function field again.
    var scope = FunctionLoweringContext()
    var implicitTypes: [FunctionTypeSyntax] = []
    /// Label names of each defined function, for the name section.
    var labelNamesPerFunction: [[(index: UInt32, name: String)]] = []
    /// Set while lowering a function body when a name in it could not be resolved.
    var failed = false
    /// The defined index of the first function lowered (non-zero when lowering one field alone).
    var definedIndexOffset = 0

    static func lower(_ syntax: ModuleSyntax) -> LoweredModule {
        var lowerer = Lowerer()
        lowerer.deinline(syntax)
        lowerer.registerNames()
        lowerer.expandTypes()
        lowerer.lowerItems()
        lowerer.buildNames(syntax)
        return LoweredModule(module: lowerer.module, diagnostics: lowerer.diagnostics,
                             resolution: lowerer.resolution, sourceMap: lowerer.sourceMap,
                             functionContext: lowerer.scope)
    }

    mutating func error(_ message: String, at range: TextRange, related: [RelatedLocation] = []) {
        diagnostics.append(.error(message, at: range, code: "wat-names", related: related))
    }

    // MARK: Pulling inline definitions apart

    mutating func deinline(_ syntax: ModuleSyntax) {
        var counts = (function: UInt32(0), table: UInt32(0), memory: UInt32(0), global: UInt32(0), tag: UInt32(0))
        var lastDefinition: String?

        func checkImport(_ range: TextRange, _ diagnostics: inout [Diagnostic]) {
            if let lastDefinition {
                diagnostics.append(.error("import after \(lastDefinition)", at: range, code: "wat-syntax"))
            }
        }
        func exports(_ names: [StringSyntax], _ kind: ExternalKind, _ index: UInt32, _ range: TextRange) -> [LoweringItem] {
            names.map { name in
                .export(ExportSyntax(name: name, kind: kind, index: IndexSyntax(reference: .number(index), range: name.range),
                                     range: name.range))
            }
        }

        for field in syntax.fields {
            switch field {
            case .type(let definition):
                items.append(.type(definition))
            case .recursiveGroup(let group):
                items.append(.recursiveGroup(group))
            case .import(let item):
                checkImport(item.range, &diagnostics)
                switch item.description {
                case .function: counts.function += 1
                case .table: counts.table += 1
                case .memory: counts.memory += 1
                case .global: counts.global += 1
                case .tag: counts.tag += 1
                }
                items.append(.import(item))
            case .function(let function):
                items += exports(function.exports, .function, counts.function, function.range)
                counts.function += 1
                if let inlineImport = function.import {
                    checkImport(function.range, &diagnostics)
                    items.append(.import(ImportItemSyntax(module: inlineImport.module, name: inlineImport.name, id: function.id,
                                                          nameAnnotation: function.nameAnnotation,
                                                          description: .function(function.type, exact: function.exact),
                                                          range: function.range)))
                } else {
                    lastDefinition = "function"
                    items.append(.function(function))
                }
            case .table(let table):
                let index = counts.table
                items += exports(table.exports, .table, index, table.range)
                counts.table += 1
                switch table.kind {
                case .imported(let inlineImport, let type):
                    checkImport(table.range, &diagnostics)
                    items.append(.import(ImportItemSyntax(module: inlineImport.module, name: inlineImport.name, id: table.id,
                                                          description: .table(type), range: table.range)))
                case .normal(let type, let initializer):
                    lastDefinition = "table"
                    items.append(.table(table, type, initializer: initializer))
                case .inline(let element, let is64, let shared, let payload):
                    lastDefinition = "table"
                    let count: Int
                    switch payload {
                    case .functions(let indices): count = indices.count
                    case .expressions(_, let expressions): count = expressions.count
                    }
                    let limits = LimitsSyntax(is64: is64, minimum: UInt64(count), maximum: UInt64(count))
                    let offset = Lowerer.zeroOffset(is64: is64, at: table.range)
                    items.append(.element(ElementSyntax(mode: .active(table: IndexSyntax(reference: .number(index), range: table.range),
                                                                      offset: offset),
                                                        payload: payload, range: table.range)))
                    items.append(.table(table, TableTypeSyntax(limits: limits, element: element, shared: shared), initializer: nil))
                }
            case .memory(let memory):
                let index = counts.memory
                items += exports(memory.exports, .memory, index, memory.range)
                counts.memory += 1
                switch memory.kind {
                case .imported(let inlineImport, let type):
                    checkImport(memory.range, &diagnostics)
                    items.append(.import(ImportItemSyntax(module: inlineImport.module, name: inlineImport.name, id: memory.id,
                                                          description: .memory(type), range: memory.range)))
                case .normal(let type):
                    lastDefinition = "memory"
                    items.append(.memory(memory, type))
                case .inline(let is64, let pageSizeLog2, let data):
                    lastDefinition = "memory"
                    let length = UInt64(data.reduce(0) { $0 + $1.bytes.count })
                    let pageSize: UInt64 = 1 << UInt64(pageSizeLog2 ?? 16)
                    let pages = (length + pageSize - 1) / pageSize
                    let type = MemoryTypeSyntax(limits: LimitsSyntax(is64: is64, minimum: pages, maximum: pages),
                                                pageSizeLog2: pageSizeLog2)
                    let offset = Lowerer.zeroOffset(is64: is64, at: memory.range)
                    items.append(.data(DataSyntax(mode: .active(memory: IndexSyntax(reference: .number(index), range: memory.range),
                                                                offset: offset),
                                                  data: data, range: memory.range)))
                    items.append(.memory(memory, type))
                }
            case .global(let global):
                items += exports(global.exports, .global, counts.global, global.range)
                counts.global += 1
                if let inlineImport = global.import {
                    checkImport(global.range, &diagnostics)
                    items.append(.import(ImportItemSyntax(module: inlineImport.module, name: inlineImport.name, id: global.id,
                                                          description: .global(global.type), range: global.range)))
                } else {
                    lastDefinition = "global"
                    items.append(.global(global))
                }
            case .tag(let tag):
                items += exports(tag.exports, .tag, counts.tag, tag.range)
                counts.tag += 1
                if let inlineImport = tag.import {
                    checkImport(tag.range, &diagnostics)
                    items.append(.import(ImportItemSyntax(module: inlineImport.module, name: inlineImport.name, id: tag.id,
                                                          description: .tag(tag.type), range: tag.range)))
                } else {
                    items.append(.tag(tag))
                }
            case .export(let export):
                items.append(.export(export))
            case .start(let index, let range):
                items.append(.start(index, range))
            case .element(let element):
                items.append(.element(element))
            case .data(let data):
                items.append(.data(data))
            case .custom(let custom):
                items.append(.custom(custom))
            }
        }
    }

    static func zeroOffset(is64: Bool, at range: TextRange) -> ExpressionSyntax {
        var expression = ExpressionSyntax(range: range)
        expression.instructions = [is64 ? InstructionSyntax(opcode: .i64Const, immediates: .i64(0), range: range)
                                        : InstructionSyntax(opcode: .i32Const, immediates: .i32(0), range: range)]
        return expression
    }

    // MARK: Numbering

    mutating func registerType(_ definition: TypeDefinitionSyntax) {
        let index = scope.types.register(definition.id, space: .type, diagnostics: &diagnostics)
        if case .structure(let fields) = definition.composite {
            var names = Namespace()
            for field in fields {
                _ = names.register(field.id, space: .field, diagnostics: &diagnostics)
            }
            scope.fieldNames[index] = names
        }
        if case .function(let type) = definition.composite {
            scope.typeInfo.append(.function(type))
        } else {
            scope.typeInfo.append(.other)
        }
    }

    mutating func registerNames() {
        for item in items {
            switch item {
            case .type(let definition): registerType(definition)
            case .recursiveGroup(let group): for definition in group.types { registerType(definition) }
            case .import(let item):
                switch item.description {
                case .function: _ = scope.functions.register(item.id, space: .function, diagnostics: &diagnostics)
                case .table: _ = scope.tables.register(item.id, space: .table, diagnostics: &diagnostics)
                case .memory: _ = scope.memories.register(item.id, space: .memory, diagnostics: &diagnostics)
                case .global: _ = scope.globals.register(item.id, space: .global, diagnostics: &diagnostics)
                case .tag: _ = scope.tags.register(item.id, space: .tag, diagnostics: &diagnostics)
                }
            case .function(let function): _ = scope.functions.register(function.id, space: .function, diagnostics: &diagnostics)
            case .table(let table, _, _): _ = scope.tables.register(table.id, space: .table, diagnostics: &diagnostics)
            case .memory(let memory, _): _ = scope.memories.register(memory.id, space: .memory, diagnostics: &diagnostics)
            case .global(let global): _ = scope.globals.register(global.id, space: .global, diagnostics: &diagnostics)
            case .tag(let tag): _ = scope.tags.register(tag.id, space: .tag, diagnostics: &diagnostics)
            case .element(let element): _ = scope.elements.register(element.id, space: .element, diagnostics: &diagnostics)
            case .data(let data): _ = scope.datas.register(data.id, space: .data, diagnostics: &diagnostics)
            case .export, .start, .custom: break
            }
        }
    }

    /// The index of a name or number in `space`; nil (after a diagnostic) when the name is unknown.
    mutating func resolve(_ index: IndexSyntax, _ space: IndexSpace) -> UInt32? {
        let namespace: Namespace
        switch space {
        case .type: namespace = scope.types
        case .function: namespace = scope.functions
        case .table: namespace = scope.tables
        case .memory: namespace = scope.memories
        case .global: namespace = scope.globals
        case .tag: namespace = scope.tags
        case .element: namespace = scope.elements
        case .data: namespace = scope.datas
        case .local, .label, .field: preconditionFailure("scoped index spaces are resolved by their owners")
        }
        return resolve(index, in: namespace, space)
    }

    mutating func resolve(_ index: IndexSyntax, in namespace: Namespace, _ space: IndexSpace) -> UInt32? {
        switch index.reference {
        case .number(let number):
            return number
        case .name(let name):
            if let definition = namespace.names[name] {
                resolution.references.append(NameReference(use: index.range, definition: definition.range, space: space))
                return definition.index
            }
            error("unknown \(space.rawValue) `$\(name)`", at: index.range)
            failed = true
            return nil
        }
    }

    /// Like `resolve`, with 0 standing in for an unknown name (already reported).
    mutating func index(_ index: IndexSyntax, _ space: IndexSpace) -> UInt32 {
        resolve(index, space) ?? 0
    }

    // MARK: Implicit types

    /// Adds the function types that type uses imply, in wasm-tools' order: explicit `(type (func))`
    /// definitions outside `rec` are found first; each missing signature is appended.
    mutating func expandTypes() {
        var explicitIndex: UInt32 = 0
        for item in items {
            switch item {
            case .type(let definition):
                if case .function(let type) = definition.composite {
                    let key = FunctionKey(type)
                    if scope.functionTypeIndex[key] == nil { scope.functionTypeIndex[key] = explicitIndex }
                }
                explicitIndex += 1
            case .recursiveGroup(let group):
                explicitIndex += UInt32(group.types.count)
            default:
                break
            }
        }
        for item in items {
            switch item {
            case .import(let item):
                switch item.description {
                case .function(let use, _), .tag(let use): expandTypeUse(use)
                default: break
                }
            case .function(let function):
                expandTypeUse(function.type)
                expandExpression(function.body)
            case .global(let global):
                if let initializer = global.initializer { expandExpression(initializer) }
            case .data(let data):
                if case .active(_, let offset) = data.mode { expandExpression(offset) }
            case .element(let element):
                if case .active(_, let offset) = element.mode { expandExpression(offset) }
                if case .expressions(_, let expressions) = element.payload {
                    for expression in expressions { expandExpression(expression) }
                }
            case .tag(let tag):
                expandTypeUse(tag.type)
            case .table(_, _, let initializer):
                if let initializer { expandExpression(initializer) }
            default:
                break
            }
        }
    }

    mutating func expandTypeUse(_ use: TypeUseSyntax) {
        if let signature = Lowerer.implicitSignature(of: use) { _ = implicitTypeIndex(signature) }
    }

    /// The signature a type use asks for when it names no type.
    static func implicitSignature(of use: TypeUseSyntax) -> FunctionTypeSyntax? {
        use.index == nil ? use.inline ?? FunctionTypeSyntax() : nil
    }

    /// The signature an instruction's inline block type or type use asks for, when it needs a type
    /// index (a block with parameters or several results, `call_indirect` without a type index).
    static func implicitSignature(of instruction: InstructionSyntax) -> FunctionTypeSyntax? {
        switch instruction.immediates {
        case .block(let block), .tryTable(let block, _):
            guard block.type.index == nil, let inline = block.type.inline else { return nil }
            return inline.params.isEmpty && inline.results.count <= 1 ? nil : inline
        case .callIndirect(let use, _):
            return implicitSignature(of: use)
        default:
            return nil
        }
    }

    mutating func implicitTypeIndex(_ type: FunctionTypeSyntax) -> UInt32 {
        let key = FunctionKey(type)
        if let index = scope.functionTypeIndex[key] { return index }
        let index = scope.types.count + UInt32(implicitTypes.count)
        var stripped = FunctionTypeSyntax()
        stripped.params = type.params.map { ParamSyntax(id: nil, nameAnnotation: nil, type: $0.type, range: $0.range) }
        stripped.results = type.results
        implicitTypes.append(stripped)
        scope.functionTypeIndex[key] = index
        return index
    }

    mutating func expandExpression(_ expression: ExpressionSyntax) {
        for instruction in expression.instructions {
            if let signature = Lowerer.implicitSignature(of: instruction) { _ = implicitTypeIndex(signature) }
        }
    }
}
