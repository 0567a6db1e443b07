import JSON
import LanguageServer
import Synchronization

/// A message sink that keeps what the server sent, for tests to inspect and wait on.
final class RecordingSink: MessageSink {
    private let messages = Mutex<[JSONValue]>([])

    func send(_ message: JSONValue) {
        messages.withLock { $0.append(message) }
    }

    var sent: [JSONValue] { messages.withLock { $0 } }

    /// The answer to request `id`, waiting up to `seconds` for it to arrive.
    func response(to id: RequestID, within seconds: Double = 30) async -> JSONValue? {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while ContinuousClock.now < deadline {
            if let found = sent.first(where: { $0["id"] == id.json }) { return found }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return nil
    }

    func responses(to id: RequestID) -> [JSONValue] {
        sent.filter { $0["id"] == id.json }
    }
}
