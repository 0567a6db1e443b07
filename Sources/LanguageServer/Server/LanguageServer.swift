import JSON
import SourceText

/// The server's state machine. Messages are handed to it one at a time, in the order they were
/// read; notifications (document changes above all) are applied before the next message is
/// looked at. Requests that only read state run as tasks off the actor, can be cancelled, and
/// answer exactly once.
public actor LanguageServer {
    enum Phase {
        case uninitialized, running, shuttingDown
    }

    let sink: MessageSink
    let logger: Logger
    let info: ServerInfo
    let queries: [String: QueryHandler]

    var phase = Phase.uninitialized
    var encoding = PositionEncoding.utf16
    var workspace = Workspace()
    var inFlight: [RequestID: Task<Void, Never>] = [:]

    /// Set once the client has sent `exit`: 0 after `shutdown`, 1 otherwise.
    public internal(set) var exitCode: Int32?

    public init(sink: MessageSink, logger: Logger, info: ServerInfo, queries: [String: QueryHandler] = [:]) {
        self.sink = sink
        self.logger = logger
        self.info = info
        self.queries = queries
    }

    /// The exit code to use when the input ends without `exit`.
    public var exitCodeAtEndOfInput: Int32 { phase == .shuttingDown ? 0 : 1 }

    /// Handles one message body as framed on the wire.
    public func receive(body: [UInt8]) {
        let json: JSONValue
        do {
            json = try JSONValue.parse(body)
        } catch {
            logger.warning("unreadable message: \(error)")
            sink.send(OutgoingMessage.error(id: nil, .parseError("invalid JSON: \(error)")))
            return
        }
        switch IncomingMessage.classify(json) {
        case .success(let message):
            handle(message)
        case .failure(let invalid):
            logger.warning("invalid message: \(invalid.error.message)")
            sink.send(OutgoingMessage.error(id: invalid.id, invalid.error))
        }
    }

    /// Handles one classified message.
    public func handle(_ message: IncomingMessage) {
        switch message {
        case .request(let id, let method, let params):
            handleRequest(id: id, method: method, params: ParamsReader(params))
        case .notification(let method, let params):
            handleNotification(method: method, params: ParamsReader(params))
        case .response(let id, _, _):
            logger.debug("ignoring a response to \(id?.description ?? "null"): the server sends no requests")
        }
    }

    func reply(_ id: RequestID, _ result: Result<JSONValue, ResponseError>) {
        switch result {
        case .success(let value): sink.send(OutgoingMessage.response(id: id, result: value))
        case .failure(let error): sink.send(OutgoingMessage.error(id: id, error))
        }
    }
}
