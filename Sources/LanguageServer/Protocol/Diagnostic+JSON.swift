import JSON
import SourceText

extension Diagnostic {
    /// The LSP `Diagnostic` for this diagnostic of the document `uri` whose text is `file`.
    /// Related locations in other files keep their own path or URI and, lacking their text,
    /// point at the start of that file.
    public func lspJSON(uri: String, file: SourceFile, encoding: PositionEncoding) -> JSONValue {
        var object: JSONObject = [
            "range": file.positionRange(of: range, encoding: encoding).json,
            "severity": JSONValue(severity.rawValue),
            "source": "clifford",
            "message": .string(message),
        ]
        if let code { object["code"] = .string(code) }
        if !related.isEmpty {
            object["relatedInformation"] = .array(related.map { note in
                let range = note.file == nil
                    ? file.positionRange(of: note.range, encoding: encoding)
                    : PositionRange(start: Position(line: 0, character: 0), end: Position(line: 0, character: 0))
                return [
                    "location": ["uri": .string(note.file ?? uri), "range": range.json],
                    "message": .string(note.message),
                ]
            })
        }
        return .object(object)
    }
}

extension DocumentAnalysis {
    /// All diagnostics as LSP JSON.
    public func diagnosticsJSON(encoding: PositionEncoding) -> JSONValue {
        .array(diagnostics.map { $0.lspJSON(uri: uri, file: file, encoding: encoding) })
    }
}
