extension Module {
    /// The module as WAT text, in the style of `wasm-tools print`: one field per line, flat
    /// instructions indented by block depth, names from the name section as `$id`s, exact float
    /// literals, and custom sections as `(@custom ...)` at their place. `wasm-tools parse` of the text
    /// gives back this module's encoding (with the name section last).
    public func printed() -> String {
        var printer = ModulePrinter(module: self)
        return printer.run()
    }
}

/// The identifiers printed for one index space: a unique name becomes `$name`; a repeated name
/// is kept only as an `(@name ...)` annotation where the text format allows one.
struct PrintedNames {
    var ids: [UInt32: String] = [:]
    var annotations: [UInt32: String] = [:]

    /// `duplicatesAllowed`: labels may repeat a name (an inner label shadows an outer one).
    init(_ map: NameMap?, duplicatesAllowed: Bool = false) {
        guard let map else { return }
        var seen = Set<String>()
        for entry in map.entries where ids[entry.index] == nil && annotations[entry.index] == nil {
            if duplicatesAllowed || seen.insert(entry.name).inserted {
                ids[entry.index] = entry.name
            } else {
                annotations[entry.index] = entry.name
            }
        }
    }
}

struct ModulePrinter {
    let module: Module
    let types: [SubType]
    var out = TextWriter()
    let functionNames: PrintedNames
    let typeNames: PrintedNames
    let tableNames: PrintedNames
    let memoryNames: PrintedNames
    let globalNames: PrintedNames
    let elementNames: PrintedNames
    let dataNames: PrintedNames
    let tagNames: PrintedNames
    /// Local and label names of the function being printed.
    var localNames = PrintedNames(nil)
    var labelNames = PrintedNames(nil)

    init(module: Module) {
        self.module = module
        self.types = module.typeList
        let names = module.names
        functionNames = PrintedNames(names.functions)
        typeNames = PrintedNames(names.types)
        tableNames = PrintedNames(names.tables)
        memoryNames = PrintedNames(names.memories)
        globalNames = PrintedNames(names.globals)
        elementNames = PrintedNames(names.elements)
        dataNames = PrintedNames(names.data)
        tagNames = PrintedNames(names.tags)
    }

    mutating func run() -> String {
        out.write("(module")
        if let name = module.names.module {
            out.write(" ")
            out.identifier(name)
        }
        customs(.beforeFirst)
        customs(.before(.type))
        var typeIndex: UInt32 = 0
        for group in module.types {
            if group.isExplicit {
                out.newline(indent: 1)
                out.write("(rec")
                for type in group.types {
                    out.newline(indent: 2)
                    typeDefinition(type, index: typeIndex)
                    typeIndex += 1
                }
                out.write(")")
            } else {
                for type in group.types {
                    out.newline(indent: 1)
                    typeDefinition(type, index: typeIndex)
                    typeIndex += 1
                }
            }
        }
        customs(.after(.type))
        imports()
        customs(.before(.function))
        customs(.after(.function))
        tables()
        memories()
        tags()
        globals()
        customs(.before(.export))
        for export in module.exports {
            out.newline(indent: 1)
            out.write("(export ")
            out.string(export.name)
            out.write(" (\(export.kind.name) ")
            reference(export.index, kind: export.kind)
            out.write("))")
        }
        customs(.after(.export))
        customs(.before(.start))
        if let start = module.start {
            out.newline(indent: 1)
            out.write("(start ")
            reference(start, kind: .function)
            out.write(")")
        }
        customs(.after(.start))
        elements()
        customs(.before(.code))
        let importedFunctions = UInt32(module.importCount(of: .function))
        for (index, function) in module.functions.enumerated() {
            self.function(function, index: importedFunctions + UInt32(index))
        }
        customs(.after(.code))
        data()
        customs(.afterLast)
        out.newline(indent: 0)
        out.write(")")
        out.bytes.append(UInt8(ascii: "\n"))
        return String(decoding: out.bytes, as: UTF8.self)
    }

    mutating func customs(_ placement: CustomSection.Placement) {
        for custom in module.customSections where custom.placement == placement {
            out.newline(indent: 1)
            out.write("(@custom ")
            out.string(custom.name)
            out.write(" (")
            switch placement {
            case .beforeFirst: out.write("before first")
            case .afterLast: out.write("after last")
            case .before(let id): out.write("before " + Self.anchorName(id))
            case .after(let id): out.write("after " + Self.anchorName(id))
            }
            out.write(") ")
            out.string(custom.payload)
            out.write(")")
        }
    }

    static func anchorName(_ id: SectionID) -> String {
        switch id {
        case .custom: "first"
        case .type: "type"
        case .import: "import"
        case .function: "func"
        case .table: "table"
        case .memory: "memory"
        case .global: "global"
        case .export: "export"
        case .start: "start"
        case .element: "elem"
        case .code, .dataCount: "code"
        case .data: "data"
        case .tag: "tag"
        }
    }

    /// `$name` or `(@name "...")` for a repeated name, then the `(;index;)` comment.
    mutating func definitionName(_ names: PrintedNames, _ index: UInt32) {
        nameOrAnnotation(names, index)
        out.write(" (;\(index);)")
    }

    mutating func nameOrAnnotation(_ names: PrintedNames, _ index: UInt32) {
        if let id = names.ids[index] {
            out.write(" ")
            out.identifier(id)
        } else if let annotation = names.annotations[index] {
            out.write(" (@name ")
            out.string(annotation)
            out.write(")")
        }
    }

    mutating func reference(_ index: UInt32, kind: ExternalKind) {
        let names: PrintedNames
        switch kind {
        case .function: names = functionNames
        case .table: names = tableNames
        case .memory: names = memoryNames
        case .global: names = globalNames
        case .tag: names = tagNames
        }
        reference(index, names)
    }

    mutating func reference(_ index: UInt32, _ names: PrintedNames) {
        if let id = names.ids[index] {
            out.identifier(id)
        } else {
            out.write(index)
        }
    }

    mutating func imports() {
        customs(.before(.import))
        var counters: [ExternalKind: UInt32] = [:]
        for entry in module.imports {
            let kind = entry.kind.externalKind
            let index = counters[kind, default: 0]
            counters[kind] = index + 1
            out.newline(indent: 1)
            out.write("(import ")
            out.string(entry.module)
            out.write(" ")
            out.string(entry.name)
            out.write(" (\(kind.name)")
            switch entry.kind {
            case .function(let type):
                definitionName(functionNames, index)
                out.write(" (type ")
                reference(type, typeNames)
                out.write(")")
            case .exactFunction(let type):
                definitionName(functionNames, index)
                out.write(" (exact (type ")
                reference(type, typeNames)
                out.write("))")
            case .table(let type):
                definitionName(tableNames, index)
                out.write(" ")
                tableType(type)
            case .memory(let type):
                definitionName(memoryNames, index)
                out.write(" ")
                memoryType(type)
            case .global(let type):
                definitionName(globalNames, index)
                out.write(" ")
                globalType(type)
            case .tag(let type):
                definitionName(tagNames, index)
                out.write(" (type ")
                reference(type.typeIndex, typeNames)
                out.write(")")
            }
            out.write("))")
        }
        customs(.after(.import))
    }

    mutating func tables() {
        customs(.before(.table))
        var index = UInt32(module.importCount(of: .table))
        for table in module.tables {
            out.newline(indent: 1)
            out.write("(table")
            definitionName(tableNames, index)
            out.write(" ")
            tableType(table.type)
            if let initializer = table.initializer {
                out.write(" ")
                constExpr(initializer)
            }
            out.write(")")
            index += 1
        }
        customs(.after(.table))
    }

    mutating func memories() {
        customs(.before(.memory))
        var index = UInt32(module.importCount(of: .memory))
        for memory in module.memories {
            out.newline(indent: 1)
            out.write("(memory")
            definitionName(memoryNames, index)
            out.write(" ")
            memoryType(memory)
            out.write(")")
            index += 1
        }
        customs(.after(.memory))
    }

    mutating func tags() {
        customs(.before(.tag))
        var index = UInt32(module.importCount(of: .tag))
        for tag in module.tags {
            out.newline(indent: 1)
            out.write("(tag")
            definitionName(tagNames, index)
            out.write(" (type ")
            reference(tag.typeIndex, typeNames)
            out.write("))")
            index += 1
        }
        customs(.after(.tag))
    }

    mutating func globals() {
        customs(.before(.global))
        var index = UInt32(module.importCount(of: .global))
        for global in module.globals {
            out.newline(indent: 1)
            out.write("(global")
            definitionName(globalNames, index)
            out.write(" ")
            globalType(global.type)
            out.write(" ")
            constExpr(global.initializer)
            out.write(")")
            index += 1
        }
        customs(.after(.global))
    }

    mutating func elements() {
        customs(.before(.element))
        for (index, segment) in module.elements.enumerated() {
            out.newline(indent: 1)
            out.write("(elem")
            definitionName(elementNames, UInt32(index))
            switch segment.mode {
            case .passive:
                break
            case .declarative:
                out.write(" declare")
            case .active(let table, let offset):
                if let table {
                    out.write(" (table ")
                    reference(table, tableNames)
                    out.write(")")
                }
                out.write(" (offset ")
                constExpr(offset)
                out.write(")")
            }
            switch segment.items {
            case .functions(let indices):
                out.write(" func")
                for function in indices {
                    out.write(" ")
                    reference(function, functionNames)
                }
            case .expressions(let type, let expressions):
                out.write(" ")
                refType(type)
                for expression in expressions {
                    out.write(" (item ")
                    constExpr(expression)
                    out.write(")")
                }
            }
            out.write(")")
        }
        customs(.after(.element))
    }

    mutating func data() {
        customs(.before(.data))
        for (index, segment) in module.data.enumerated() {
            out.newline(indent: 1)
            out.write("(data")
            definitionName(dataNames, UInt32(index))
            if case .active(let memory, let offset) = segment.mode {
                if memory != 0 {
                    out.write(" (memory ")
                    reference(memory, memoryNames)
                    out.write(")")
                }
                out.write(" (offset ")
                constExpr(offset)
                out.write(")")
            }
            out.write(" ")
            out.string(segment.bytes)
            out.write(")")
        }
        customs(.after(.data))
    }
}
