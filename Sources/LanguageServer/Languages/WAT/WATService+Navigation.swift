import SourceText
import WAT

extension WATService {
    /// The resolved name under the cursor and the module it belongs to.
    private func reference(at offset: Int, in analysis: any DocumentAnalysis) -> (WATAnalysis, NameResolution, ResolvedName)? {
        guard let analysis = analysis as? WATAnalysis, let module = analysis.module(at: offset) else { return nil }
        let resolution = module.compiled.resolution
        if let use = resolution.definition(at: offset) {
            return (analysis, resolution, ResolvedName(use: use.use, definition: use.definition, space: use.space))
        }
        // On a definition itself: act as if one of its uses was asked about.
        if let defined = resolution.references.first(where: { $0.definition.contains(offset) || $0.definition.end == offset }) {
            return (analysis, resolution, ResolvedName(use: defined.definition, definition: defined.definition, space: defined.space))
        }
        return nil
    }

    /// A name under the cursor: where it stands, where it is defined, which index space.
    private struct ResolvedName {
        var use: TextRange
        var definition: TextRange
        var space: IndexSpace
    }

    public func definition(at offset: Int, in analysis: any DocumentAnalysis) -> [TargetLocation] {
        guard let (analysis, _, reference) = reference(at: offset, in: analysis) else {
            guard let analysis = analysis as? WATAnalysis else { return [] }
            return instructionDefinition(at: offset, in: analysis)
        }
        return [TargetLocation(uri: analysis.uri, file: analysis.file, range: reference.definition)]
    }

    public func references(at offset: Int, includeDeclaration: Bool, in analysis: any DocumentAnalysis) -> [TargetLocation] {
        guard let (analysis, resolution, reference) = reference(at: offset, in: analysis) else { return [] }
        var ranges = resolution.uses(of: reference.definition).map(\.use)
        if includeDeclaration { ranges.insert(reference.definition, at: 0) }
        return ranges.map { TargetLocation(uri: analysis.uri, file: analysis.file, range: $0) }
    }

    public func highlights(at offset: Int, in analysis: any DocumentAnalysis) -> [HighlightResult] {
        guard let (_, resolution, reference) = reference(at: offset, in: analysis) else { return [] }
        return [HighlightResult(range: reference.definition, isWrite: true)]
            + resolution.uses(of: reference.definition).map { HighlightResult(range: $0.use, isWrite: false) }
    }

    public func hover(at offset: Int, in analysis: any DocumentAnalysis) -> HoverResult? {
        guard let (analysis, _, reference) = reference(at: offset, in: analysis) else {
            guard let analysis = analysis as? WATAnalysis else { return nil }
            return instructionHover(at: offset, in: analysis)
        }
        let line = analysis.file.line(containing: reference.definition.start)
        let text = String(analysis.file[analysis.file.contentRange(ofLine: line)]).trimmingWhitespace()
        return HoverResult(range: reference.use,
                           markdown: "\(reference.space.rawValue) defined at line \(line + 1):\n```wat\n\(text)\n```")
    }
}
