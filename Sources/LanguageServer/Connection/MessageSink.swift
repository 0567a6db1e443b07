import JSON

/// Where the server sends its messages: stdout in production, a recorder in tests.
public protocol MessageSink: Sendable {
    func send(_ message: JSONValue)
}
