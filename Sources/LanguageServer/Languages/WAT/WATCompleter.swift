import SourceText
import WAT
import Wasm

/// Builds the proposals for one context.
struct WATCompleter {
    let context: WATCompletionContext
    let module: ModuleSyntax?
    let file: SourceFile
    let isScriptLevel: Bool

    static let moduleFields = ["type", "rec", "import", "func", "table", "memory", "global", "export", "start",
                               "elem", "data", "tag"]
    static let scriptCommands = ["module", "register", "invoke", "get", "assert_return", "assert_trap",
                                 "assert_exhaustion", "assert_invalid", "assert_malformed", "assert_unlinkable",
                                 "assert_exception"]
    static let valueTypes = ["i32", "i64", "f32", "f64", "v128", "funcref", "externref", "anyref", "eqref",
                             "i31ref", "structref", "arrayref", "exnref"]

    func keywords(_ words: [String]) -> [CompletionResult] {
        words.map { CompletionResult(label: $0, kind: .keyword, replacing: context.word) }
    }

    func types() -> [CompletionResult] {
        Self.valueTypes.map { CompletionResult(label: $0, kind: .typeParameter, detail: "value type", replacing: context.word) }
    }

    func instructions() -> [CompletionResult] {
        InstructionTable.entries.map {
            let immediates = Self.describe($0.immediates)
            return CompletionResult(label: $0.name, kind: $0.structure == .none ? .function : .keyword,
                                    detail: $0.opcode.fixedStackEffect.map { "\($0) · \(immediates)" } ?? immediates,
                                    replacing: context.word)
        }
    }

    /// The immediates an instruction takes, as its text form writes them.
    static func describe(_ immediates: ImmediateKind) -> String {
        switch immediates {
        case .none: "no immediates"
        case .blockType: "label? blocktype"
        case .label: "label"
        case .labelTable: "label* label"
        case .function: "funcidx"
        case .type: "typeidx"
        case .local: "localidx"
        case .global: "globalidx"
        case .table: "tableidx?"
        case .memory: "memidx?"
        case .tag: "tagidx"
        case .data: "dataidx"
        case .element: "elemidx"
        case .typeAndTable: "tableidx? typeuse"
        case .memoryPair: "memidx? memidx?"
        case .dataAndMemory: "memidx? dataidx"
        case .elementAndTable: "tableidx? elemidx"
        case .tablePair: "tableidx? tableidx?"
        case .typeAndField: "typeidx fieldidx"
        case .typeAndCount: "typeidx count"
        case .typeAndData: "typeidx dataidx"
        case .typeAndElement: "typeidx elemidx"
        case .typePair: "typeidx typeidx"
        case .memArg(let natural): "memidx? offset=N? align=N? (natural alignment \(natural))"
        case .memArgLane(let natural): "memidx? offset=N? align=N? lane (natural alignment \(natural))"
        case .lane: "lane index"
        case .i32: "i32 constant"
        case .i64: "i64 constant"
        case .f32: "f32 constant"
        case .f64: "f64 constant"
        case .v128: "v128 shape and constants"
        case .shuffle: "16 lane indices"
        case .heapType: "heaptype"
        case .castType: "reftype"
        case .branchOnCast: "label reftype reftype"
        case .selectTypes: "(result valtype)?"
        case .tryTable: "label? blocktype catch*"
        case .typeAndTag: "typeidx tagidx"
        case .resumeTable: "typeidx (on tagidx label|switch)*"
        case .resumeThrowTable: "typeidx tagidx (on tagidx label|switch)*"
        case .zeroByte: "no immediates"
        }
    }

    func results() -> [CompletionResult] {
        let all = unfiltered()
        let prefix = context.prefix
        guard !prefix.isEmpty else { return all }
        return all.filter { $0.label.hasPrefix(prefix) }
    }

    func unfiltered() -> [CompletionResult] {
        if let space = expectedSpace() { return names(in: space) }
        if context.prefix.hasPrefix("$") { return [] }
        if isScriptLevel && context.forms.count <= 1 { return keywords(Self.scriptCommands) }
        // The form the word stands in: for `(word`, the one enclosing that parenthesis.
        let enclosing = context.afterParen ? context.parentHead : context.head
        if context.afterParen {
            switch enclosing {
            case nil, "module":
                return keywords(Self.moduleFields)
            case "func":
                return keywords(["param", "result", "local", "type", "export", "import"]) + instructions()
            case "type", "rec":
                return keywords(["func", "struct", "array", "sub", "type"])
            case "export", "import":
                return keywords(["func", "table", "memory", "global", "tag"])
            case "param", "result", "local", "global", "field", "table":
                return keywords(["ref", "mut"])
            case "block", "loop", "if", "try_table":
                return keywords(["param", "result", "type", "then", "else"]) + instructions()
            default:
                return context.insideFunction ? instructions() : []
            }
        }
        switch enclosing {
        case "param", "result", "local", "mut", "field", "ref", "global", "table":
            return types()
        default:
            return context.insideFunction ? instructions() : []
        }
    }

    /// The index space a `$name` typed here belongs to, from the keyword before it.
    func expectedSpace() -> IndexSpace? {
        guard let keyword = context.previousKeyword,
              context.prefix.isEmpty || context.prefix.hasPrefix("$") || context.prefix.first?.isNumber == true
        else { return nil }
        if let opcode = InstructionTable.entries.first(where: { $0.name == keyword }) {
            switch opcode.immediates {
            case .label, .labelTable, .branchOnCast: return .label
            case .function: return .function
            case .local: return .local
            case .global: return .global
            case .type, .typeAndField, .typeAndCount, .typeAndData, .typeAndElement, .typePair: return .type
            case .table, .tablePair, .elementAndTable, .typeAndTable: return .table
            case .memory, .memoryPair, .memArg, .memArgLane: return context.prefix.hasPrefix("$") ? .memory : nil
            case .data, .dataAndMemory: return .data
            case .element: return .element
            case .tag: return .tag
            default: return nil
            }
        }
        // `(type $…)`, `(func $…)` inside an export, `(start $…)`: references, not definitions.
        let enclosingParent = context.parentHead
        switch keyword {
        case "type" where enclosingParent != nil && enclosingParent != "module" && enclosingParent != "rec": return .type
        case "start": return .function
        case "func" where enclosingParent == "export" || enclosingParent == "elem": return .function
        case "global" where enclosingParent == "export": return .global
        case "table" where enclosingParent == "export": return .table
        case "memory" where enclosingParent == "export": return .memory
        case "tag" where enclosingParent == "export": return .tag
        case "ref" where context.prefix.hasPrefix("$"): return .type
        case "null" where context.prefix.hasPrefix("$"): return .type
        default: return nil
        }
    }

    func names(in space: IndexSpace) -> [CompletionResult] {
        switch space {
        case .local:
            return context.parameters.map {
                CompletionResult(label: $0.name, kind: .variable, detail: "param \($0.detail)", replacing: context.word)
            } + context.locals.map {
                CompletionResult(label: $0.name, kind: .variable, detail: "local \($0.detail)", replacing: context.word)
            } + localIndices()
        case .label:
            var seen = Set<String>()
            let named: [CompletionResult] = context.labels.reversed().compactMap { label in
                guard let name = label.name, seen.insert(name).inserted else { return nil }
                return CompletionResult(label: name, kind: .reference, detail: label.instruction, replacing: context.word)
            }
            guard !context.prefix.hasPrefix("$") else { return named }
            // Relative depths, innermost 0, for code without label names.
            return named + context.labels.reversed().enumerated().map { depth, label in
                CompletionResult(label: String(depth), kind: .reference,
                                 detail: label.instruction + (label.name.map { " " + $0 } ?? ""), replacing: context.word)
            }
        default:
            return moduleNames(in: space)
        }
    }

    /// The parameters and locals of the enclosing function by index, for code without names
    /// (such as `wasm-tools print` output); only offered when no `$` has been typed.
    func localIndices() -> [CompletionResult] {
        guard !context.prefix.hasPrefix("$"), let module else { return [] }
        let offset = context.word.start
        for field in module.fields {
            guard case .function(let function) = field, function.range.start <= offset, offset <= function.range.end
            else { continue }
            var results: [CompletionResult] = []
            let entries = (function.type.inline?.params.map { ("param", $0.id, $0.type) } ?? [])
                + function.locals.map { ("local", $0.id, $0.type) }
            for (index, (kind, id, type)) in entries.enumerated() {
                let name = id.map { " $" + $0.name } ?? ""
                results.append(CompletionResult(label: String(index), kind: .variable,
                                                detail: "\(kind)\(name) \(describe(type))", replacing: context.word))
            }
            return results
        }
        return []
    }

    func describe(_ type: ValueTypeSyntax) -> String {
        switch type {
        case .i32: "i32"
        case .i64: "i64"
        case .f32: "f32"
        case .f64: "f64"
        case .v128: "v128"
        case .ref(let reference):
            "(ref " + (reference.nullable ? "null " : "") + describe(reference.heap) + ")"
        }
    }

    func describe(_ heap: HeapTypeSyntax) -> String {
        switch heap {
        case .abstract(let type, let shared): shared ? "(shared \(type.rawValue))" : type.rawValue
        case .concrete(let index): String(file[index.range])
        case .exact(let index): "(exact \(file[index.range]))"
        }
    }

    func firstLine(_ range: TextRange) -> String {
        let line = file.line(containing: range.start)
        let end = min(range.end, file.contentRange(ofLine: line).end)
        let text = String(file[TextRange(start: range.start, end: max(range.start, end))])
        let collapsed = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return collapsed.count > 100 ? String(collapsed.prefix(100)) + "…" : collapsed
    }

    func moduleNames(in space: IndexSpace) -> [CompletionResult] {
        guard let module else { return [] }
        var results: [CompletionResult] = []
        func add(_ id: Identifier?, _ kind: CompletionResult.Kind, _ detail: String) {
            guard let id else { return }
            results.append(CompletionResult(label: "$" + id.name, kind: kind, detail: detail, replacing: context.word))
        }
        for field in module.fields {
            switch (space, field) {
            case (.function, .function(let function)):
                add(function.id, .function, "func " + firstLine(function.type.range))
            case (.function, .import(let item)):
                if case .function(let type, _) = item.description { add(item.id, .function, "import func " + firstLine(type.range)) }
            case (.global, .global(let global)):
                add(global.id, .variable, firstLine(global.range))
            case (.global, .import(let item)):
                if case .global = item.description { add(item.id, .variable, firstLine(item.range)) }
            case (.table, .table(let table)):
                add(table.id, .variable, firstLine(table.range))
            case (.table, .import(let item)):
                if case .table = item.description { add(item.id, .variable, firstLine(item.range)) }
            case (.memory, .memory(let memory)):
                add(memory.id, .variable, firstLine(memory.range))
            case (.memory, .import(let item)):
                if case .memory = item.description { add(item.id, .variable, firstLine(item.range)) }
            case (.tag, .tag(let tag)):
                add(tag.id, .event, firstLine(tag.range))
            case (.tag, .import(let item)):
                if case .tag = item.description { add(item.id, .event, firstLine(item.range)) }
            case (.type, .type(let type)):
                add(type.id, .struct, firstLine(type.range))
            case (.type, .recursiveGroup(let group)):
                for type in group.types { add(type.id, .struct, firstLine(type.range)) }
            case (.data, .data(let data)):
                add(data.id, .constant, firstLine(data.range))
            case (.element, .element(let element)):
                add(element.id, .constant, firstLine(element.range))
            default:
                break
            }
        }
        return results
    }
}
