import SourceText
import WAT
import Wasm

extension WATService {
    /// Instruction names, keywords by context and `$names` in scope by the index space the
    /// context expects.
    public func completion(at offset: Int, in analysis: any DocumentAnalysis) -> [CompletionResult] {
        guard let analysis = analysis as? WATAnalysis else { return [] }
        let module = analysis.module(at: offset)
        let bytes = analysis.file.utf8
        let context = WATCompletionContext(bytes: bytes, offset: offset,
                                           scanStart: Self.scanStart(for: offset, in: module?.syntax, analysis: analysis))
        let completer = WATCompleter(context: context, module: module?.syntax, file: analysis.file,
                                     isScriptLevel: module == nil && analysis.uri.hasSuffix(".wast"))
        return completer.results()
    }

    /// The start of the module field holding `offset` (or of the module, or of the text after the
    /// last module before it), where reading the context can begin at module or script level.
    static func scanStart(for offset: Int, in module: ModuleSyntax?, analysis: WATAnalysis) -> Int {
        guard let module else {
            return analysis.modules.map(\.syntax.range).filter { $0.end <= offset }.map(\.end).max() ?? 0
        }
        var start = module.range.start
        for field in module.fields {
            let range = field.range
            if range.start <= offset && range.start > start { start = range.start }
        }
        return start
    }
}

extension ModuleFieldSyntax {
    var range: TextRange {
        switch self {
        case .type(let type): type.range
        case .recursiveGroup(let group): group.range
        case .import(let item): item.range
        case .function(let function): function.range
        case .table(let table): table.range
        case .memory(let memory): memory.range
        case .global(let global): global.range
        case .export(let export): export.range
        case .start(_, let range): range
        case .element(let element): element.range
        case .data(let data): data.range
        case .tag(let tag): tag.range
        case .custom(let custom): custom.range
        }
    }
}
