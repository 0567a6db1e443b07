import JSON

extension LanguageServer {
    func handleRequest(id: RequestID, method: String, params: ParamsReader) async {
        switch (phase, method) {
        case (.uninitialized, "initialize"):
            do throws(ResponseError) {
                reply(id, .success(try await initialize(params)))
            } catch {
                reply(id, .failure(error))
            }
        case (.uninitialized, _):
            reply(id, .failure(.serverNotInitialized))
        case (.shuttingDown, _):
            reply(id, .failure(.invalidRequest("the server is shutting down")))
        case (.running, "initialize"):
            reply(id, .failure(.invalidRequest("initialize may only be sent once")))
        case (.running, "shutdown"):
            phase = .shuttingDown
            cancelAllInFlight()
            abandonClientRequests()
            reply(id, .success(.null))
        case (.running, _):
            guard let handler = queries[method] else {
                reply(id, .failure(.methodNotFound(method)))
                return
            }
            startQuery(id: id, method: method, params: params, handler: handler)
        }
    }

    private func startQuery(id: RequestID, method: String, params: ParamsReader, handler: @escaping QueryHandler) {
        guard inFlight[id] == nil else {
            reply(id, .failure(.invalidRequest("request id \(id) is already in use")))
            return
        }
        let context = QueryContext(workspace: workspace, encoding: encoding, logger: logger,
                                   scheduler: scheduler, settings: settings, services: services,
                                   linkedSources: linkedSources)
        let logger = self.logger
        inFlight[id] = Task {
            let result: Result<JSONValue, ResponseError>
            do {
                result = .success(try await handler(params, context))
            } catch let error as ResponseError {
                result = .failure(error)
            } catch is CancellationError {
                result = .failure(.cancelled)
            } catch {
                logger.error("\(method) failed: \(error)")
                result = .failure(.internalError("\(method) failed: \(error)"))
            }
            self.finishQuery(id: id, result: result)
        }
    }

    /// Sends a query's answer unless it was cancelled (and so already answered) meanwhile.
    private func finishQuery(id: RequestID, result: Result<JSONValue, ResponseError>) {
        guard inFlight.removeValue(forKey: id) != nil else { return }
        reply(id, result)
    }

    /// `$/cancelRequest`: a request still running is stopped and answered with RequestCancelled;
    /// one already answered is left alone.
    func cancel(id: RequestID) {
        guard let task = inFlight.removeValue(forKey: id) else { return }
        task.cancel()
        reply(id, .failure(.cancelled))
    }

    func cancelAllInFlight() {
        for id in Array(inFlight.keys) { cancel(id: id) }
    }
}
