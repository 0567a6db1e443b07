import JSON

/// Where the server sends its messages: stdout in production, a recorder in tests.
public protocol MessageSink: Sendable {
    func send(_ message: JSONValue)
    /// Sends a message already written as JSON text (a request's answer, serialized by the task
    /// that computed it rather than by the server actor).
    func send(serialized message: SerializedJSON)
}

extension MessageSink {
    /// Reads the text back into a value, for sinks that keep values (tests).
    public func send(serialized message: SerializedJSON) {
        send(message.withBytes { try? JSONValue.parse($0) } ?? .null)
    }
}
