import CLIF
import SourceText
import WasmToCLIF

/// One translated function as it appears in a generated document: its emitted text and what the
/// editor features need from it, without the CLIF data structures (which are dropped once
/// printed). Ranges are relative to `text`. A translation reused after its body moved in the
/// binary is shifted by rewriting its `@offset` columns, which keep their width.
struct PrintedTranslation: Sendable {
    /// A printed instruction line with the Wasm offset it came from.
    struct Line: Sendable {
        var range: TextRange
        var sourceLocation: Int
    }

    var definedIndex: Int
    var functionIndex: Int
    var symbol: String
    /// As `clifford translate` prints it: the comment line, the function and a blank line.
    var text: ArraySlice<UInt8>
    /// Located instruction lines, in text order.
    var lines: [Line]
    /// Preamble declarations (`gv3`, `sig0`, `fn1`, `region2`, `ss0`) → their line.
    var declarations: [String: TextRange]
    var decisions: [RuntimeDecision]
}

extension PrintedTranslation {
    /// Prints a translation; nil when it has no CLIF.
    init?(_ translation: TranslatedFunction) {
        guard let function = translation.function else { return nil }
        let comment = Array((translation.emittedCommentLine + "\n").utf8)
        let printed = Printer.printWithRanges(function)
        var bytes = comment
        bytes += printed.text.utf8
        bytes.append(0x0A)
        let base = comment.count
        var lines: [Line] = []
        for (blockIndex, block) in function.blocks.enumerated() where blockIndex < printed.instructionRanges.count {
            for (index, instruction) in block.instructions.enumerated() where index < printed.instructionRanges[blockIndex].count {
                guard let location = instruction.sourceLocation else { continue }
                let range = printed.instructionRanges[blockIndex][index]
                lines.append(Line(range: TextRange(start: base + range.start, end: base + range.end), sourceLocation: Int(location)))
            }
        }
        self.definedIndex = translation.definedIndex
        self.functionIndex = Int(translation.functionIndex)
        self.symbol = translation.symbol
        self.text = bytes[...]
        self.lines = lines
        self.declarations = Self.preambleDeclarations(bytes, from: base)
        self.decisions = translation.decisions
    }

    /// The `name = …` lines between the signature line and the first block.
    static func preambleDeclarations(_ bytes: [UInt8], from start: Int) -> [String: TextRange] {
        var declarations: [String: TextRange] = [:]
        var lineStart = start
        while lineStart < bytes.count {
            var lineEnd = lineStart
            while lineEnd < bytes.count && bytes[lineEnd] != 0x0A { lineEnd += 1 }
            var nameStart = lineStart
            while nameStart < lineEnd && bytes[nameStart] == 0x20 { nameStart += 1 }
            if bytes[nameStart..<lineEnd].starts(with: "block".utf8) { break }
            var nameEnd = nameStart
            while nameEnd < lineEnd && bytes[nameEnd] != 0x20 { nameEnd += 1 }
            if nameEnd > nameStart, bytes[nameEnd..<lineEnd].starts(with: " = ".utf8) {
                declarations[String(decoding: bytes[nameStart..<nameEnd], as: UTF8.self)] = TextRange(start: nameStart, end: lineEnd)
            }
            lineStart = lineEnd + 1
        }
        return declarations
    }

    /// The same translation for a body that moved by `delta` bytes in the binary.
    func shifted(by delta: Int) -> PrintedTranslation {
        guard delta != 0 else { return self }
        var result = self
        var bytes = Array(text)
        for index in lines.indices {
            let location = lines[index].sourceLocation + delta
            result.lines[index].sourceLocation = location
            let start = lines[index].range.start
            guard start < bytes.count, bytes[start] == UInt8(ascii: "@") else { continue }
            // The printer pads `@xxxx ` to the instruction column; only the prefix changes.
            var oldEnd = start + 1
            while oldEnd < bytes.count && bytes[oldEnd] != 0x20 { oldEnd += 1 }
            var columnEnd = oldEnd
            while columnEnd < bytes.count && bytes[columnEnd] == 0x20 { columnEnd += 1 }
            let hex = String(location, radix: 16)
            let prefix = Array(("@" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex).utf8)
            guard prefix.count < columnEnd - start else { continue }
            bytes.replaceSubrange(start..<(start + prefix.count), with: prefix)
            for pad in (start + prefix.count)..<columnEnd { bytes[pad] = 0x20 }
        }
        result.text = bytes[...]
        result.decisions = decisions.map { RuntimeDecision(offset: $0.offset + delta, kind: $0.kind) }
        return result
    }
}
