import JSON

extension LanguageServer {
    /// Sends a request to the client and waits for its answer, at most `clientAnswerTimeout`.
    /// Call it from a task of its own, never from the path that handles incoming messages: the
    /// answer is itself an incoming message.
    func requestFromClient(_ method: String, _ params: JSONValue?) async -> ClientAnswer {
        await withCheckedContinuation { (continuation: CheckedContinuation<ClientAnswer, Never>) in
            let id = clientRequests.register(method: method, continuation: continuation)
            sink.send(OutgoingMessage.request(id: id, method: method, params: params))
            expireLater(id)
        }
    }

    /// Sends a request whose answer does not matter (e.g. a refresh); the entry kept for its id is
    /// dropped when the answer arrives or the timeout passes.
    func sendToClient(_ method: String, _ params: JSONValue?) {
        let id = clientRequests.register(method: method, continuation: nil)
        sink.send(OutgoingMessage.request(id: id, method: method, params: params))
        expireLater(id)
    }

    /// How many requests to the client are still waiting for an answer (for tests).
    public var pendingClientRequestCount: Int { clientRequests.pending.count }

    private func expireLater(_ id: RequestID) {
        let timeout = clientAnswerTimeout
        Task { [weak self] in
            try? await Task.sleep(for: timeout)
            await self?.expireClientRequest(id)
        }
    }

    private func expireClientRequest(_ id: RequestID) {
        guard let pending = clientRequests.take(id) else { return }
        logger.debug("no answer to \(pending.method) (\(id)) in time; no longer waiting")
        pending.continuation?.resume(returning: .none)
    }

    /// Routes the client's answer to the request it answers.
    func receiveAnswer(id: RequestID?, result: JSONValue?, error: JSONValue?) {
        guard let id, let pending = clientRequests.take(id) else {
            logger.debug("ignoring an answer to \(id?.description ?? "null"), which is not a pending request")
            return
        }
        if let error {
            let code = error["code"]?.intValue ?? ResponseError.internalErrorCode
            let message = error["message"]?.stringValue ?? ""
            logger.debug("\(pending.method) (\(id)) failed in the client: \(message)")
            pending.continuation?.resume(returning: .error(ResponseError(code: code, message: message)))
        } else {
            pending.continuation?.resume(returning: .result(result ?? .null))
        }
    }

    /// Stops waiting for every answer (at shutdown).
    func abandonClientRequests() {
        for id in Array(clientRequests.pending.keys) { expireClientRequest(id) }
    }
}
