import SourceText
import WasmToCLIF

/// A printed function kept between requests in a compact form: its text compressed
/// (`ByteCodec`) and its decisions packed. The located lines, the line index and the preamble
/// declarations are not kept: expanding finds them again by scanning the text.
struct CompactTranslation: Sendable {
    var definedIndex: Int
    /// The printed text's length.
    var byteCount: Int
    var compressed: [UInt8]
    var decisions: CompactDecisions

    init(definedIndex: Int, text: [UInt8], decisions: [RuntimeDecision]) {
        self.definedIndex = definedIndex
        byteCount = text.count
        compressed = ByteCodec.compress(text)
        self.decisions = CompactDecisions(decisions)
    }

    /// Roughly the bytes this value keeps alive.
    var keptBytes: Int { compressed.count + decisions.keptBytes }

    /// The printed text.
    func text() -> [UInt8]? {
        ByteCodec.decompress(compressed, count: byteCount)
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
