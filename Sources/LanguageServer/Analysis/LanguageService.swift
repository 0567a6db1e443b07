/// Analyses documents of one language. Implementations are plain values that turn a snapshot
/// into an analysis; they know nothing of the protocol.
public protocol LanguageService: LanguageFeatures {
    /// Analyses `snapshot`. `previous` is the last finished analysis of the same document, for
    /// reuse (e.g. translation cached per function). Long work should check for cancellation
    /// between steps (`try Task.checkCancellation()`).
    func analyze(_ snapshot: DocumentSnapshot, previous: (any DocumentAnalysis)?) async throws -> any DocumentAnalysis
}
