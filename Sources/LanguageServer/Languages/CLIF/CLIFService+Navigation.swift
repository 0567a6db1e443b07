import CLIF
import SourceText

extension CLIFService {
    public func definition(at offset: Int, in analysis: any DocumentAnalysis) -> [TargetLocation] {
        guard let analysis = analysis as? CLIFAnalysis, let function = analysis.function(at: offset),
              let mention = analysis.mention(at: offset, in: function) else { return [] }
        var entity = mention.entity
        if entity.kind == .value {
            entity = EntityRef(.value, function.resolveAlias(Value(entity.number)).number)
        }
        return analysis.definitions(of: entity, in: function).map {
            TargetLocation(uri: analysis.uri, file: analysis.file, range: $0.range)
        }
    }

    public func references(at offset: Int, includeDeclaration: Bool, in analysis: any DocumentAnalysis) -> [TargetLocation] {
        guard let analysis = analysis as? CLIFAnalysis, let function = analysis.function(at: offset),
              let mention = analysis.mention(at: offset, in: function) else { return [] }
        return analysis.mentions(of: mention.entity, in: function)
            .filter { includeDeclaration || !$0.isDefinition }
            .map { TargetLocation(uri: analysis.uri, file: analysis.file, range: $0.range) }
    }

    public func highlights(at offset: Int, in analysis: any DocumentAnalysis) -> [HighlightResult] {
        guard let analysis = analysis as? CLIFAnalysis, let function = analysis.function(at: offset),
              let mention = analysis.mention(at: offset, in: function) else { return [] }
        return analysis.mentions(of: mention.entity, in: function).map {
            HighlightResult(range: $0.range, isWrite: $0.isDefinition)
        }
    }

    public func symbols(in analysis: any DocumentAnalysis) -> [SymbolResult] {
        guard let analysis = analysis as? CLIFAnalysis else { return [] }
        return analysis.clif.functions.compactMap { function in
            guard let range = function.range else { return nil }
            let blocks: [SymbolResult] = function.blocks.compactMap { block in
                guard let header = block.headerRange else { return nil }
                let end = block.instructions.last?.range?.end ?? header.end
                return SymbolResult(name: block.block.description, kind: .namespace,
                                    range: TextRange(start: header.start, end: max(end, header.end)),
                                    selectionRange: block.nameRange ?? header)
            }
            return SymbolResult(name: function.name.description, detail: function.signature.description,
                                kind: .function, range: range, selectionRange: function.nameRange ?? range,
                                children: blocks)
        }
    }

    public func foldingRanges(in analysis: any DocumentAnalysis) -> [FoldingResult] {
        symbols(in: analysis).flatMap { function in
            [FoldingResult(range: function.range)] + function.children.map { FoldingResult(range: $0.range) }
        }
    }
}
