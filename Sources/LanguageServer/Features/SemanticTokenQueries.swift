import JSON
import SourceText

/// `textDocument/semanticTokens/full`, `/full/delta` and `/range`.
enum SemanticTokenQueries {
    /// The legend advertised in `initialize`.
    static var legend: JSONValue {
        ["tokenTypes": .array(SemanticTokenType.allCases.map { .string($0.name) }),
         "tokenModifiers": .array(SemanticTokenModifiers.names.map { .string($0) })]
    }

    /// The classified tokens of the document in `params`, from the cache when its version is known.
    /// When the analysis of the current version is not ready in time (a large file still being
    /// translated), the current text is classified without it: lexically, names by the keyword
    /// before them, rather than answering nothing.
    static func tokens(_ params: ParamsReader, _ context: QueryContext) async throws -> (any DocumentAnalysis, [SemanticToken])? {
        let target: (service: any LanguageFeatures, analysis: any DocumentAnalysis)?
        do {
            target = try await FeatureQueries.target(params, context)
        } catch where error.code == ResponseError.contentModifiedCode {
            target = nil
        }
        guard let (service, analysis) = target else {
            let uri = try params["textDocument"]["uri"].string()
            guard let snapshot = context.workspace[uri], let service = context.services[snapshot.language] else { return nil }
            let current = PlainAnalysis(snapshot: snapshot)
            return (current, service.semanticTokens(in: current))
        }
        if let cached = await SemanticTokenCache.shared.tokens(uri: analysis.uri, version: analysis.version) {
            return (analysis, cached)
        }
        let tokens = service.semanticTokens(in: analysis)
        try Task.checkCancellation()
        await SemanticTokenCache.shared.store(uri: analysis.uri, version: analysis.version, tokens: tokens)
        return (analysis, tokens)
    }

    static func json(_ data: some Collection<UInt32>) -> JSONValue {
        .array(data.map { .int(Int64($0)) })
    }

    static let full: QueryHandler = { params, context in
        guard let (analysis, tokens) = try await tokens(params, context) else { return .null }
        let data = SemanticTokenEncoder.encode(tokens, in: analysis.file, encoding: context.encoding)
        try Task.checkCancellation()
        let id = await SemanticTokenCache.shared.sent(uri: analysis.uri, data: data)
        return ["resultId": .string(id), "data": json(data)]
    }

    static let range: QueryHandler = { params, context in
        guard let (analysis, tokens) = try await tokens(params, context) else { return .null }
        let range = analysis.file.textRange(of: try params["range"].range(), encoding: context.encoding)
        let data = SemanticTokenEncoder.encode(tokens, in: analysis.file, encoding: context.encoding, range: range)
        return ["data": json(data)]
    }

    /// Answers with one edit replacing what changed since `previousResultId`, or with full data
    /// when that result is no longer known.
    static let delta: QueryHandler = { params, context in
        let previousID = try params["previousResultId"].string()
        guard let (analysis, tokens) = try await tokens(params, context) else { return .null }
        let data = SemanticTokenEncoder.encode(tokens, in: analysis.file, encoding: context.encoding)
        try Task.checkCancellation()
        let previous = await SemanticTokenCache.shared.data(uri: analysis.uri, resultID: previousID)
        let id = await SemanticTokenCache.shared.sent(uri: analysis.uri, data: data)
        guard let previous else { return ["resultId": .string(id), "data": json(data)] }
        let edit = SemanticTokenEncoder.difference(from: previous, to: data)
        var edits: [JSONValue] = []
        if let edit {
            edits.append(["start": JSONValue(edit.start), "deleteCount": JSONValue(edit.deleteCount), "data": json(edit.data)])
        }
        return ["resultId": .string(id), "edits": .array(edits)]
    }
}
