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
    let services: [DocumentLanguage: any LanguageService]
    var queries: [String: QueryHandler]

    var phase = Phase.uninitialized
    var encoding = PositionEncoding.utf16
    var workspace = Workspace()
    var inFlight: [RequestID: Task<Void, Never>] = [:]
    /// Created by `initialize`, once the position encoding and the diagnostics mode are known.
    var scheduler: AnalysisScheduler?
    /// Whether the client pulls diagnostics (`textDocument/diagnostic`) instead of being sent them.
    var clientPullsDiagnostics = false
    var settings = ServerSettings()

    /// Set once the client has sent `exit`: 0 after `shutdown`, 1 otherwise.
    public internal(set) var exitCode: Int32?

    /// - Parameters:
    ///   - services: the analyser of each language.
    ///   - queries: extra request handlers (tests use this to add slow or failing handlers).
    public init(sink: MessageSink, logger: Logger, info: ServerInfo,
                services: [DocumentLanguage: any LanguageService] = [:], queries: [String: QueryHandler] = [:]) {
        self.sink = sink
        self.logger = logger
        self.info = info
        self.services = services
        self.queries = LanguageServer.builtinQueries.merging(queries) { _, injected in injected }
    }

    /// The exit code to use when the input ends without `exit`.
    public var exitCodeAtEndOfInput: Int32 { phase == .shuttingDown ? 0 : 1 }

    /// Handles one message body as framed on the wire.
    public func receive(body: [UInt8]) async {
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
            await handle(message)
        case .failure(let invalid):
            logger.warning("invalid message: \(invalid.error.message)")
            sink.send(OutgoingMessage.error(id: invalid.id, invalid.error))
        }
    }

    /// Handles one classified message.
    public func handle(_ message: IncomingMessage) async {
        switch message {
        case .request(let id, let method, let params):
            handleRequest(id: id, method: method, params: ParamsReader(params))
        case .notification(let method, let params):
            await handleNotification(method: method, params: ParamsReader(params))
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
