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
    static func tokens(_ params: ParamsReader, _ context: QueryContext) async throws -> (any DocumentAnalysis, [SemanticToken])? {
        guard let (service, analysis) = try await FeatureQueries.target(params, context) else { return nil }
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
        let edit = difference(from: previous, to: data)
        var edits: [JSONValue] = []
        if let edit {
            edits.append(["start": JSONValue(edit.start), "deleteCount": JSONValue(edit.deleteCount), "data": json(edit.data)])
        }
        return ["resultId": .string(id), "edits": .array(edits)]
    }

    /// The single edit (common prefix and suffix kept) that turns `old` into `new`; nil when equal.
    static func difference(from old: [UInt32], to new: [UInt32]) -> (start: Int, deleteCount: Int, data: ArraySlice<UInt32>)? {
        guard old != new else { return nil }
        var prefix = 0
        while prefix < old.count && prefix < new.count && old[prefix] == new[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < old.count - prefix && suffix < new.count - prefix
                && old[old.count - 1 - suffix] == new[new.count - 1 - suffix] { suffix += 1 }
        return (prefix, old.count - prefix - suffix, new[prefix..<(new.count - suffix)])
    }
}
