/// How serious a diagnostic is; the raw values are LSP's `DiagnosticSeverity`.
public enum DiagnosticSeverity: Int, Sendable, Hashable, Comparable {
    case error = 1
    case warning = 2
    case information = 3
    case hint = 4

    public static func < (lhs: DiagnosticSeverity, rhs: DiagnosticSeverity) -> Bool {
        lhs.rawValue < rhs.rawValue
    }

    /// The word command-line output uses (`error`, `warning`, `note`, `hint`).
    public var label: String {
        switch self {
        case .error: "error"
        case .warning: "warning"
        case .information: "note"
        case .hint: "hint"
        }
    }
}

/// A second place that matters to a diagnostic ("defined here"). `file` is nil for the same file
/// as the diagnostic, otherwise a path or URI.
public struct RelatedLocation: Sendable, Hashable {
    public var file: String?
    public var range: TextRange
    public var message: String

    public init(file: String? = nil, range: TextRange, message: String) {
        self.file = file
        self.range = range
        self.message = message
    }
}

/// A problem found in a source text, located by byte range. Produced by every front end; turned
/// into LSP or command-line output at the edges.
public struct Diagnostic: Sendable, Hashable {
    public var range: TextRange
    public var severity: DiagnosticSeverity
    /// A stable short code such as `wat-syntax` or `clif-verifier`.
    public var code: String?
    public var message: String
    public var related: [RelatedLocation]

    public init(range: TextRange, severity: DiagnosticSeverity = .error, code: String? = nil,
                message: String, related: [RelatedLocation] = []) {
        self.range = range
        self.severity = severity
        self.code = code
        self.message = message
        self.related = related
    }

    public static func error(_ message: String, at range: TextRange, code: String? = nil,
                             related: [RelatedLocation] = []) -> Diagnostic {
        Diagnostic(range: range, severity: .error, code: code, message: message, related: related)
    }

    public static func warning(_ message: String, at range: TextRange, code: String? = nil,
                               related: [RelatedLocation] = []) -> Diagnostic {
        Diagnostic(range: range, severity: .warning, code: code, message: message, related: related)
    }
}

extension Diagnostic {
    /// `path:line:col: error: message`, the command-line form, with related notes on following lines.
    public func formatted(path: String, in file: SourceFile) -> String {
        let (line, column) = file.humanLocation(of: range.start)
        var text = "\(path):\(line):\(column): \(severity.label): \(message)"
        if let code { text += " [\(code)]" }
        for note in related where note.file == nil {
            let (noteLine, noteColumn) = file.humanLocation(of: note.range.start)
            text += "\n\(path):\(noteLine):\(noteColumn): note: \(note.message)"
        }
        return text
    }
}
