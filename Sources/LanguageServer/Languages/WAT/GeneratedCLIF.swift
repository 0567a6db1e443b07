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
        /// Its printed instructions: indices into `lines`.
        var lineIndices: Range<Int>
        /// The smallest and largest Wasm offset of its instructions.
        var sourceLocations: ClosedRange<Int>?
        var decisions: [RuntimeDecision]
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

    /// Builds the text from printed translations, in order. `header` is a comment line.
    init(printed: [PrintedTranslation], header: String) {
        var bytes = Array(header.utf8)
        bytes.append(0x0A)
        bytes.reserveCapacity(bytes.count + printed.reduce(0) { $0 + $1.text.count })
        var functions: [FunctionEntry] = []
        var lines: [InstructionLine] = []
        lines.reserveCapacity(printed.reduce(0) { $0 + $1.lines.count })
        for piece in printed {
            let base = bytes.count
            bytes += piece.text
            let first = lines.count
            var low = Int.max
            var high = Int.min
            for line in piece.lines {
                lines.append(InstructionLine(range: TextRange(start: base + line.range.start, end: base + line.range.end),
                                             sourceLocation: line.sourceLocation))
                low = min(low, line.sourceLocation)
                high = max(high, line.sourceLocation)
            }
            functions.append(FunctionEntry(
                definedIndex: piece.definedIndex, functionIndex: piece.functionIndex, symbol: piece.symbol,
                range: TextRange(start: base, end: bytes.count),
                declarations: piece.declarations.mapValues { TextRange(start: base + $0.start, end: base + $0.end) },
                lineIndices: first..<lines.count, sourceLocations: low <= high ? low...high : nil,
                decisions: piece.decisions))
        }
        self.file = SourceFile(utf8: bytes)
        self.functions = functions
        self.lines = lines
    }

    /// The function whose instructions came from Wasm offset `offset`: bodies follow each other
    /// in the binary in function order.
    func function(forSourceLocation offset: Int) -> FunctionEntry? {
        var low = 0
        var high = functions.count - 1
        while low <= high {
            let middle = (low + high) / 2
            guard let locations = functions[middle].sourceLocations else {
                return functions.first { $0.sourceLocations?.contains(offset) == true }
            }
            if offset < locations.lowerBound { high = middle - 1 } else if offset > locations.upperBound { low = middle + 1 } else {
                return functions[middle]
            }
        }
        return nil
    }

    /// The printed instructions generated for the Wasm instruction at `offset`.
    public func lines(forSourceLocation offset: Int) -> [InstructionLine] {
        guard let function = function(forSourceLocation: offset) else { return [] }
        return lines[function.lineIndices].filter { $0.sourceLocation == offset }
    }

    /// The runtime-specific decisions behind the CLIF of the Wasm instruction at `offset`.
    public func decisions(forSourceLocation offset: Int) -> [RuntimeDecision] {
        guard let function = function(forSourceLocation: offset) else { return [] }
        var found: [RuntimeDecision] = []
        for decision in function.decisions where decision.offset == offset && !found.contains(decision) {
            found.append(decision)
        }
        return found
    }

    /// The printed instruction whose line holds `position`.
    public func line(at position: Int) -> InstructionLine? {
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

    /// The function whose text holds `position`.
    public func function(at position: Int) -> FunctionEntry? {
        var low = 0
        var high = functions.count - 1
        while low <= high {
            let middle = (low + high) / 2
            let range = functions[middle].range
            if position < range.start { high = middle - 1 } else if position >= range.end { low = middle + 1 } else {
                return functions[middle]
            }
        }
        return nil
    }

    /// The function's printed translation, its text a slice of this document, to keep for reuse.
    func printed(_ function: FunctionEntry) -> PrintedTranslation {
        let base = function.range.start
        return PrintedTranslation(
            definedIndex: function.definedIndex, functionIndex: function.functionIndex, symbol: function.symbol,
            text: file.utf8[function.range.start..<function.range.end],
            lines: lines[function.lineIndices].map {
                PrintedTranslation.Line(range: TextRange(start: $0.range.start - base, end: $0.range.end - base),
                                        sourceLocation: $0.sourceLocation)
            },
            declarations: function.declarations.mapValues { TextRange(start: $0.start - base, end: $0.end - base) },
            decisions: function.decisions)
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
