import JSON
import SourceText

/// `clifford/clifAtPosition`: for a position in a WAT document, the CLIF of its function and the
/// lines to highlight, for editors that show WAT and CLIF side by side (protocol/README.md).
enum SideBySideQueries {
    static let clifAtPosition: QueryHandler = { params, context in
        let uri = try params["textDocument"]["uri"].string()
        let position = try params["position"].position()
        guard let snapshot = context.workspace[uri], snapshot.language == .wat || snapshot.language == .wast,
              let service = context.services[snapshot.language] as? WATService,
              let analysis = try await context.currentAnalysis(of: uri) as? WATAnalysis else { return .null }
        let offset = analysis.file.offset(of: position, encoding: context.encoding)
        guard let found = service.sideBySideCLIF(at: offset, in: analysis) else { return .null }
        let file = found.file
        return [
            "uri": .string(found.uri),
            "function": ["index": JSONValue(found.functionIndex), "name": found.name.map { .string($0) } ?? .null],
            "text": .string(String(file[found.functionRange])),
            "range": file.positionRange(of: found.functionRange, encoding: context.encoding).json,
            "highlights": .array(found.highlights.map { file.positionRange(of: $0, encoding: context.encoding).json }),
        ]
    }
}
