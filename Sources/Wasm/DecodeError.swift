/// Why a binary could not be decoded, and the byte offset where that was found.
public struct DecodeError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public var offset: Int

    public init(_ message: String, at offset: Int) {
        self.message = message
        self.offset = offset
    }

    public var description: String { "\(message) (at offset 0x\(String(offset, radix: 16)))" }
}
