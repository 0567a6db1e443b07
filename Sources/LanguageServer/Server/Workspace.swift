import SourceText

/// The open documents, keyed by URI. Changes are applied strictly in the order they arrive.
public struct Workspace: Sendable {
    public private(set) var documents: [String: DocumentSnapshot] = [:]

    public init() {}

    public subscript(uri: String) -> DocumentSnapshot? { documents[uri] }

    /// Opens (or reopens) a document with its full text.
    public mutating func open(uri: String, languageID: String, version: Int, text: String) -> DocumentSnapshot {
        let snapshot = DocumentSnapshot(uri: uri, language: DocumentLanguage(languageID: languageID, uri: uri),
                                        version: version, file: SourceFile(text))
        documents[uri] = snapshot
        return snapshot
    }

    /// Applies `changes` to an open document; nil when the document is not open.
    public mutating func change(uri: String, version: Int, changes: [ContentChange],
                                encoding: PositionEncoding) -> DocumentSnapshot? {
        guard let current = documents[uri] else { return nil }
        let snapshot = DocumentSnapshot(uri: uri, language: current.language, version: version,
                                        file: current.file.applying(changes, encoding: encoding))
        documents[uri] = snapshot
        return snapshot
    }

    /// Closes a document; returns whether it was open.
    @discardableResult
    public mutating func close(uri: String) -> Bool {
        documents.removeValue(forKey: uri) != nil
    }
}
