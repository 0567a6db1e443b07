import SourceText
import Synchronization

/// The previous finished analysis of a document, handed to the analysis of a newer version. An
/// analysis that needs it only at its start (to publish first diagnostics from it, to take the
/// translations it reuses) lets go of it with `release()`, so that two whole analyses are not
/// alive at once while the new one is built. From then on the scheduler no longer cancels the new
/// analysis: it is the base the next version's analysis starts from.
public final class AnalysisBase: Sendable {
    private let slot: Mutex<(any DocumentAnalysis)?>
    private let onRelease: @Sendable () async -> Void

    /// A base that nobody else holds: releasing it only drops the reference.
    public convenience init(_ analysis: (any DocumentAnalysis)?) {
        self.init(analysis, onRelease: {})
    }

    init(_ analysis: (any DocumentAnalysis)?, onRelease: @escaping @Sendable () async -> Void) {
        slot = Mutex(analysis)
        self.onRelease = onRelease
    }

    /// The previous analysis; nil when there was none or it was released.
    public var analysis: (any DocumentAnalysis)? {
        slot.withLock { $0 }
    }

    /// Drops the previous analysis here and in the scheduler, which keeps only its identity.
    public func release() async {
        let dropped = slot.withLock { analysis in
            defer { analysis = nil }
            return analysis != nil
        }
        if dropped { await onRelease() }
    }
}

/// What the scheduler keeps of an analysis once the analysis of a newer version released it: its
/// identity only, for requests that time out waiting (they compare versions).
struct ReleasedAnalysis: DocumentAnalysis {
    let uri: String
    let version: Int
    var file: SourceFile { SourceFile(utf8: []) }
    var diagnostics: [Diagnostic] { [] }
}
