import CLIF
import SourceText
import WasmToCLIF

/// The CLIF clifford generates for one WAT module, as one text: a header line, then every
/// translated function in order exactly as `clifford translate` prints it, and for each Wasm byte
/// offset the printed CLIF instructions that came from it. This is the link WAT range ⇄ binary
/// offset ⇄ CLIF text.
public struct GeneratedCLIF: Sendable {
    /// One function of the text.
    public struct FunctionEntry: Sendable {
        public var definedIndex: Int
        /// The index in the module's function index space (imports first).
        public var functionIndex: Int
        public var symbol: String
        /// The function's text as `clifford translate --function N` prints it: the
        /// `;; Intermediate Representation …` line, `function … { … }` and a blank line.
        public var range: TextRange
        /// Preamble declarations (`gv3`, `sig0`, `fn1`, `region2`, `ss0`) → their line.
        public var declarations: [String: TextRange]
    }

    /// A printed instruction line with the Wasm offset it came from.
    public struct InstructionLine: Sendable {
        public var range: TextRange
        public var sourceLocation: Int
    }

    public let file: SourceFile
    public let functions: [FunctionEntry]
    /// Printed instructions in text order.
    public let lines: [InstructionLine]
    let bySourceLocation: [Int: [Int]]
    /// The environment's runtime-specific decisions, by Wasm offset.
    let decisionsBySourceLocation: [Int: [RuntimeDecision]]

    /// Builds the text from translated functions. `header` is a comment line naming the source.
    public init(translated: [TranslatedFunction], header: String) {
        var text = header
        var functions: [FunctionEntry] = []
        var lines: [InstructionLine] = []
        var decisions: [Int: [RuntimeDecision]] = [:]
        text += "\n"
        for translation in translated {
            guard let function = translation.function else { continue }
            for decision in translation.decisions where !(decisions[decision.offset]?.contains(decision) ?? false) {
                decisions[decision.offset, default: []].append(decision)
            }
            let start = text.utf8.count
            text += translation.emittedCommentLine + "\n"
            let base = text.utf8.count
            let printed = Printer.printWithRanges(function)
            text += printed.text
            text += "\n"
            var declarations: [String: TextRange] = [:]
            var lineStart = 0
            let printedBytes = Array(printed.text.utf8)
            // Preamble lines sit between the signature line and the first block header.
            while lineStart < printedBytes.count {
                var lineEnd = lineStart
                while lineEnd < printedBytes.count && printedBytes[lineEnd] != 0x0A { lineEnd += 1 }
                let line = String(decoding: printedBytes[lineStart..<lineEnd], as: UTF8.self)
                if line.hasPrefix("block") { break }
                let trimmed = line.drop { $0 == " " }
                if let equals = trimmed.firstIndex(of: " "), trimmed[equals...].hasPrefix(" = ") {
                    declarations[String(trimmed[..<equals])] = TextRange(start: base + lineStart + (line.utf8.count - trimmed.utf8.count),
                                                                         end: base + lineEnd)
                }
                lineStart = lineEnd + 1
            }
            for (blockIndex, block) in function.blocks.enumerated() where blockIndex < printed.instructionRanges.count {
                for (index, instruction) in block.instructions.enumerated() where index < printed.instructionRanges[blockIndex].count {
                    guard let location = instruction.sourceLocation else { continue }
                    let range = printed.instructionRanges[blockIndex][index]
                    lines.append(InstructionLine(range: TextRange(start: base + range.start, end: base + range.end),
                                                 sourceLocation: Int(location)))
                }
            }
            functions.append(FunctionEntry(definedIndex: translation.definedIndex,
                                           functionIndex: Int(translation.functionIndex), symbol: translation.symbol,
                                           range: TextRange(start: start, end: text.utf8.count),
                                           declarations: declarations))
        }
        lines.sort { $0.range.start < $1.range.start }
        var bySourceLocation: [Int: [Int]] = [:]
        for (index, line) in lines.enumerated() { bySourceLocation[line.sourceLocation, default: []].append(index) }
        self.file = SourceFile(text)
        self.functions = functions
        self.lines = lines
        self.bySourceLocation = bySourceLocation
        self.decisionsBySourceLocation = decisions
    }

    /// The printed instructions generated for the Wasm instruction at `offset`.
    public func lines(forSourceLocation offset: Int) -> [InstructionLine] {
        (bySourceLocation[offset] ?? []).map { lines[$0] }
    }

    /// The runtime-specific decisions behind the CLIF of the Wasm instruction at `offset`.
    public func decisions(forSourceLocation offset: Int) -> [RuntimeDecision] {
        decisionsBySourceLocation[offset] ?? []
    }

    /// The printed instruction whose line holds `position`.
    public func line(at position: Int) -> InstructionLine? {
        let fileLine = file.line(containing: position)
        let content = file.contentRange(ofLine: fileLine)
        return lines.first { $0.range.start >= content.start && $0.range.start <= content.end }
    }

    /// The function whose text holds `position`.
    public func function(at position: Int) -> FunctionEntry? {
        functions.first { $0.range.contains(position) }
    }

    /// The preamble declarations the given lines mention (`gv3`, `region0`, `sig1`, `fn0`, …), in
    /// declaration order.
    public func declarations(usedBy lines: [InstructionLine], in function: FunctionEntry) -> [TextRange] {
        var used: [TextRange] = []
        for line in lines {
            for word in file[line.range].split(whereSeparator: { !$0.isLetter && !$0.isNumber && $0 != "_" }) {
                if let range = function.declarations[String(word)], !used.contains(range) { used.append(range) }
            }
        }
        // Declarations may refer to each other (`gv1 = load.i64 notrap aligned gv0`).
        var index = 0
        while index < used.count {
            for word in file[used[index]].split(whereSeparator: { !$0.isLetter && !$0.isNumber && $0 != "_" }) {
                if let range = function.declarations[String(word)], !used.contains(range) { used.append(range) }
            }
            index += 1
        }
        return used.sorted { $0.start < $1.start }
    }
}
