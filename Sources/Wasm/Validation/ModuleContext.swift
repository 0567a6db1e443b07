/// Everything an instruction can refer to, in index-space order (imports first), with the module item
/// that defines each entity for "defined here" notes.
struct ModuleContext: Sendable {
    let module: Module
    let types: TypeContext
    var functionTypes: [UInt32] = []
    var functionItems: [ModuleItem] = []
    /// Whether `ref.func` of the function has the exact type (defined functions and exact imports).
    var exactFunctions: [Bool] = []
    var tables: [TableType] = []
    var tableItems: [ModuleItem] = []
    var memories: [MemoryType] = []
    var memoryItems: [ModuleItem] = []
    var globals: [GlobalType] = []
    var globalItems: [ModuleItem] = []
    var tags: [UInt32] = []
    var tagItems: [ModuleItem] = []
    /// Element segment reference types, by segment index.
    var elementTypes: [RefType] = []
    /// Functions that may be named by `ref.func` inside function bodies.
    var declaredFunctions: [Bool] = []
    var dataCount: Int
    var hasDataCount: Bool

    init(_ module: Module) {
        self.module = module
        self.types = TypeContext(module.types)
        for (index, entry) in module.imports.enumerated() {
            switch entry.kind {
            case .function(let type):
                functionTypes.append(type)
                functionItems.append(.import(index))
                exactFunctions.append(false)
            case .exactFunction(let type):
                functionTypes.append(type)
                functionItems.append(.import(index))
                exactFunctions.append(true)
            case .table(let type):
                tables.append(type)
                tableItems.append(.import(index))
            case .memory(let type):
                memories.append(type)
                memoryItems.append(.import(index))
            case .global(let type):
                globals.append(type)
                globalItems.append(.import(index))
            case .tag(let type):
                tags.append(type.typeIndex)
                tagItems.append(.import(index))
            }
        }
        for (index, function) in module.functions.enumerated() {
            functionTypes.append(function.typeIndex)
            functionItems.append(.functionDeclaration(index))
            exactFunctions.append(true)
        }
        for (index, table) in module.tables.enumerated() {
            tables.append(table.type)
            tableItems.append(.table(index))
        }
        for (index, memory) in module.memories.enumerated() {
            memories.append(memory)
            memoryItems.append(.memory(index))
        }
        for (index, tag) in module.tags.enumerated() {
            tags.append(tag.typeIndex)
            tagItems.append(.tag(index))
        }
        for segment in module.elements {
            switch segment.items {
            case .functions: elementTypes.append(RefType(nullable: false, heapType: .abstract(.func)))
            case .expressions(let type, _): elementTypes.append(type)
            }
        }
        dataCount = module.data.count
        hasDataCount = module.writesDataCount ?? true
        declaredFunctions = [Bool](repeating: false, count: functionTypes.count)
        func declare(_ expression: ConstExpr) {
            for instruction in expression.instructions where instruction.opcode == .refFunc {
                if case .index(let f) = instruction.immediates, Int(f) < declaredFunctions.count {
                    declaredFunctions[Int(f)] = true
                }
            }
        }
        for global in module.globals { declare(global.initializer) }
        for table in module.tables { if let initializer = table.initializer { declare(initializer) } }
        for segment in module.elements {
            switch segment.items {
            case .functions(let indices):
                for f in indices where Int(f) < declaredFunctions.count { declaredFunctions[Int(f)] = true }
            case .expressions(_, let expressions):
                for expression in expressions { declare(expression) }
            }
            if case .active(_, let offset) = segment.mode { declare(offset) }
        }
        for segment in module.data { if case .active(_, let offset) = segment.mode { declare(offset) } }
        for export in module.exports where export.kind == .function && Int(export.index) < declaredFunctions.count {
            declaredFunctions[Int(export.index)] = true
        }
    }

    /// The function type of function `index`, when the index and its type are valid.
    func functionType(ofFunction index: UInt32) -> FunctionType? {
        guard Int(index) < functionTypes.count else { return nil }
        return types.functionType(functionTypes[Int(index)])
    }

    func addressType(ofMemory index: Int) -> ValueType {
        memories[index].limits.is64 ? .i64 : .i32
    }

    func addressType(ofTable index: Int) -> ValueType {
        tables[index].limits.is64 ? .i64 : .i32
    }
}
