import SourceText
import WAT

/// A generated CLIF document seen as an analysis: its text, and the WAT analysis it came from.
public struct GeneratedCLIFAnalysis: DocumentAnalysis {
    public let uri: String
    public let source: WATAnalysis
    public let moduleIndex: Int
    public let generated: GeneratedCLIF
    public var version: Int { source.version }
    public var file: SourceFile { generated.file }
    public var diagnostics: [Diagnostic] { [] }

    /// The generated CLIF of `source`'s module `moduleIndex`, if it was translated.
    public init?(uri: String, source: WATAnalysis, moduleIndex: Int) {
        guard moduleIndex < source.modules.count, let generated = source.modules[moduleIndex].generated else { return nil }
        self.uri = uri
        self.source = source
        self.moduleIndex = moduleIndex
        self.generated = generated
    }
}

/// Features inside generated CLIF: from a line with `@offset` back to the WAT instruction, and
/// hover showing that instruction.
public struct GeneratedCLIFService: LanguageFeatures {
    public init() {}

    func watInstruction(at offset: Int, in analysis: any DocumentAnalysis) -> (GeneratedCLIFAnalysis, TextRange)? {
        guard let analysis = analysis as? GeneratedCLIFAnalysis, let line = analysis.generated.line(at: offset) else { return nil }
        let module = analysis.source.modules[analysis.moduleIndex]
        guard let found = module.compiled.map.range(atOffset: line.sourceLocation) else { return nil }
        return (analysis, found.range)
    }

    public func definition(at offset: Int, in analysis: any DocumentAnalysis) -> [TargetLocation] {
        guard let (analysis, range) = watInstruction(at: offset, in: analysis) else { return [] }
        return [TargetLocation(uri: analysis.source.uri, file: analysis.source.file, range: range)]
    }

    public func hover(at offset: Int, in analysis: any DocumentAnalysis) -> HoverResult? {
        guard let (generated, range) = watInstruction(at: offset, in: analysis),
              let line = generated.generated.line(at: offset) else { return nil }
        let wat = generated.source.file
        let lineNumber = wat.line(containing: range.start) + 1
        let text = String(wat[range]).split(separator: "\n").first.map(String.init) ?? ""
        return HoverResult(range: line.range, markdown:
            "From Wasm offset `0x\(String(line.sourceLocation, radix: 16))`, line \(lineNumber):\n```wat\n\(text)\n```")
    }

    public func symbols(in analysis: any DocumentAnalysis) -> [SymbolResult] {
        guard let analysis = analysis as? GeneratedCLIFAnalysis else { return [] }
        return analysis.generated.functions.map {
            SymbolResult(name: $0.symbol, kind: .function, range: $0.range, selectionRange: $0.range)
        }
    }
}
