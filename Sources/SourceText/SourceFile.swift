/// An immutable text with its UTF-8 bytes and an index of line starts. Every analysis reads a
/// `SourceFile`; an edit makes a new one.
public struct SourceFile: Sendable {
    /// The text as a String.
    public let text: String
    /// The text as UTF-8 bytes; `TextRange` offsets index into this.
    public let utf8: [UInt8]
    /// Byte offset at which each line begins. Lines end at `\n`, `\r\n` or a lone `\r`, as LSP says.
    public let lineStarts: [Int]

    public init(_ text: String) {
        self.init(utf8: Array(text.utf8))
    }

    /// Creates a file from raw bytes. Invalid UTF-8 is repaired (U+FFFD) so that offsets always
    /// fall on scalar boundaries of valid text.
    public init(utf8 bytes: [UInt8]) {
        let decoded = String(decoding: bytes, as: UTF8.self)
        let repaired = Array(decoded.utf8)
        self.text = decoded
        self.utf8 = repaired
        self.lineStarts = SourceFile.computeLineStarts(repaired)
    }

    /// A file whose parts are already known to agree (valid UTF-8, its line index).
    init(text: String, utf8: [UInt8], lineStarts: [Int]) {
        self.text = text
        self.utf8 = utf8
        self.lineStarts = lineStarts
    }

    static func computeLineStarts(_ bytes: [UInt8]) -> [Int] {
        var starts = [0]
        starts.reserveCapacity(bytes.count / 32 + 1)
        var index = 0
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            if byte == 0x0A {
                starts.append(index + 1)
            } else if byte == 0x0D {
                if index + 1 < count && bytes[index + 1] == 0x0A {
                    index += 1
                }
                starts.append(index + 1)
            }
            index += 1
        }
        return starts
    }

    /// Number of lines; an empty file and a file ending in a newline count the final empty line.
    public var lineCount: Int { lineStarts.count }

    /// The whole text as a range.
    public var fullRange: TextRange { TextRange(start: 0, end: utf8.count) }

    /// The zero-based line holding `offset` (clamped into the file).
    public func line(containing offset: Int) -> Int {
        let target = max(0, min(offset, utf8.count))
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if lineStarts[mid] <= target { low = mid } else { high = mid - 1 }
        }
        return low
    }

    /// The range of line `line` without its terminator.
    public func contentRange(ofLine line: Int) -> TextRange {
        let start = lineStarts[line]
        var end = line + 1 < lineStarts.count ? lineStarts[line + 1] : utf8.count
        if end > start && utf8[end - 1] == 0x0A { end -= 1 }
        if end > start && utf8[end - 1] == 0x0D { end -= 1 }
        return TextRange(start: start, end: end)
    }

    /// The text of `range` (which must lie inside the file).
    public subscript(range: TextRange) -> Substring {
        let view = text.utf8
        let lower = view.index(view.startIndex, offsetBy: range.start)
        let upper = view.index(lower, offsetBy: range.length)
        return text[lower..<upper]
    }

    /// One-based line and one-based column counted in Unicode scalars: what command-line
    /// messages (`path:line:col`) show.
    public func humanLocation(of offset: Int) -> (line: Int, column: Int) {
        let clamped = max(0, min(offset, utf8.count))
        let line = line(containing: clamped)
        var column = 1
        var index = lineStarts[line]
        while index < clamped {
            index += UTF8Scalars.length(ofScalarStartingWith: utf8[index])
            column += 1
        }
        return (line + 1, column)
    }
}

/// Small facts about UTF-8 encoded scalars.
enum UTF8Scalars {
    /// Number of bytes of the scalar whose first byte is `lead` (1 for a stray continuation byte).
    @inline(__always)
    static func length(ofScalarStartingWith lead: UInt8) -> Int {
        if lead < 0x80 { return 1 }
        if lead < 0xE0 { return lead < 0xC0 ? 1 : 2 }
        if lead < 0xF0 { return 3 }
        return 4
    }
}
