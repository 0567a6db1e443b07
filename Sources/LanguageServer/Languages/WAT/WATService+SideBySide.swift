import SourceText
import WAT

/// What a side-by-side view shows for a WAT position: the CLIF of the function holding it, inside
/// the generated document, and the lines generated for the instruction under the cursor.
public struct SideBySideCLIF: Sendable {
    /// The generated document (`clifford-clif:…`).
    public var uri: String
    /// The function's text as a fragment of the generated document (positions are the document's).
    public var file: SourceFile
    /// The function in the module's function index space, and its `$name` when it has one.
    public var functionIndex: Int
    public var name: String?
    /// The function's text in the generated document.
    public var functionRange: TextRange
    /// The CLIF lines of the instruction under the cursor; empty when it generates none.
    public var highlights: [TextRange]
}

extension WATService {
    /// The CLIF of the function at `offset`; nil outside functions or when it has no CLIF.
    public func sideBySideCLIF(at offset: Int, in analysis: WATAnalysis) -> SideBySideCLIF? {
        guard let moduleIndex = analysis.modules.firstIndex(where: { $0.syntax.range.contains(offset) }) else { return nil }
        let module = analysis.modules[moduleIndex]
        guard let generated = module.generated,
              let defined = analysis.function(containing: offset, in: module.compiled),
              let entry = generated.function(definedIndex: defined),
              let function = generated.printed(entry) else { return nil }
        var highlights: [TextRange] = []
        if let found = analysis.instruction(at: offset), found.module == moduleIndex {
            highlights = function.lines(forSourceLocation: found.binaryOffset).map(\.range)
        }
        let name = module.compiled.module.names.functions[UInt32(entry.functionIndex)].map { "$" + $0 }
        return SideBySideCLIF(uri: GeneratedCLIFDocument.uri(forSource: analysis.uri, module: moduleIndex),
                              file: function.file, functionIndex: entry.functionIndex, name: name,
                              functionRange: function.file.fullRange, highlights: highlights)
    }
}
