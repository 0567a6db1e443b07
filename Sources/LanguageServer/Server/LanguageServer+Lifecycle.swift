import JSON
import SourceText

extension LanguageServer {
    /// `initialize`: negotiates the position encoding and advertises what the server implements.
    func initialize(_ params: ParamsReader) throws(ResponseError) -> JSONValue {
        if params.isPresent { _ = try params.object() }
        let offered = params["capabilities"]["general"]["positionEncodings"].value?.arrayValue?
            .compactMap(\.stringValue)
        encoding = PositionEncoding.negotiate(clientOffers: offered)
        phase = .running
        logger.info("initialized; position encoding \(encoding.rawValue)")
        return [
            "capabilities": capabilities(),
            "serverInfo": ["name": .string(info.name), "version": .string(info.version)],
        ]
    }

    /// Only what is implemented is advertised.
    func capabilities() -> JSONValue {
        [
            "positionEncoding": .string(encoding.rawValue),
            "textDocumentSync": [
                "openClose": true,
                "change": 2,  // incremental
                "save": ["includeText": false],
            ],
        ]
    }

    func handleNotification(method: String, params: ParamsReader) {
        if method == "exit" {
            exitCode = phase == .shuttingDown ? 0 : 1
            return
        }
        guard phase == .running else {
            logger.debug("dropping \(method): \(phase == .uninitialized ? "not initialized" : "shutting down")")
            return
        }
        do throws(ResponseError) {
            switch method {
            case "initialized":
                break
            case "$/cancelRequest":
                guard let id = params["id"].value.flatMap(RequestID.init(json:)) else {
                    throw .invalidParams("params.id must be an integer or a string")
                }
                cancel(id: id)
            case "textDocument/didOpen":
                try didOpen(params)
            case "textDocument/didChange":
                try didChange(params)
            case "textDocument/didClose":
                let uri = try params["textDocument"]["uri"].string()
                if !workspace.close(uri: uri) { logger.warning("didClose for \(uri), which is not open") }
            case "textDocument/didSave":
                _ = try params["textDocument"]["uri"].string()
            default:
                logger.debug("ignoring notification \(method)")
            }
        } catch {
            logger.warning("\(method): \(error.message)")
        }
    }
}
