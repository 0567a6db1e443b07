import JSON

/// Requests that serve the text of clifford's virtual documents.
enum ContentQueries {
    /// LSP 3.18 `workspace/textDocumentContent`: `{uri}` → `{text}` for `clifford-clif:` URIs.
    static let textDocumentContent: QueryHandler = { params, context in
        let uri = try params["uri"].string()
        guard GeneratedCLIFDocument.source(of: uri) != nil else {
            throw ResponseError.invalidParams("clifford serves no content for \(uri)")
        }
        guard let generated = try await FeatureQueries.generatedDocument(uri, context) else {
            throw ResponseError(code: ResponseError.requestFailedCode,
                                message: "no CLIF for \(uri): the WAT document is not open or has errors")
        }
        return ["text": generated.jsonText]
    }

    /// `clifford/generatedClif`: `{textDocument: {uri}}` of a WAT document (or of its generated CLIF)
    /// → `{uri, text}`, for clients without `workspace/textDocumentContent`.
    static let generatedCLIF: QueryHandler = { params, context in
        let requested = try params["textDocument"]["uri"].string()
        let uri = GeneratedCLIFDocument.source(of: requested) == nil
            ? GeneratedCLIFDocument.uri(forSource: requested) : requested
        guard let generated = try await FeatureQueries.generatedDocument(uri, context) else {
            throw ResponseError(code: ResponseError.requestFailedCode,
                                message: "no CLIF for \(requested): the WAT document is not open or has errors")
        }
        return ["uri": .string(uri), "text": generated.jsonText]
    }
}
