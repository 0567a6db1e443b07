import JSON
import SourceText

/// What a request handler that only reads state is given: the workspace as it was when the
/// request arrived, and the negotiated position encoding.
public struct QueryContext: Sendable {
    public let workspace: Workspace
    public let encoding: PositionEncoding
    public let logger: Logger
    public let scheduler: AnalysisScheduler?
    public let settings: ServerSettings
    public let services: [DocumentLanguage: any LanguageService]
    /// WAT modules that `.clif` files link to, read from disk.
    public let linkedSources: LinkedSources

    /// The finished analysis of the document's current version, waiting a bounded time for it.
    /// Throws ContentModified when only an older version's analysis is available in time.
    public func currentAnalysis(of uri: String) async throws(ResponseError) -> (any DocumentAnalysis)? {
        guard let snapshot = workspace[uri], let scheduler else { return nil }
        let analysis = await scheduler.analysis(uri: uri, version: snapshot.version, timeout: settings.requestWait)
        guard let analysis else { return nil }
        guard analysis.version >= snapshot.version else {
            throw ResponseError(code: ResponseError.contentModifiedCode,
                                message: "the analysis of version \(snapshot.version) is not ready yet")
        }
        return analysis
    }
}

/// A request handler that runs off the server actor, so it never delays the messages behind it.
/// It should check `Task.isCancelled` (or call `Task.checkCancellation()`) between steps of long work.
public typealias QueryHandler = @Sendable (_ params: ParamsReader, _ context: QueryContext) async throws -> JSONValue
