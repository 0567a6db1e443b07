import JSON
import SourceText
import Synchronization

/// Which kinds of diagnostics the client wants to see (setting `diagnostics`). The kind of a
/// diagnostic follows from its `code`; diagnostics of no listed kind are always shown.
public struct DiagnosticFilter: Sendable, Equatable {
    public var syntax = true
    public var names = true
    public var validation = true
    public var translation = true
    public var verifier = true

    public init() {}

    /// The setting key each diagnostic code belongs to.
    static func kind(ofCode code: String?) -> WritableKeyPath<DiagnosticFilter, Bool>? {
        switch code {
        case "wat-syntax", "wasm-decode", "clif-syntax": \.syntax
        case "wat-names": \.names
        case "wasm-validation": \.validation
        case "translate", "translate-unsupported", "translate-verifier": \.translation
        case "clif-verifier", "clif-target": \.verifier
        default: nil
        }
    }

    public func shows(_ diagnostic: Diagnostic) -> Bool {
        guard let kind = DiagnosticFilter.kind(ofCode: diagnostic.code) else { return true }
        return self[keyPath: kind]
    }

    /// Applies `{syntax, names, validation, translation, verifier}`; returns the keys it could not use.
    mutating func apply(_ object: JSONObject) -> [String] {
        let keys: [(String, WritableKeyPath<DiagnosticFilter, Bool>)] = [
            ("syntax", \.syntax), ("names", \.names), ("validation", \.validation),
            ("translation", \.translation), ("verifier", \.verifier),
        ]
        var problems: [String] = []
        for (key, path) in keys {
            guard let value = object[key], !value.isNull else { continue }
            if let flag = value.boolValue { self[keyPath: path] = flag } else { problems.append("diagnostics.\(key) must be a boolean") }
        }
        return problems
    }
}

/// The current filter, read by the scheduler's publishing callback and changed by the server.
public final class SharedDiagnosticFilter: Sendable {
    private let value = Mutex(DiagnosticFilter())

    public init() {}

    public var current: DiagnosticFilter { value.withLock { $0 } }

    public func set(_ filter: DiagnosticFilter) { value.withLock { $0 = filter } }
}

extension DocumentAnalysis {
    /// The diagnostics the filter shows, as LSP JSON.
    public func diagnosticsJSON(encoding: PositionEncoding, filter: DiagnosticFilter) -> JSONValue {
        .array(diagnostics.filter(filter.shows).map { $0.lspJSON(uri: uri, file: file, encoding: encoding) })
    }
}
