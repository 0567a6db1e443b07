import CLIF
import SourceText
import WasmToCLIF

/// One translated function printed as it appears in a generated document, for the features that
/// read its text (hover, definition, side-by-side view, CLIF → WAT). It is printed on demand, or
/// kept with the analysis for the largest functions (`KeptTextPolicy`). `file` is a fragment of the document starting at the function's
/// first line, so its editor positions are those of the whole document.
struct PrintedTranslation: Sendable {
    /// A printed instruction line with the Wasm offset it came from.
    struct Line: Sendable {
        var range: TextRange
        var sourceLocation: Int
    }

    var definedIndex: Int
    /// As `clifford translate` prints it: the comment line, the function and a blank line.
    var file: SourceFile
    /// Located instruction lines, in text order.
    var lines: [Line]
    /// Preamble declarations (`gv3`, `sig0`, `fn1`, `region2`, `ss0`) → their line in
    /// `declarationSource`.
    var declarations: [String: TextRange]
    /// The function's preamble when `file` holds only part of the function's lines (see
    /// `CompactTranslation.partial`); nil when `file` holds all of them.
    var preamble: SourceFile?
    var decisions: [RuntimeDecision]
}

extension PrintedTranslation {
    /// The printed text of a translation, and where its located instructions are in it; nil when
    /// it has no CLIF.
    static func print(_ translation: TranslatedFunction) -> (text: [UInt8], lines: [Line])? {
        guard let function = translation.function else { return nil }
        let printed = Printer.printWithRanges(function)
        var bytes = Array((translation.emittedCommentLine + "\n").utf8)
        let base = bytes.count
        bytes += printed.text.utf8
        bytes.append(0x0A)
        var lines: [Line] = []
        for (blockIndex, block) in function.blocks.enumerated() where blockIndex < printed.instructionRanges.count {
            for (index, instruction) in block.instructions.enumerated() where index < printed.instructionRanges[blockIndex].count {
                guard let location = instruction.sourceLocation else { continue }
                let range = printed.instructionRanges[blockIndex][index]
                lines.append(Line(range: TextRange(start: base + range.start, end: base + range.end), sourceLocation: Int(location)))
            }
        }
        return (bytes, lines)
    }

    /// The printed text of a translation alone (no ranges are recorded); nil when it has no CLIF.
    static func printedText(_ translation: TranslatedFunction) -> [UInt8]? {
        guard let function = translation.function else { return nil }
        var bytes = Array((translation.emittedCommentLine + "\n").utf8)
        bytes += Printer.print(function).utf8
        bytes.append(0x0A)
        return bytes
    }

    /// Prints a translation as the fragment of the document starting at `firstLine`; nil when it
    /// has no CLIF.
    init?(_ translation: TranslatedFunction, firstLine: Int) {
        guard let (text, lines) = Self.print(translation) else { return nil }
        self.init(definedIndex: translation.definedIndex, text: text, lines: lines, decisions: translation.decisions, firstLine: firstLine)
    }

    /// The fragment of the document starting at `firstLine` made of an already printed text.
    init(definedIndex: Int, text: [UInt8], lines: [Line], decisions: [RuntimeDecision], firstLine: Int) {
        self.definedIndex = definedIndex
        self.file = SourceFile(utf8: text, firstLine: firstLine)
        self.lines = lines
        self.declarations = Self.preambleDeclarations(text)
        self.decisions = decisions
    }

    /// The fragment of the document in `file`, already indexed; `preamble` when `file` is only
    /// part of the function.
    init(definedIndex: Int, file: SourceFile, lines: [Line], decisions: [RuntimeDecision], preamble: SourceFile? = nil) {
        self.definedIndex = definedIndex
        self.file = file
        self.lines = lines
        self.declarations = Self.preambleDeclarations((preamble ?? file).utf8)
        self.decisions = decisions
        self.preamble = preamble
    }

    /// The text the declarations' ranges refer to.
    var declarationSource: SourceFile { preamble ?? file }

    /// The same text as the fragment starting at `firstLine` (its line index is built again only
    /// when the function moved to another line).
    func moved(toLine firstLine: Int) -> PrintedTranslation {
        guard firstLine != file.firstLine else { return self }
        var result = self
        result.file = SourceFile(utf8: file.utf8, firstLine: firstLine)
        return result
    }

    /// The same function printed for a body that moved `delta` bytes in the binary: `@offset`
    /// columns, source locations and decisions shifted, without translating again. Nil when the
    /// text cannot be shifted (see `shift`).
    func moved(by delta: Int) -> PrintedTranslation? {
        guard delta != 0 else { return self }
        var text = file.utf8
        var lines = self.lines
        var decisions = self.decisions
        guard Self.shift(&text, lines: &lines, decisions: &decisions, by: delta) else { return nil }
        return PrintedTranslation(definedIndex: definedIndex, text: text, lines: lines, decisions: decisions, firstLine: file.firstLine)
    }

    /// Rewrites a printed function for a body that moved `delta` bytes: the `@offset` column of
    /// each located line, the lines' source locations and the decisions' offsets. False (with
    /// `text` partly rewritten) when an offset would print with another digit count (the text
    /// would not keep its layout) or a located line does not show the offset it should.
    static func shift(_ text: inout [UInt8], lines: inout [Line], decisions: inout [RuntimeDecision], by delta: Int) -> Bool {
        for index in lines.indices {
            let old = lines[index].sourceLocation
            let new = old + delta
            let digits = hexDigits(old)
            guard new >= 0, hexDigits(new) == digits else { return false }
            var at = lines[index].range.start
            let end = lines[index].range.end
            while at < end && text[at] != UInt8(ascii: "@") { at += 1 }
            guard at + digits < end, hexValue(text[(at + 1)...(at + digits)]) == old else { return false }
            var rest = new
            for position in stride(from: at + digits, to: at, by: -1) {
                let nibble = UInt8(truncatingIfNeeded: rest & 0xF)
                text[position] = nibble < 10 ? nibble &+ 48 : nibble &+ 87
                rest >>= 4
            }
            lines[index].sourceLocation = new
        }
        for index in decisions.indices { decisions[index].offset += delta }
        return true
    }

    /// The located instruction lines of a printed function, found again in its text: a line that
    /// starts with `@offset`, or with debug tags (`<…> `) and then `@offset`, is an instruction
    /// with a source location; its range is the whole line.
    static func locatedLines(in text: [UInt8]) -> [Line] {
        var lines: [Line] = []
        text.withUnsafeBufferPointer { bytes in
            let count = bytes.count
            var lineStart = 0
            while lineStart < count {
                var lineEnd = lineStart
                while lineEnd < count && bytes[lineEnd] != 0x0A { lineEnd += 1 }
                if let location = sourceLocation(in: bytes, line: lineStart..<lineEnd) {
                    lines.append(Line(range: TextRange(start: lineStart, end: lineEnd), sourceLocation: location))
                }
                lineStart = lineEnd + 1
            }
        }
        return lines
    }

    /// The located instruction lines of a printed function, read along its line index (the same
    /// lines as `locatedLines(in:)` finds by scanning the text).
    static func locatedLines(in file: SourceFile) -> [Line] {
        var lines: [Line] = []
        let starts = file.lineStarts
        file.utf8.withUnsafeBufferPointer { bytes in
            let count = bytes.count
            for line in starts.indices {
                let lineStart = starts[line]
                guard lineStart < count, bytes[lineStart] == UInt8(ascii: "@") || bytes[lineStart] == UInt8(ascii: "<") else { continue }
                var lineEnd = line + 1 < starts.count ? starts[line + 1] - 1 : count
                if lineEnd > lineStart && bytes[lineEnd - 1] == 0x0D { lineEnd -= 1 }
                if let location = sourceLocation(in: bytes, line: lineStart..<lineEnd) {
                    lines.append(Line(range: TextRange(start: lineStart, end: lineEnd), sourceLocation: location))
                }
            }
        }
        return lines
    }

    /// The `@offset` at the start of a line (after debug tags, if any).
    static func sourceLocation(in bytes: UnsafeBufferPointer<UInt8>, line: Range<Int>) -> Int? {
        var at = line.lowerBound
        if at < line.upperBound && bytes[at] == UInt8(ascii: "<") {
            while at < line.upperBound && bytes[at] != UInt8(ascii: ">") { at += 1 }
            at += 2
        }
        guard at < line.upperBound && bytes[at] == UInt8(ascii: "@") else { return nil }
        var value = 0
        var digit = at + 1
        while digit < line.upperBound, let nibble = hexNibble(bytes[digit]) {
            value = value << 4 | nibble
            digit += 1
        }
        return digit > at + 1 ? value : nil
    }

    private static func hexNibble(_ digit: UInt8) -> Int? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): Int(digit - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): Int(digit - UInt8(ascii: "a") + 10)
        default: nil
        }
    }

    /// How many hex digits the printer writes for a source location (at least four).
    static func hexDigits(_ value: Int) -> Int {
        max(4, (64 - UInt64(truncatingIfNeeded: value).leadingZeroBitCount + 3) / 4)
    }

    static func hexValue(_ digits: ArraySlice<UInt8>) -> Int? {
        var value = 0
        for digit in digits {
            switch digit {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = value << 4 | Int(digit - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): value = value << 4 | Int(digit - UInt8(ascii: "a") + 10)
            default: return nil
            }
        }
        return value
    }

    /// The `name = …` lines between the signature line and the first block.
    static func preambleDeclarations(_ bytes: [UInt8]) -> [String: TextRange] {
        var declarations: [String: TextRange] = [:]
        // After the comment line.
        var lineStart = 0
        while lineStart < bytes.count && bytes[lineStart] != 0x0A { lineStart += 1 }
        lineStart += 1
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

    /// The printed instructions generated for the Wasm instruction at `offset`.
    func lines(forSourceLocation offset: Int) -> [Line] {
        lines.filter { $0.sourceLocation == offset }
    }

    /// The runtime-specific decisions behind the CLIF of the Wasm instruction at `offset`.
    func decisions(forSourceLocation offset: Int) -> [RuntimeDecision] {
        var found: [RuntimeDecision] = []
        for decision in decisions where decision.offset == offset && !found.contains(decision) {
            found.append(decision)
        }
        return found
    }

    /// The printed instruction whose line holds `position` (a byte offset into `file`).
    func line(at position: Int) -> Line? {
        let content = file.contentRange(ofLine: file.line(containing: position))
        var low = 0
        var high = lines.count - 1
        while low <= high {
            let middle = (low + high) / 2
            if lines[middle].range.start < content.start { low = middle + 1 } else if lines[middle].range.start > content.end {
                high = middle - 1
            } else {
                return lines[middle]
            }
        }
        return nil
    }

    /// The preamble declarations the given lines mention (`gv3`, `region0`, `sig1`, `fn0`, …), in
    /// declaration order, as ranges in `declarationSource`.
    func declarations(usedBy lines: [Line]) -> [TextRange] {
        func names(in range: TextRange, of source: SourceFile) -> [Substring] {
            source[range].split(whereSeparator: { !$0.isLetter && !$0.isNumber && $0 != "_" })
        }
        var used: [TextRange] = []
        for line in lines {
            for word in names(in: line.range, of: file) {
                if let range = declarations[String(word)], !used.contains(range) { used.append(range) }
            }
        }
        // Declarations may refer to each other (`gv1 = load.i64 notrap aligned gv0`).
        var index = 0
        while index < used.count {
            for word in names(in: used[index], of: declarationSource) {
                if let range = declarations[String(word)], !used.contains(range) { used.append(range) }
            }
            index += 1
        }
        return used.sorted { $0.start < $1.start }
    }
}
