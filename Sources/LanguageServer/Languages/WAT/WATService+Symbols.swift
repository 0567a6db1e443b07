import SourceText
import WAT

extension WATService {
    public func symbols(in analysis: any DocumentAnalysis) -> [SymbolResult] {
        guard let analysis = analysis as? WATAnalysis else { return [] }
        return analysis.modules.map { module in
            let syntax = module.syntax
            return SymbolResult(name: syntax.id.map { "$" + $0.name } ?? "module", kind: .module,
                                range: syntax.range, selectionRange: syntax.id?.range ?? syntax.range,
                                children: fieldSymbols(syntax))
        }
    }

    /// One symbol per field, numbered per index space in definition order (imports first, as in
    /// the binary, is not attempted here: the outline follows the text).
    private func fieldSymbols(_ module: ModuleSyntax) -> [SymbolResult] {
        var counters: [String: Int] = [:]
        func symbol(_ space: String, _ id: Identifier?, _ kind: SymbolResult.Kind, _ range: TextRange,
                    detail: String? = nil) -> SymbolResult {
            let index = counters[space, default: 0]
            counters[space] = index + 1
            let name = id.map { "$" + $0.name } ?? "\(space) \(index)"
            return SymbolResult(name: name, detail: detail, kind: kind, range: range, selectionRange: id?.range ?? range)
        }
        var symbols: [SymbolResult] = []
        for field in module.fields {
            switch field {
            case .type(let type):
                symbols.append(symbol("type", type.id, .typeParameter, type.range))
            case .recursiveGroup(let group):
                for type in group.types { symbols.append(symbol("type", type.id, .typeParameter, type.range)) }
            case .import(let item):
                let detail = "import \"\(item.module.text)\" \"\(item.name.text)\""
                switch item.description {
                case .function: symbols.append(symbol("func", item.id, .function, item.range, detail: detail))
                case .table: symbols.append(symbol("table", item.id, .array, item.range, detail: detail))
                case .memory: symbols.append(symbol("memory", item.id, .object, item.range, detail: detail))
                case .global: symbols.append(symbol("global", item.id, .variable, item.range, detail: detail))
                case .tag: symbols.append(symbol("tag", item.id, .event, item.range, detail: detail))
                }
            case .function(let function):
                symbols.append(symbol("func", function.id, .function, function.range,
                                      detail: function.exports.first.map { "export \"\($0.text)\"" }))
            case .table(let table):
                symbols.append(symbol("table", table.id, .array, table.range))
            case .memory(let memory):
                symbols.append(symbol("memory", memory.id, .object, memory.range))
            case .global(let global):
                symbols.append(symbol("global", global.id, .variable, global.range))
            case .tag(let tag):
                symbols.append(symbol("tag", tag.id, .event, tag.range))
            case .element(let element):
                symbols.append(symbol("elem", element.id, .array, element.range))
            case .data(let data):
                symbols.append(symbol("data", data.id, .constant, data.range))
            case .export(let export):
                symbols.append(SymbolResult(name: "export \"\(export.name.text)\"", kind: .interface,
                                            range: export.range, selectionRange: export.name.range))
            case .start(_, let range):
                symbols.append(SymbolResult(name: "start", kind: .function, range: range, selectionRange: range))
            case .custom(let custom):
                symbols.append(SymbolResult(name: "custom section", kind: .namespace, range: custom.range,
                                            selectionRange: custom.range))
            }
        }
        return symbols
    }

    public func foldingRanges(in analysis: any DocumentAnalysis) -> [FoldingResult] {
        symbols(in: analysis).flatMap { module in
            [FoldingResult(range: module.range)] + module.children.map { FoldingResult(range: $0.range) }
        }
    }
}
