import SourceText
import WAT

/// A generated CLIF document seen as an analysis: the WAT analysis it came from and the text a
/// request reads. A request at a position reads only the function printed at that line (a
/// fragment of the document that keeps the document's line numbers); any other request reads the
/// whole document, printed for it.
public struct GeneratedCLIFAnalysis: DocumentAnalysis {
    public let uri: String
    public let source: WATAnalysis
    public let moduleIndex: Int
    public let generated: GeneratedCLIF
    public let file: SourceFile
    /// The function `file` holds when it is one function's fragment.
    let function: PrintedTranslation?
    public var version: Int { source.version }
    public var diagnostics: [Diagnostic] { [] }

    /// The generated CLIF of `source`'s module `moduleIndex`, if it was translated: around document
    /// line `line`, or all of it when `line` is nil.
    public init?(uri: String, source: WATAnalysis, moduleIndex: Int, line: Int? = nil) {
        guard moduleIndex < source.modules.count, let generated = source.modules[moduleIndex].generated else { return nil }
        self.uri = uri
        self.source = source
        self.moduleIndex = moduleIndex
        self.generated = generated
        var function: PrintedTranslation?
        if let line {
            function = generated.function(atLine: line).flatMap { generated.printed($0) }
            if let function {
                file = function.file
            } else if line <= 0 {
                file = SourceFile(utf8: Array((generated.header + "\n").utf8))
            } else {
                file = SourceFile(utf8: [], firstLine: line)
            }
        } else {
            file = SourceFile(utf8: generated.text())
        }
        self.function = function
    }

    /// The printed instruction whose line holds `offset`, with its range in `file`.
    func instructionLine(at offset: Int) -> PrintedTranslation.Line? {
        if let function { return function.line(at: offset) }
        guard file.firstLine == 0, file.lineCount == generated.lineCount,
              let entry = generated.function(atLine: file.line(containing: offset)),
              let printed = generated.printed(entry) else { return nil }
        let base = file.lineStarts[entry.firstLine]
        guard var line = printed.line(at: offset - base) else { return nil }
        line.range = TextRange(start: line.range.start + base, end: line.range.end + base)
        return line
    }

    /// The text range of a function of the whole document.
    func range(of function: GeneratedCLIF.FunctionEntry) -> TextRange? {
        guard file.firstLine == 0, function.firstLine < file.lineCount else { return nil }
        let end = function.firstLine + function.lineCount
        return TextRange(start: file.lineStarts[function.firstLine], end: end < file.lineCount ? file.lineStarts[end] : file.utf8.count)
    }
}

/// Features inside generated CLIF: from a line with `@offset` back to the WAT instruction, and
/// hover showing that instruction.
public struct GeneratedCLIFService: LanguageFeatures {
    public init() {}

    func watInstruction(at offset: Int, in analysis: any DocumentAnalysis)
        -> (analysis: GeneratedCLIFAnalysis, line: PrintedTranslation.Line, range: TextRange)?
    {
        guard let analysis = analysis as? GeneratedCLIFAnalysis, let line = analysis.instructionLine(at: offset) else { return nil }
        let module = analysis.source.modules[analysis.moduleIndex]
        guard let found = module.compiled.map.range(atOffset: line.sourceLocation) else { return nil }
        return (analysis, line, found.range)
    }

    public func definition(at offset: Int, in analysis: any DocumentAnalysis) -> [TargetLocation] {
        guard let (analysis, _, range) = watInstruction(at: offset, in: analysis) else { return [] }
        return [TargetLocation(uri: analysis.source.uri, file: analysis.source.file, range: range)]
    }

    public func hover(at offset: Int, in analysis: any DocumentAnalysis) -> HoverResult? {
        guard let (generated, line, range) = watInstruction(at: offset, in: analysis) else { return nil }
        let wat = generated.source.file
        let lineNumber = wat.line(containing: range.start) + 1
        let text = String(wat[range]).split(separator: "\n").first.map(String.init) ?? ""
        return HoverResult(range: line.range, markdown:
            "From Wasm offset `0x\(String(line.sourceLocation, radix: 16))`, line \(lineNumber):\n```wat\n\(text)\n```")
    }

    public func symbols(in analysis: any DocumentAnalysis) -> [SymbolResult] {
        guard let analysis = analysis as? GeneratedCLIFAnalysis else { return [] }
        return analysis.generated.functions.compactMap { function in
            guard let range = analysis.range(of: function) else { return nil }
            // The comment line names the function: `;; Intermediate Representation of function <symbol>:`.
            let comment = analysis.file[analysis.file.contentRange(ofLine: function.firstLine)]
            guard let open = comment.firstIndex(of: "<"), let close = comment.lastIndex(of: ">"), open < close else { return nil }
            let symbol = String(comment[comment.index(after: open)..<close])
            return SymbolResult(name: symbol, kind: .function, range: range, selectionRange: range)
        }
    }
}
