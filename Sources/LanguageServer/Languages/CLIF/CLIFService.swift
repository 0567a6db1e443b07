import CLIF
import SourceText

/// One analysed `.clif` document: the parsed file with every entity's range, plus parse and
/// verifier diagnostics.
public struct CLIFAnalysis: DocumentAnalysis {
    public let uri: String
    public let version: Int
    public let clif: CLIFFile
    public var file: SourceFile { clif.source }
    public var diagnostics: [Diagnostic] { clif.diagnostics }
}

/// The language service for Cranelift IR text: parse → verify, and the editor features over the
/// parsed functions.
public struct CLIFService: LanguageService {
    public init() {}

    public func analyze(_ snapshot: DocumentSnapshot, previous: (any DocumentAnalysis)?) async throws -> any DocumentAnalysis {
        CLIFAnalysis(uri: snapshot.uri, version: snapshot.version, clif: CLIFFile.check(snapshot.file))
    }
}
