/// A document's semantic tokens as LSP sends them (five integers per token: line delta, start
/// delta, length, type, modifiers), packed as LEB128 bytes: about 5 bytes a token instead of the
/// 20 of a `[UInt32]`, which is what the delta and range requests keep per document. Tokens
/// that span lines are already split into pieces, one per line; a bit per piece tells which
/// pieces continue the token before them, and checkpoints at token starts let a range request
/// begin decoding near its range.
public struct SemanticTokenData: Sendable {
    /// The integers, each as LEB128 (seven bits a byte, low first; a clear high bit ends one).
    private(set) var bytes: [UInt8] = []
    /// How many integers the data holds (five per piece).
    public private(set) var count = 0
    /// Bit `i` set: piece `i` continues the token of piece `i - 1` on a following line.
    private(set) var continuations: [UInt64] = []
    /// Where decoding may start, at token starts about `checkpointSpacing` pieces apart.
    private(set) var checkpoints: [Checkpoint] = []

    /// A token start: its piece's first byte in `bytes`, its index, and its absolute position
    /// (which the line and start deltas of the pieces before it add up to).
    struct Checkpoint: Sendable {
        var offset: UInt32
        var piece: UInt32
        var line: UInt32
        var character: UInt32
    }

    static let checkpointSpacing = 64

    private var line = 0
    private var character = 0

    public init() {}

    /// The packed size in bytes.
    public var byteCount: Int { bytes.count }

    /// How many pieces (five integers each) the data holds.
    var pieceCount: Int { count / 5 }

    /// Appends a piece at an absolute position, which must not come before the previous piece's.
    mutating func append(line: Int, character: Int, length: Int, type: UInt8, modifiers: UInt16, continuesToken: Bool) {
        let piece = pieceCount
        if piece % 64 == 0 { continuations.append(0) }
        if continuesToken {
            continuations[piece / 64] |= 1 << UInt64(piece % 64)
        } else if checkpoints.isEmpty || piece - Int(checkpoints[checkpoints.count - 1].piece) >= Self.checkpointSpacing {
            checkpoints.append(Checkpoint(offset: UInt32(truncatingIfNeeded: bytes.count), piece: UInt32(truncatingIfNeeded: piece),
                                          line: UInt32(truncatingIfNeeded: line), character: UInt32(truncatingIfNeeded: character)))
        }
        let lineDelta = UInt32(truncatingIfNeeded: line - self.line)
        let startDelta = UInt32(truncatingIfNeeded: line == self.line ? character - self.character : character)
        let length = UInt32(truncatingIfNeeded: length)
        if lineDelta | startDelta | length | UInt32(type) | UInt32(modifiers) < 0x80 {
            // The common case: five one-byte integers.
            bytes.append(contentsOf: [UInt8(lineDelta), UInt8(startDelta), UInt8(length), type, UInt8(modifiers)])
            count += 5
        } else {
            append(lineDelta)
            append(startDelta)
            append(length)
            append(UInt32(type))
            append(UInt32(modifiers))
        }
        self.line = line
        self.character = character
    }

    private mutating func append(_ value: UInt32) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
        count += 1
    }

    /// Reserves room for about `pieces` pieces (a guess: most integers take one byte).
    mutating func reserveCapacity(pieces: Int) {
        bytes.reserveCapacity(pieces * 5 + pieces / 4)
        continuations.reserveCapacity(pieces / 64 + 1)
        checkpoints.reserveCapacity(pieces / Self.checkpointSpacing + 1)
    }

    /// Whether piece `index` continues the token of the piece before it.
    func continuesToken(_ index: Int) -> Bool {
        continuations[index / 64] & (1 << UInt64(index % 64)) != 0
    }

    /// Calls `body` with every integer from byte `offset` on, at most `limit` of them.
    public func forEach(from offset: Int = 0, limit: Int = .max, _ body: (UInt32) -> Void) {
        bytes.withUnsafeBufferPointer { bytes in
            var index = offset
            var left = limit
            while index < bytes.count && left > 0 {
                body(Self.decode(bytes, &index))
                left -= 1
            }
        }
    }

    /// All the integers (a copy four times the packed size: for tests and small data).
    public var integers: [UInt32] {
        var integers: [UInt32] = []
        integers.reserveCapacity(count)
        forEach { integers.append($0) }
        return integers
    }

    /// The integer starting at `index`, which moves past it.
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, _ index: inout Int) -> UInt32 {
        var value: UInt32 = 0
        var shift: UInt32 = 0
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            value |= UInt32(byte & 0x7F) << shift
            if byte < 0x80 { break }
            shift += 7
        }
        return value
    }
}
