import JSON
import SourceText

extension LanguageServer {
    /// `initialize`: negotiates the position encoding and advertises what the server implements.
    func initialize(_ params: ParamsReader) async throws(ResponseError) -> JSONValue {
        if params.isPresent { _ = try params.object() }
        let offered = params["capabilities"]["general"]["positionEncodings"].value?.arrayValue?
            .compactMap(\.stringValue)
        encoding = PositionEncoding.negotiate(clientOffers: offered)
        client = ClientSupport(params["capabilities"])
        await applySettings(params["initializationOptions"].value)
        scheduler = makeScheduler()
        phase = .running
        logger.info("initialized; position encoding \(encoding.rawValue)")
        return [
            "capabilities": capabilities(),
            "serverInfo": ["name": .string(info.name), "version": .string(info.version)],
        ]
    }

    /// Only what is implemented is advertised.
    func capabilities() -> JSONValue {
        var capabilities: JSONObject = [
            "positionEncoding": .string(encoding.rawValue),
            "textDocumentSync": [
                "openClose": true,
                "change": 2,  // incremental
                "save": ["includeText": false],
            ],
            "hoverProvider": true,
            "definitionProvider": true,
            "declarationProvider": true,
            "referencesProvider": true,
            "documentHighlightProvider": true,
            "documentSymbolProvider": true,
            "foldingRangeProvider": true,
            "workspace": ["textDocumentContent": ["schemes": [.string(GeneratedCLIFDocument.scheme)]]],
            "semanticTokensProvider": ["legend": SemanticTokenQueries.legend, "range": true, "full": ["delta": true]],
            "completionProvider": ["triggerCharacters": [".", "$"], "resolveProvider": false],
        ]
        if clientPullsDiagnostics {
            capabilities["diagnosticProvider"] = [
                "identifier": "clifford", "interFileDependencies": false, "workspaceDiagnostics": false,
            ]
        }
        return .object(capabilities)
    }

    /// The background analyser; finished analyses are pushed as diagnostics unless the client pulls.
    func makeScheduler() -> AnalysisScheduler {
        let sink = self.sink
        let encoding = self.encoding
        let push = !clientPullsDiagnostics
        let filter = diagnosticFilter
        let followGeneratedCLIF = client.followsGeneratedClif
        return AnalysisScheduler(services: services, debounce: settings.debounce, logger: logger) { [weak self] analysis in
            if followGeneratedCLIF { self?.followGeneratedCLIF(of: analysis) }
            guard push else { return }
            sink.send(OutgoingMessage.notification(method: "textDocument/publishDiagnostics", params: [
                "uri": .string(analysis.uri),
                "version": JSONValue(analysis.version),
                "diagnostics": analysis.diagnosticsJSON(encoding: encoding, filter: filter.current),
            ]))
        }
    }

    func handleNotification(method: String, params: ParamsReader) async {
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
                pullConfiguration()
            case "$/cancelRequest":
                guard let id = params["id"].value.flatMap(RequestID.init(json:)) else {
                    throw .invalidParams("params.id must be an integer or a string")
                }
                cancel(id: id)
            case "textDocument/didOpen":
                await analyze(try didOpen(params))
            case "textDocument/didChange":
                await analyze(try didChange(params))
            case "textDocument/didClose":
                try await didClose(params)
            case "textDocument/didSave":
                let uri = try params["textDocument"]["uri"].string()
                if let snapshot = workspace[uri] { await analyze(snapshot) }
            case "workspace/didChangeConfiguration":
                await applySettings(params["settings"].value)
                pullConfiguration()
            default:
                logger.debug("ignoring notification \(method)")
            }
        } catch {
            logger.warning("\(method): \(error.message)")
        }
    }
}
