/// Editor features a language service can answer from one of its analyses. Each returns plain
/// values; the server converts them to LSP. The defaults answer "nothing here".
public protocol LanguageFeatures: Sendable {
    func hover(at offset: Int, in analysis: any DocumentAnalysis) -> HoverResult?
    func definition(at offset: Int, in analysis: any DocumentAnalysis) -> [TargetLocation]
    func references(at offset: Int, includeDeclaration: Bool, in analysis: any DocumentAnalysis) -> [TargetLocation]
    func highlights(at offset: Int, in analysis: any DocumentAnalysis) -> [HighlightResult]
    func symbols(in analysis: any DocumentAnalysis) -> [SymbolResult]
    func foldingRanges(in analysis: any DocumentAnalysis) -> [FoldingResult]
    func semanticTokens(in analysis: any DocumentAnalysis) -> [SemanticToken]
    func completion(at offset: Int, in analysis: any DocumentAnalysis) -> [CompletionResult]
}

extension LanguageFeatures {
    public func hover(at offset: Int, in analysis: any DocumentAnalysis) -> HoverResult? { nil }
    public func definition(at offset: Int, in analysis: any DocumentAnalysis) -> [TargetLocation] { [] }
    public func references(at offset: Int, includeDeclaration: Bool, in analysis: any DocumentAnalysis) -> [TargetLocation] { [] }
    public func highlights(at offset: Int, in analysis: any DocumentAnalysis) -> [HighlightResult] { [] }
    public func symbols(in analysis: any DocumentAnalysis) -> [SymbolResult] { [] }
    public func foldingRanges(in analysis: any DocumentAnalysis) -> [FoldingResult] { [] }
    public func semanticTokens(in analysis: any DocumentAnalysis) -> [SemanticToken] { [] }
    public func completion(at offset: Int, in analysis: any DocumentAnalysis) -> [CompletionResult] { [] }
}
