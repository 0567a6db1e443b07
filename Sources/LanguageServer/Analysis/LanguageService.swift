/// Analyses documents of one language. Implementations are plain values that turn a snapshot
/// into an analysis; they know nothing of the protocol.
public protocol LanguageService: LanguageFeatures {
    /// Analyses `snapshot`. `previous` is the last finished analysis of the same document, for
    /// reuse (e.g. translation cached per function). Long work should check for cancellation
    /// between steps (`try Task.checkCancellation()`).
    func analyze(_ snapshot: DocumentSnapshot, previous: (any DocumentAnalysis)?) async throws -> any DocumentAnalysis

    /// The same, handing a preliminary analysis to `report` before a slow last stage (see below).
    func analyze(_ snapshot: DocumentSnapshot, previous: (any DocumentAnalysis)?,
                 report: @Sendable (any DocumentAnalysis) async -> Void) async throws -> any DocumentAnalysis

    /// The same, with the previous analysis in a `base` the service may release once it took
    /// what it reuses (see `AnalysisBase`). This is what the scheduler calls.
    func analyze(_ snapshot: DocumentSnapshot, base: AnalysisBase,
                 report: @Sendable (any DocumentAnalysis) async -> Void) async throws -> any DocumentAnalysis
}

extension LanguageService {
    /// Like `analyze`, for services whose analysis has a slow last stage: such a service hands a
    /// preliminary analysis (its diagnostics so far) to `report` before that stage, so editors see
    /// errors early. By default there is no preliminary analysis.
    public func analyze(_ snapshot: DocumentSnapshot, previous: (any DocumentAnalysis)?,
                        report: @Sendable (any DocumentAnalysis) async -> Void) async throws -> any DocumentAnalysis {
        try await analyze(snapshot, previous: previous)
    }

    /// By default the previous analysis is held until the analysis ends.
    public func analyze(_ snapshot: DocumentSnapshot, base: AnalysisBase,
                        report: @Sendable (any DocumentAnalysis) async -> Void) async throws -> any DocumentAnalysis {
        try await analyze(snapshot, previous: base.analysis, report: report)
    }
}
