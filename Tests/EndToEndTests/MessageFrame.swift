import JSON
import LanguageServer

/// Framed bytes of a message, for tests that write raw chunks.
enum MessageFrame {
    static func bytes(_ message: JSONValue) -> [UInt8] {
        MessageFramer.frame(message.serializedBytes())
    }
}
