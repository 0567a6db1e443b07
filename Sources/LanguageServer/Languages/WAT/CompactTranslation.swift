import SourceText
import WasmToCLIF

/// A printed function kept between requests in a compact form: its text compressed
/// (`ByteCodec`) in chunks of whole lines, and its decisions packed. The located lines, the line
/// index and the preamble declarations are not kept: expanding finds them again by scanning the
/// text. The first chunk is the preamble (up to the first block); each chunk records the range
/// of the source locations on its lines, so that a request about one Wasm instruction expands
/// only the preamble and the chunks that can hold its lines (`partial(around:firstLine:)`).
struct CompactTranslation: Sendable {
    /// A run of whole lines of the text, compressed on its own.
    struct Chunk: Sendable {
        var compressed: [UInt8]
        var byteCount: Int
        /// Where it starts in the text, in bytes and in lines.
        var firstByte: Int
        var firstLine: Int
        /// The smallest and largest source location of its located lines, if it has any.
        var locations: ClosedRange<Int>?
    }

    /// Chunks after the preamble hold about this many bytes of text.
    static let chunkSize = 32 << 10

    var definedIndex: Int
    /// The printed text's length.
    var byteCount: Int
    var chunks: [Chunk]
    var decisions: CompactDecisions

    init(definedIndex: Int, text: [UInt8], decisions: [RuntimeDecision], chunkSize: Int = Self.chunkSize) {
        self.definedIndex = definedIndex
        byteCount = text.count
        self.decisions = CompactDecisions(decisions)
        var chunks: [Chunk] = []
        text.withUnsafeBufferPointer { bytes in
            let count = bytes.count
            var line = 0
            func append(_ range: Range<Int>) {
                // One pass over the chunk's lines: their count and the range of their source locations.
                let firstLine = line
                var locations: ClosedRange<Int>?
                var lineStart = range.lowerBound
                while lineStart < range.upperBound {
                    let lineEnd = Self.lineBreak(in: bytes, from: lineStart)
                    if let location = PrintedTranslation.sourceLocation(in: bytes, line: lineStart..<lineEnd) {
                        locations = locations.map { min($0.lowerBound, location)...max($0.upperBound, location) } ?? location...location
                    }
                    if lineEnd < count { line += 1 }
                    lineStart = lineEnd + 1
                }
                chunks.append(Chunk(compressed: ByteCodec.compress(Array(bytes[range])), byteCount: range.count,
                                    firstByte: range.lowerBound, firstLine: firstLine, locations: locations))
            }
            // The preamble: the comment and signature lines and the declarations, up to the first block.
            var end = min(count, Self.lineBreak(in: bytes, from: 0) + 1)
            while end < count {
                let next = Self.lineBreak(in: bytes, from: end)
                if Self.startsBlock(bytes, line: end..<next) { break }
                end = min(count, next + 1)
            }
            append(0..<end)
            // Then about `chunkSize` bytes at a time, ending after a line break.
            while end < count {
                let start = end
                end = min(count, Self.lineBreak(in: bytes, from: min(count, start + max(1, chunkSize) - 1)) + 1)
                append(start..<end)
            }
        }
        self.chunks = chunks
    }

    /// The index of the first `\n` at or after `start`, or the end of the text; eight bytes at a
    /// time while none of them is one.
    private static func lineBreak(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        guard let base = bytes.baseAddress else { return 0 }
        let count = bytes.count
        var index = start
        let ones: UInt64 = 0x0101_0101_0101_0101
        while index + 8 <= count {
            let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self) ^ (ones &* 0x0A)
            if (word &- ones) & ~word & (ones &* 0x80) != 0 { break }
            index += 8
        }
        while index < count && base[index] != 0x0A { index += 1 }
        return index
    }

    /// Whether a line is a block header (`    block3(v1: i64):`), which ends the preamble.
    private static func startsBlock(_ bytes: UnsafeBufferPointer<UInt8>, line: Range<Int>) -> Bool {
        var at = line.lowerBound
        while at < line.upperBound && bytes[at] == 0x20 { at += 1 }
        return line.upperBound - at >= 5 && bytes[at..<at + 5].elementsEqual("block".utf8)
    }

    /// Roughly the bytes this value keeps alive.
    var keptBytes: Int {
        chunks.reduce(0) { $0 + $1.compressed.count + MemoryLayout<Chunk>.stride } + decisions.keptBytes
    }

    /// The text of chunks `range`, one after the other.
    func text(ofChunks range: Range<Int>) -> [UInt8]? {
        guard !range.isEmpty else { return [] }
        let start = chunks[range.lowerBound].firstByte
        let count = chunks[range.upperBound - 1].firstByte + chunks[range.upperBound - 1].byteCount - start
        var text: [UInt8] = []
        text.reserveCapacity(count)
        for chunk in chunks[range] {
            guard let part = ByteCodec.decompress(chunk.compressed, count: chunk.byteCount) else { return nil }
            text += part
        }
        return text
    }

    /// The printed text.
    func text() -> [UInt8]? {
        text(ofChunks: chunks.indices)
    }

    /// The function as the fragment of the document starting at `firstLine`, for a body `shift`
    /// bytes after the one it was printed for; nil when the text cannot be shifted (see
    /// `PrintedTranslation.shifted`).
    func expanded(firstLine: Int, shift: Int) -> PrintedTranslation? {
        guard var text = text() else { return nil }
        var decisions = self.decisions.decoded()
        guard shift != 0 else {
            let file = SourceFile(utf8: text, firstLine: firstLine)
            return PrintedTranslation(definedIndex: definedIndex, file: file, lines: PrintedTranslation.locatedLines(in: file),
                                      decisions: decisions)
        }
        var lines = PrintedTranslation.locatedLines(in: text)
        guard PrintedTranslation.shift(&text, lines: &lines, decisions: &decisions, by: shift) else { return nil }
        return PrintedTranslation(definedIndex: definedIndex, text: text, lines: lines, decisions: decisions, firstLine: firstLine)
    }

    /// What a request about the Wasm instruction at `offset` reads of the function, at document
    /// line `firstLine`, for a body `shift` bytes after the one it was printed for: the lines of
    /// the chunks from the first to the last that may hold its CLIF, as a fragment of the
    /// document, with the preamble's declarations and all decisions. Its lines, declarations and
    /// decisions for `offset` are those of the whole function's. Nil when a chunk does not expand
    /// or its lines cannot be shifted (see `PrintedTranslation.shift`).
    func partial(around offset: Int, firstLine: Int, shift: Int = 0) -> PrintedTranslation? {
        guard let preambleChunk = chunks.first, let preamble = text(ofChunks: 0..<1) else { return nil }
        let printedOffset = offset - shift
        let holding = chunks.indices.dropFirst().filter { chunks[$0].locations?.contains(printedOffset) == true }
        let range = holding.isEmpty ? 1..<1 : holding.first!..<holding.last! + 1
        guard var body = text(ofChunks: range) else { return nil }
        var decisions = self.decisions.decoded()
        if shift != 0 {
            var lines = PrintedTranslation.locatedLines(in: body)
            guard PrintedTranslation.shift(&body, lines: &lines, decisions: &decisions, by: shift) else { return nil }
        }
        let bodyFirstLine = range.isEmpty ? preambleChunk.firstLine : chunks[range.lowerBound].firstLine
        let file = SourceFile(utf8: body, firstLine: firstLine + bodyFirstLine)
        return PrintedTranslation(definedIndex: definedIndex, file: file, lines: PrintedTranslation.locatedLines(in: file),
                                  decisions: decisions, preamble: SourceFile(utf8: preamble, firstLine: firstLine))
    }

    /// The text as it reads for a body `shift` bytes after the one it was printed for.
    func text(shiftedBy shift: Int) -> [UInt8]? {
        guard var text = text() else { return nil }
        guard shift != 0 else { return text }
        var lines = PrintedTranslation.locatedLines(in: text)
        var decisions: [RuntimeDecision] = []
        guard PrintedTranslation.shift(&text, lines: &lines, decisions: &decisions, by: shift) else { return nil }
        return text
    }
}

/// Runtime decisions packed into bytes: each distinct kind once, then per decision the distance
/// from the previous decision's offset and the kind's index, as LEB128 numbers (offsets grow
/// along a function, so the distances are mostly one byte).
struct CompactDecisions: Sendable {
    var kinds: [RuntimeDecision.Kind]
    var packed: [UInt8]

    init(_ decisions: [RuntimeDecision]) {
        var kinds: [RuntimeDecision.Kind] = []
        var indices: [RuntimeDecision.Kind: Int] = [:]
        var packed: [UInt8] = []
        packed.reserveCapacity(decisions.count * 3)
        var previous = 0
        for decision in decisions {
            let index: Int
            if let known = indices[decision.kind] {
                index = known
            } else {
                index = kinds.count
                indices[decision.kind] = index
                kinds.append(decision.kind)
            }
            let delta = decision.offset - previous
            Self.append(UInt64(bitPattern: Int64((delta << 1) ^ (delta >> 63))), to: &packed)
            Self.append(UInt64(index), to: &packed)
            previous = decision.offset
        }
        self.kinds = kinds
        self.packed = packed
    }

    var keptBytes: Int { packed.count + kinds.count * MemoryLayout<RuntimeDecision.Kind>.stride }

    func decoded() -> [RuntimeDecision] {
        var decisions: [RuntimeDecision] = []
        var position = 0
        var offset = 0
        while position < packed.count {
            let zigzag = Int(bitPattern: UInt(Self.read(packed, at: &position)))
            offset += (zigzag >> 1) ^ -(zigzag & 1)
            let index = Int(Self.read(packed, at: &position))
            guard index < kinds.count else { break }
            decisions.append(RuntimeDecision(offset: offset, kind: kinds[index]))
        }
        return decisions
    }

    private static func append(_ value: UInt64, to bytes: inout [UInt8]) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    private static func read(_ bytes: [UInt8], at position: inout Int) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while position < bytes.count {
            let byte = bytes[position]
            position += 1
            if shift < 64 { value |= UInt64(byte & 0x7F) << shift }
            if byte & 0x80 == 0 { break }
            shift += 7
        }
        return value
    }
}
