import SourceText

/// What analysing one version of a document produced. Each language has its own concrete type
/// (syntax tree, module, generated CLIF, …); the server only needs what is listed here.
public protocol DocumentAnalysis: Sendable {
    var uri: String { get }
    var version: Int { get }
    var file: SourceFile { get }
    var diagnostics: [Diagnostic] { get }
}

/// The analysis of a document whose language clifford does not know, or whose analyser failed:
/// it carries the file and whatever diagnostics explain the situation.
public struct PlainAnalysis: DocumentAnalysis {
    public let uri: String
    public let version: Int
    public let file: SourceFile
    public let diagnostics: [Diagnostic]

    public init(snapshot: DocumentSnapshot, diagnostics: [Diagnostic] = []) {
        self.uri = snapshot.uri
        self.version = snapshot.version
        self.file = snapshot.file
        self.diagnostics = diagnostics
    }
}
