import JSON
import SourceText

/// `textDocument/completion`: the service's proposals as `CompletionItem`s whose `textEdit`
/// replaces the part of the word already typed.
enum CompletionQueries {
    static let completion: QueryHandler = { params, context in
        guard let (service, analysis) = try await FeatureQueries.target(params, context) else { return .null }
        let offset = try FeatureQueries.offset(params, in: analysis, context)
        let results = service.completion(at: offset, in: analysis)
        try Task.checkCancellation()
        return ["isIncomplete": false, "items": .array(results.map { $0.json(file: analysis.file, encoding: context.encoding) })]
    }
}

extension CompletionResult {
    func json(file: SourceFile, encoding: PositionEncoding) -> JSONValue {
        var object: JSONObject = [
            "label": .string(label),
            "kind": JSONValue(kind.rawValue),
            "textEdit": ["range": file.positionRange(of: replacing, encoding: encoding).json,
                         "newText": .string(insertText ?? label)],
        ]
        if let detail { object["detail"] = .string(detail) }
        if let documentation { object["documentation"] = ["kind": "markdown", "value": .string(documentation)] }
        return .object(object)
    }
}
