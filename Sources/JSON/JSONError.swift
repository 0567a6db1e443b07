/// Why a JSON text could not be read.
public struct JSONError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, in words.
    public var message: String
    /// Byte offset in the input where the problem was detected, when known.
    public var offset: Int?

    public init(_ message: String, offset: Int? = nil) {
        self.message = message
        self.offset = offset
    }

    public var description: String {
        if let offset { return "\(message) at byte \(offset)" }
        return message
    }
}
