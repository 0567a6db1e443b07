import JSON

extension LanguageServer {
    /// The request handlers every server has.
    static let builtinQueries: [String: QueryHandler] = [
        "textDocument/diagnostic": pullDiagnostics,
        "textDocument/hover": FeatureQueries.hover,
        "textDocument/definition": FeatureQueries.definition,
        "textDocument/declaration": FeatureQueries.definition,
        "textDocument/references": FeatureQueries.references,
        "textDocument/documentHighlight": FeatureQueries.highlights,
        "textDocument/documentSymbol": FeatureQueries.symbols,
        "textDocument/foldingRange": FeatureQueries.folding,
        "workspace/textDocumentContent": ContentQueries.textDocumentContent,
        "clifford/generatedClif": ContentQueries.generatedCLIF,
        "clifford/clifAtPosition": SideBySideQueries.clifAtPosition,
        "textDocument/semanticTokens/full": SemanticTokenQueries.full,
        "textDocument/semanticTokens/full/delta": SemanticTokenQueries.delta,
        "textDocument/semanticTokens/range": SemanticTokenQueries.range,
        "textDocument/completion": CompletionQueries.completion,
    ]

    /// `textDocument/diagnostic`: the diagnostics of the document's current version.
    static let pullDiagnostics: QueryHandler = { params, context in
        let uri = try params["textDocument"]["uri"].string()
        guard let analysis = try await context.currentAnalysis(of: uri) else {
            return ["kind": "full", "items": []]
        }
        return ["kind": "full", "items": analysis.diagnosticsJSON(encoding: context.encoding, filter: context.settings.diagnostics)]
    }
}
