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
        var breaks = 0
        forEachLineStart(in: bytes) { _ in breaks += 1 }
        var starts: [Offset] = []
        starts.reserveCapacity(breaks + 1)
        starts.append(make(0))
        forEachLineStart(in: bytes) { starts.append(make($0)) }
        return starts
    }

    /// Calls `body` with the start of every line after the first.
    @inline(__always)
    private static func forEachLineStart(in bytes: [UInt8], _ body: (Int) -> Void) {
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            var index = 0
            let count = buffer.count
            while index < count {
                // Eight bytes at a time while none of them is a line break.
                if index + 8 <= count && !mayHoldLineBreak(UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)) {
                    index += 8
                    continue
                }
                let byte = base[index]
                if byte == 0x0A {
                    body(index + 1)
                } else if byte == 0x0D {
                    if index + 1 < count && base[index + 1] == 0x0A { index += 1 }
                    body(index + 1)
                }
                index += 1
            }
        }
    }

    /// False only when none of the word's eight bytes is `\n` or `\r` (the classic "has a zero
    /// byte" test on the word xor-ed with each byte).
    @inline(__always)
    private static func mayHoldLineBreak(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let newline = word ^ (ones &* 0x0A)
        let carriageReturn = word ^ (ones &* 0x0D)
        return ((newline &- ones) & ~newline & highs) | ((carriageReturn &- ones) & ~carriageReturn & highs) != 0
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { wide.isEmpty ? narrow.count : wide.count }

    public subscript(line: Int) -> Int {
        wide.isEmpty ? Int(narrow[line]) : wide[line]
    }

    /// The line starts after an edit of the text, now `byteCount` bytes long: lines up to and
    /// including `kept` start where they did, `middle` lists the starts found again in the
    /// changed lines, and the lines from `resume` on start `delta` bytes later.
    func replacing(keeping kept: Int, middle: [Int], resumingAt resume: Int, movedBy delta: Int, byteCount: Int) -> LineStarts {
        guard wide.isEmpty, byteCount <= Int(UInt32.max) else {
            var starts = (0...kept).map { self[$0] } + middle
            starts += (resume..<count).map { self[$0] + delta }
            return LineStarts(starts, byteCount: byteCount)
        }
        let total = kept + 1 + middle.count + (narrow.count - resume)
        let shift = UInt32(truncatingIfNeeded: delta)
        var result = LineStarts([], byteCount: 0)
        result.narrow = [UInt32](unsafeUninitializedCapacity: total) { buffer, initialized in
            narrow.withUnsafeBufferPointer { old in
                var at = UnsafeMutableBufferPointer(rebasing: buffer[0...kept]).initialize(fromContentsOf: old[0...kept])
                for start in middle {
                    buffer.initializeElement(at: at, to: UInt32(truncatingIfNeeded: start))
                    at += 1
                }
                for line in resume..<old.count {
                    buffer.initializeElement(at: at, to: old[line] &+ shift)
                    at += 1
                }
                initialized = at
            }
        }
        return result
    }
}
