import JSON

/// How the client answered a request the server sent it.
public enum ClientAnswer: Sendable, Equatable {
    case result(JSONValue)
    case error(ResponseError)
    /// No answer arrived in time (or the server stopped waiting).
    case none
}

/// The requests the server has sent to the client and not yet seen answered: their ids (a counter
/// of the server's own, `s1`, `s2`, …, so they never collide with the client's) and who waits for
/// each answer. Entries leave when the answer arrives or when they expire, so a client that never
/// answers costs nothing lasting.
struct ClientRequests {
    struct Pending {
        let method: String
        /// Nil for requests whose answer nobody waits for (refresh requests).
        let continuation: CheckedContinuation<ClientAnswer, Never>?
    }

    private var nextNumber = 1
    private(set) var pending: [RequestID: Pending] = [:]

    /// Records a new request and returns its id.
    mutating func register(method: String, continuation: CheckedContinuation<ClientAnswer, Never>?) -> RequestID {
        let id = RequestID.string("s\(nextNumber)")
        nextNumber += 1
        pending[id] = Pending(method: method, continuation: continuation)
        return id
    }

    /// Removes and returns the request with `id`, if it is still pending.
    mutating func take(_ id: RequestID) -> Pending? {
        pending.removeValue(forKey: id)
    }
}
