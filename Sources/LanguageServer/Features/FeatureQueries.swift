import JSON
import SourceText

/// The LSP requests answered by a document's language service: each reads the position, asks the
/// service for plain values and converts them to LSP JSON.
enum FeatureQueries {
    /// The service and current analysis of the document named in `params.textDocument`.
    static func target(_ params: ParamsReader, _ context: QueryContext) async throws(ResponseError)
        -> (service: any LanguageFeatures, analysis: any DocumentAnalysis)?
    {
        let uri = try params["textDocument"]["uri"].string()
        if GeneratedCLIFDocument.source(of: uri) != nil {
            // A request at a position reads only the function printed at its line.
            let line = params["position"].value == nil ? nil : try params["position"].position().line
            guard let generated = try await generatedCLIF(uri, context, line: line) else { return nil }
            return (GeneratedCLIFService(), generated)
        }
        guard let snapshot = context.workspace[uri], let service = context.services[snapshot.language],
              let analysis = try await context.currentAnalysis(of: uri) else { return nil }
        return (service, analysis)
    }

    /// The generated CLIF named by a `clifford-clif:` URI, from the current analysis of its WAT
    /// document: the function at document line `line`, or the whole text.
    static func generatedCLIF(_ uri: String, _ context: QueryContext, line: Int? = nil) async throws(ResponseError)
        -> GeneratedCLIFAnalysis?
    {
        guard let (source, module) = GeneratedCLIFDocument.source(of: uri),
              let analysis = try await context.currentAnalysis(of: source) as? WATAnalysis else { return nil }
        return GeneratedCLIFAnalysis(uri: uri, source: analysis, moduleIndex: module, line: line)
    }

    /// The generated CLIF named by a `clifford-clif:` URI, without printing any of it.
    static func generatedDocument(_ uri: String, _ context: QueryContext) async throws(ResponseError) -> GeneratedCLIF? {
        guard let (source, module) = GeneratedCLIFDocument.source(of: uri),
              let analysis = try await context.currentAnalysis(of: source) as? WATAnalysis,
              module < analysis.modules.count else { return nil }
        return analysis.modules[module].generated
    }

    static func offset(_ params: ParamsReader, in analysis: any DocumentAnalysis, _ context: QueryContext) throws(ResponseError) -> Int {
        analysis.file.offset(of: try params["position"].position(), encoding: context.encoding)
    }

    static let hover: QueryHandler = { params, context in
        guard let (service, analysis) = try await target(params, context) else { return .null }
        let offset = try offset(params, in: analysis, context)
        var hover = service.hover(at: offset, in: analysis)
        if let clif = analysis as? CLIFAnalysis {
            hover = try await LinkedCLIF.hover(at: offset, in: clif, preferred: hover, context)
        }
        guard let hover else { return .null }
        return [
            "contents": ["kind": "markdown", "value": .string(hover.markdown)],
            "range": analysis.file.positionRange(of: hover.range, encoding: context.encoding).json,
        ]
    }

    static let definition: QueryHandler = { params, context in
        guard let (service, analysis) = try await target(params, context) else { return .null }
        let offset = try offset(params, in: analysis, context)
        var targets = service.definition(at: offset, in: analysis)
        if targets.isEmpty, let clif = analysis as? CLIFAnalysis {
            targets = try await LinkedCLIF.definition(at: offset, in: clif, context)
        }
        return .array(targets.map { $0.json(encoding: context.encoding) })
    }

    static let references: QueryHandler = { params, context in
        guard let (service, analysis) = try await target(params, context) else { return .null }
        let offset = try offset(params, in: analysis, context)
        let includeDeclaration = params["context"]["includeDeclaration"].value?.boolValue ?? true
        return .array(service.references(at: offset, includeDeclaration: includeDeclaration, in: analysis)
            .map { $0.json(encoding: context.encoding) })
    }

    static let highlights: QueryHandler = { params, context in
        guard let (service, analysis) = try await target(params, context) else { return .null }
        let offset = try offset(params, in: analysis, context)
        return .array(service.highlights(at: offset, in: analysis).map {
            ["range": analysis.file.positionRange(of: $0.range, encoding: context.encoding).json,
             "kind": $0.isWrite ? 3 : 2]
        })
    }

    static let symbols: QueryHandler = { params, context in
        guard let (service, analysis) = try await target(params, context) else { return .null }
        return .array(service.symbols(in: analysis).map { $0.json(file: analysis.file, encoding: context.encoding) })
    }

    static let folding: QueryHandler = { params, context in
        guard let (service, analysis) = try await target(params, context) else { return .null }
        var seen = Set<Int>()
        var ranges: [JSONValue] = []
        for folding in service.foldingRanges(in: analysis) {
            let start = analysis.file.line(containing: folding.range.start)
            let end = analysis.file.line(containing: folding.range.end)
            guard end > start, seen.insert(start).inserted else { continue }
            var object: JSONObject = ["startLine": JSONValue(start), "endLine": JSONValue(end)]
            if folding.isComment { object["kind"] = "comment" }
            ranges.append(.object(object))
        }
        return .array(ranges)
    }
}

extension TargetLocation {
    func json(encoding: PositionEncoding) -> JSONValue {
        ["uri": .string(uri), "range": file.positionRange(of: selectionRange ?? range, encoding: encoding).json]
    }
}

extension SymbolResult {
    func json(file: SourceFile, encoding: PositionEncoding) -> JSONValue {
        let selection = range.contains(selectionRange) ? selectionRange : TextRange(at: range.start)
        var object: JSONObject = [
            "name": .string(name.isEmpty ? "(anonymous)" : name),
            "kind": JSONValue(kind.rawValue),
            "range": file.positionRange(of: range, encoding: encoding).json,
            "selectionRange": file.positionRange(of: selection, encoding: encoding).json,
        ]
        if let detail { object["detail"] = .string(detail) }
        if !children.isEmpty { object["children"] = .array(children.map { $0.json(file: file, encoding: encoding) }) }
        return .object(object)
    }
}
