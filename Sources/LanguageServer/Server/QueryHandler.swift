import JSON
import SourceText

/// What a request handler that only reads state is given: the workspace as it was when the
/// request arrived, and the negotiated position encoding.
public struct QueryContext: Sendable {
    public let workspace: Workspace
    public let encoding: PositionEncoding
    public let logger: Logger
}

/// A request handler that runs off the server actor, so it never delays the messages behind it.
/// It should check `Task.isCancelled` (or call `Task.checkCancellation()`) between steps of long work.
public typealias QueryHandler = @Sendable (_ params: ParamsReader, _ context: QueryContext) async throws -> JSONValue
