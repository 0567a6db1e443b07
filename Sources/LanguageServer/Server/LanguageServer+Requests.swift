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
            let answer = await LanguageServer.answer(id: id, method: method, params: params, context: context,
                                                     handler: handler, logger: logger)
            self.finishQuery(id: id, answer: answer)
        }
    }

    /// Runs a query and writes its answer as JSON text, both off the actor: a large answer (a whole
    /// generated document, produced function by function while it is written) then delays no
    /// other message. Nil only when not even an error could be written (no memory).
    @concurrent
    private static func answer(id: RequestID, method: String, params: ParamsReader, context: QueryContext,
                               handler: QueryHandler, logger: Logger) async -> SerializedJSON? {
        let message: JSONValue
        do {
            message = OutgoingMessage.response(id: id, result: try await handler(params, context))
        } catch let error as ResponseError {
            message = OutgoingMessage.error(id: id, error)
        } catch is CancellationError {
            message = OutgoingMessage.error(id: id, .cancelled)
        } catch {
            logger.error("\(method) failed: \(error)")
            message = OutgoingMessage.error(id: id, .internalError("\(method) failed: \(error)"))
        }
        if let text = SerializedJSON(message) { return text }
        // Only a cancelled production of a string's pieces (or no memory) stops the writing.
        let error: ResponseError = Task.isCancelled ? .cancelled : .internalError("\(method): its answer could not be written")
        return SerializedJSON(OutgoingMessage.error(id: id, error))
    }

    /// Sends a query's answer unless it was cancelled (and so already answered) meanwhile.
    private func finishQuery(id: RequestID, answer: SerializedJSON?) {
        guard inFlight.removeValue(forKey: id) != nil else { return }
        if let answer {
            sink.send(serialized: answer)
        } else {
            reply(id, .failure(.internalError("the answer could not be written")))
        }
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
