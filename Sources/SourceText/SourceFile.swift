/// An immutable text with its UTF-8 bytes and an index of line starts. Every analysis reads a
/// `SourceFile`; an edit makes a new one. A file may also be a fragment of a larger document that
/// starts at line `firstLine` of it (a function of generated CLIF): editor positions then count
/// the document's lines, offsets the fragment's bytes.
public struct SourceFile: Sendable {
    /// The text as UTF-8 bytes; `TextRange` offsets index into this.
    public let utf8: [UInt8]
    /// Byte offset at which each line begins.
    public let lineStarts: LineStarts
    /// The document line on which the text begins (0 unless the file is a fragment).
    public let firstLine: Int

    /// The text as a String, decoded from `utf8` on each use (the bytes are the only copy kept).
    public var text: String { String(decoding: utf8, as: UTF8.self) }

    public init(_ text: String) {
        self.init(utf8: Array(text.utf8))
    }

    /// Creates a file from raw bytes. Invalid UTF-8 is repaired (U+FFFD) so that offsets always
    /// fall on scalar boundaries of valid text.
    public init(utf8 bytes: [UInt8], firstLine: Int = 0) {
        var repaired = bytes
        if !SourceFile.isValidUTF8(bytes) {
            repaired = Array(String(decoding: bytes, as: UTF8.self).utf8)
        }
        self.utf8 = repaired
        self.lineStarts = LineStarts(of: repaired)
        self.firstLine = max(0, firstLine)
    }

    /// A file whose parts are already known to agree (valid UTF-8, its line index).
    init(validUTF8 bytes: [UInt8], lineStarts: LineStarts, firstLine: Int) {
        self.utf8 = bytes
        self.lineStarts = lineStarts
        self.firstLine = firstLine
    }

    /// Whether `bytes` are well-formed UTF-8 (ASCII text is recognised eight bytes at a time).
    public static func isValidUTF8(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { buffer in
            // ASCII needs no decoding; only text with other bytes is checked by the decoder.
            guard !isASCII(buffer) else { return true }
            var iterator = buffer.makeIterator()
            var decoder = UTF8()
            while true {
                switch decoder.decode(&iterator) {
                case .scalarValue: continue
                case .emptyInput: return true
                case .error: return false
                }
            }
        }
    }

    private static func isASCII(_ buffer: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = buffer.baseAddress else { return true }
        var index = 0
        var high: UInt64 = 0
        while index + 8 <= buffer.count {
            high |= UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
            index += 8
        }
        while index < buffer.count {
            high |= UInt64(base[index])
            index += 1
        }
        return high & 0x8080_8080_8080_8080 == 0
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
        Substring(String(decoding: utf8[range.start..<range.end], as: UTF8.self))
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
        return (firstLine + line + 1, column)
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
