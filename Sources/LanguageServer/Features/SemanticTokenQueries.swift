import JSON
import SourceText

/// `textDocument/semanticTokens/full`, `/full/delta` and `/range`.
enum SemanticTokenQueries {
    /// The legend advertised in `initialize`.
    static var legend: JSONValue {
        ["tokenTypes": .array(SemanticTokenType.allCases.map { .string($0.name) }),
         "tokenModifiers": .array(SemanticTokenModifiers.names.map { .string($0) })]
    }

    /// The encoded tokens of the document in `params`, from the cache when its version is known.
    /// When the analysis of the current version is not ready in time (a large file still being
    /// translated), the current text is classified without it: lexically, names by the keyword
    /// before them, rather than answering nothing.
    static func tokenData(_ params: ParamsReader, _ context: QueryContext) async throws -> (any DocumentAnalysis, SemanticTokenData)? {
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
            return (current, SemanticTokenEncoder.encode(service.semanticTokens(in: current), in: current.file, encoding: context.encoding))
        }
        let cache = SemanticTokenCache.shared
        if let cached = await cache.data(uri: analysis.uri, version: analysis.version, encoding: context.encoding) {
            return (analysis, cached)
        }
        // The classified tokens are let go of as soon as they are encoded.
        let data = SemanticTokenEncoder.encode(service.semanticTokens(in: analysis), in: analysis.file, encoding: context.encoding)
        try Task.checkCancellation()
        await cache.store(uri: analysis.uri, version: analysis.version, encoding: context.encoding, data: data)
        return (analysis, data)
    }

    static let full: QueryHandler = { params, context in
        guard let (analysis, data) = try await tokenData(params, context) else { return .null }
        try Task.checkCancellation()
        let id = await SemanticTokenCache.shared.sent(uri: analysis.uri, data: data)
        return ["resultId": .string(id), "data": data.json()]
    }

    static let range: QueryHandler = { params, context in
        guard let (analysis, data) = try await tokenData(params, context) else { return .null }
        let range = analysis.file.textRange(of: try params["range"].range(), encoding: context.encoding)
        let integers = SemanticTokenEncoder.integers(of: data, in: analysis.file, encoding: context.encoding, meeting: range)
        return ["data": .integers(JSONIntegers(integers.map { Int64($0) }))]
    }

    /// Answers with one edit replacing what changed since `previousResultId`, or with full data
    /// when that result is no longer known.
    static let delta: QueryHandler = { params, context in
        let previousID = try params["previousResultId"].string()
        guard let (analysis, data) = try await tokenData(params, context) else { return .null }
        try Task.checkCancellation()
        let cache = SemanticTokenCache.shared
        let previous = await cache.sent(uri: analysis.uri, resultID: previousID)
        let id = await cache.sent(uri: analysis.uri, data: data)
        guard let previous else { return ["resultId": .string(id), "data": data.json()] }
        var edits: [JSONValue] = []
        if let edit = SemanticTokenData.difference(from: previous, to: data) {
            edits.append(["start": JSONValue(edit.start), "deleteCount": JSONValue(edit.deleteCount),
                          "data": data.json(from: edit.insertOffset, count: edit.insertCount)])
        }
        return ["resultId": .string(id), "edits": .array(edits)]
    }
}
