/// The byte offset at which each line of a text begins, stored as 32-bit offsets (half the memory
/// of `[Int]`); a text of 4 GiB or more keeps full-width offsets. Lines end at `\n`, `\r\n` or a
/// lone `\r`, as LSP says.
public struct LineStarts: RandomAccessCollection, Sendable {
    private var narrow: [UInt32]
    private var wide: [Int]

    /// The line starts of `bytes`.
    public init(of bytes: [UInt8]) {
        narrow = []
        wide = []
        if bytes.count <= Int(UInt32.max) {
            narrow = Self.scan(bytes) { UInt32(truncatingIfNeeded: $0) }
        } else {
            wide = Self.scan(bytes) { $0 }
        }
    }

    /// Line starts already computed for a text of `byteCount` bytes.
    init(_ starts: [Int], byteCount: Int) {
        if byteCount <= Int(UInt32.max) {
            narrow = starts.map { UInt32(truncatingIfNeeded: $0) }
            wide = []
        } else {
            narrow = []
            wide = starts
        }
    }

    private static func scan<Offset>(_ bytes: [UInt8], _ make: (Int) -> Offset) -> [Offset] {
        var newlines = 0
        for byte in bytes where byte == 0x0A || byte == 0x0D { newlines += 1 }
        var starts: [Offset] = []
        starts.reserveCapacity(newlines + 1)
        starts.append(make(0))
        bytes.withUnsafeBufferPointer { buffer in
            var index = 0
            let count = buffer.count
            while index < count {
                let byte = buffer[index]
                if byte == 0x0A {
                    starts.append(make(index + 1))
                } else if byte == 0x0D {
                    if index + 1 < count && buffer[index + 1] == 0x0A { index += 1 }
                    starts.append(make(index + 1))
                }
                index += 1
            }
        }
        return starts
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { wide.isEmpty ? narrow.count : wide.count }

    public subscript(line: Int) -> Int {
        wide.isEmpty ? Int(narrow[line]) : wide[line]
    }
}
