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
    /// The analyser of each language; rebuilt when the translation settings change.
    var services: [DocumentLanguage: any LanguageService]
    var queries: [String: QueryHandler]

    var phase = Phase.uninitialized
    var encoding = PositionEncoding.utf16
    var workspace = Workspace()
    var inFlight: [RequestID: Task<Void, Never>] = [:]
    /// Created by `initialize`, once the position encoding and the diagnostics mode are known.
    var scheduler: AnalysisScheduler?
    /// What the client supports, from `initialize`.
    var client = ClientSupport()
    /// Whether the client pulls diagnostics (`textDocument/diagnostic`) instead of being sent them.
    var clientPullsDiagnostics: Bool { client.pullsDiagnostics }
    var settings = ServerSettings()
    /// Which diagnostics are shown, shared with the scheduler's publishing callback.
    let diagnosticFilter = SharedDiagnosticFilter()
    /// WAT modules linked from `.clif` files, analysed from disk.
    let linkedSources = LinkedSources()
    /// Requests sent to the client and waiting for their answer.
    var clientRequests = ClientRequests()
    /// How long an answer from the client is waited for.
    let clientAnswerTimeout: Duration
    /// Fingerprints of the generated CLIF last reported per generated URI (see
    /// `clifford/didChangeGeneratedClif`).
    var generatedFingerprints: [String: GeneratedCLIFFingerprint] = [:]

    /// Set once the client has sent `exit`: 0 after `shutdown`, 1 otherwise.
    public internal(set) var exitCode: Int32?

    /// - Parameters:
    ///   - services: the analyser of each language.
    ///   - queries: extra request handlers (tests use this to add slow or failing handlers).
    ///   - clientAnswerTimeout: how long to wait for the client to answer a request of the server's.
    public init(sink: MessageSink, logger: Logger, info: ServerInfo,
                services: [DocumentLanguage: any LanguageService] = [:], queries: [String: QueryHandler] = [:],
                clientAnswerTimeout: Duration = .seconds(30)) {
        self.clientAnswerTimeout = clientAnswerTimeout
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
            await handleRequest(id: id, method: method, params: ParamsReader(params))
        case .notification(let method, let params):
            await handleNotification(method: method, params: ParamsReader(params))
        case .response(let id, let result, let error):
            receiveAnswer(id: id, result: result, error: error)
        }
    }

    func reply(_ id: RequestID, _ result: Result<JSONValue, ResponseError>) {
        switch result {
        case .success(let value): sink.send(OutgoingMessage.response(id: id, result: value))
        case .failure(let error): sink.send(OutgoingMessage.error(id: id, error))
        }
    }
}
