import SourceText

/// Definition and hover from the `@offset` lines of a `.clif` file on disk to the WAT instruction
/// at that offset, in the WAT module the file links to (see `CLIFSourceLink`).
enum LinkedCLIF {
    /// The analysis of the WAT module a `.clif` document links to: the open document's current
    /// one, or one read from disk.
    static func source(of analysis: CLIFAnalysis, _ context: QueryContext) async throws -> WATAnalysis? {
        guard let uri = CLIFSourceLink.source(ofCLIF: analysis.uri, file: analysis.file, settings: context.settings.clifSources,
                                              openURIs: Array(context.workspace.documents.keys)) else { return nil }
        if context.workspace[uri] != nil { return try await context.currentAnalysis(of: uri) as? WATAnalysis }
        guard let service = context.services[.wat] as? WATService else { return nil }
        return try await context.linkedSources.analysis(uri: uri, service: service)
    }

    /// The `@offset` of the instruction on the line holding `offset`, and the range of its
    /// `@xxxx` column (from the start of the line to the instruction).
    static func sourceLocation(at offset: Int, in analysis: CLIFAnalysis) -> (location: Int, column: TextRange)? {
        guard let function = analysis.function(at: offset) else { return nil }
        let file = analysis.file
        let line = file.line(containing: offset)
        for block in function.blocks {
            for instruction in block.instructions {
                guard let range = instruction.range, let location = instruction.sourceLocation,
                      file.line(containing: range.start) == line else { continue }
                let start = file.contentRange(ofLine: line).start
                return (Int(location), TextRange(start: start, end: range.start))
            }
        }
        return nil
    }

    /// The WAT instruction the line at `offset` came from.
    static func watInstruction(at offset: Int, in analysis: CLIFAnalysis, _ context: QueryContext) async throws
        -> (source: WATAnalysis, range: TextRange, location: Int, column: TextRange)?
    {
        guard let (location, column) = sourceLocation(at: offset, in: analysis),
              let source = try await source(of: analysis, context), let module = source.modules.first,
              let found = module.compiled.map.range(atOffset: location) else { return nil }
        return (source, found.range, location, column)
    }

    static func definition(at offset: Int, in analysis: CLIFAnalysis, _ context: QueryContext) async throws -> [TargetLocation] {
        guard let found = try await watInstruction(at: offset, in: analysis, context) else { return [] }
        return [TargetLocation(uri: found.source.uri, file: found.source.file, range: found.range)]
    }

    /// The WAT instruction of the line, when the cursor is on its `@xxxx` column or `preferred`
    /// is nil (nothing else to show).
    static func hover(at offset: Int, in analysis: CLIFAnalysis, preferred: HoverResult?, _ context: QueryContext) async throws
        -> HoverResult?
    {
        if let preferred, sourceLocation(at: offset, in: analysis).map({ !$0.column.contains(offset) }) ?? true { return preferred }
        guard let found = try await watInstruction(at: offset, in: analysis, context) else { return preferred }
        let wat = found.source.file
        let text = String(wat[found.range]).split(separator: "\n").first.map(String.init) ?? ""
        let name = found.source.uri.split(separator: "/").last.map(String.init) ?? found.source.uri
        let markdown = "From Wasm offset `0x\(String(found.location, radix: 16))`, \(name) line \(wat.line(containing: found.range.start) + 1):\n```wat\n\(text)\n```"
        let line = analysis.file.contentRange(ofLine: analysis.file.line(containing: offset))
        return HoverResult(range: found.column.contains(offset) ? found.column : line, markdown: markdown)
    }
}
