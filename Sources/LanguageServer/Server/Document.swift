import SourceText

/// The language of an open document, from its LSP language id or, failing that, its extension.
public enum DocumentLanguage: String, Sendable, Hashable {
    case wat, wast, clif, unknown

    public init(languageID: String, uri: String) {
        switch languageID.lowercased() {
        case "wat", "wasm", "webassembly": self = .wat
        case "wast": self = .wast
        case "clif", "cranelift", "cranelift ir": self = .clif
        default:
            let lower = uri.lowercased()
            if lower.hasSuffix(".wat") { self = .wat }
            else if lower.hasSuffix(".wast") { self = .wast }
            else if lower.hasSuffix(".clif") { self = .clif }
            else { self = .unknown }
        }
    }
}

/// One immutable version of an open document. Analyses read snapshots; edits make new ones.
public struct DocumentSnapshot: Sendable {
    public let uri: String
    public let language: DocumentLanguage
    public let version: Int
    public let file: SourceFile

    public init(uri: String, language: DocumentLanguage, version: Int, file: SourceFile) {
        self.uri = uri
        self.language = language
        self.version = version
        self.file = file
    }
}
