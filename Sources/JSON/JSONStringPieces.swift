/// The content of a JSON string produced piece by piece (UTF-8 bytes) when it is written, so a
/// very large string (a whole generated document) never exists in one piece: the serializer
/// escapes each piece straight into json-c's output buffer. The pieces, joined, must be UTF-8; a
/// piece may end inside a multibyte character that the next one completes. A piece may be read
/// more than once, and `nil` for a piece stops the production (the writer gives up; a client
/// cancelled, say). A class, so that `JSONValue` stays as small as a String (one reference).
public final class JSONStringPieces: Sendable {
    /// How many pieces the string has.
    public let count: Int
    private let produce: @Sendable (Int) -> [UInt8]?

    /// - Parameters:
    ///   - count: the number of pieces.
    ///   - piece: the bytes of piece `index` (`0..<count`), or nil to stop.
    public init(count: Int, piece: @escaping @Sendable (_ index: Int) -> [UInt8]?) {
        self.count = max(0, count)
        self.produce = piece
    }

    /// Fixed pieces, for tests and small texts.
    public convenience init(_ pieces: [[UInt8]]) {
        self.init(count: pieces.count) { pieces[$0] }
    }

    /// Piece `index`, or nil when the producer stopped.
    public func piece(_ index: Int) -> [UInt8]? {
        produce(index)
    }

    /// The whole string, or nil when the producer stopped. It builds the very copy the pieces
    /// exist to avoid: for tests and for small values.
    public var joined: String? {
        var bytes: [UInt8] = []
        for index in 0..<count {
            guard let piece = produce(index) else { return nil }
            bytes += piece
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
