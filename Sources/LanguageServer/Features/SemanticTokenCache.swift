import SourceText

/// What the semantic-token requests remember per document, packed: the data of the last analysed
/// version asked for (so range requests and repeated requests do not classify again) and the
/// last data sent with its result id (so `full/delta` can answer with an edit). The two share
/// their storage when they are the same. Holds a few documents only.
actor SemanticTokenCache {
    static let shared = SemanticTokenCache()

    struct Entry {
        var version: Int
        var encoding: PositionEncoding
        var data: SemanticTokenData
        var resultID: String?
        var sent: SemanticTokenData?
    }

    private var entries: [String: Entry] = [:]
    private var order: [String] = []
    private var nextResultID = 1
    private let capacity = 8

    func data(uri: String, version: Int, encoding: PositionEncoding) -> SemanticTokenData? {
        guard let entry = entries[uri], entry.version == version, entry.encoding == encoding else { return nil }
        return entry.data
    }

    func store(uri: String, version: Int, encoding: PositionEncoding, data: SemanticTokenData) {
        if let entry = entries[uri], entry.version == version, entry.encoding == encoding { return }
        var entry = entries[uri] ?? Entry(version: version, encoding: encoding, data: data)
        entry.version = version
        entry.encoding = encoding
        entry.data = data
        remember(uri, entry)
    }

    /// Records `data` as sent for `uri` and returns its new result id.
    func sent(uri: String, data: SemanticTokenData) -> String {
        let id = String(nextResultID)
        nextResultID += 1
        if var entry = entries[uri] {
            entry.resultID = id
            entry.sent = data
            remember(uri, entry)
        }
        return id
    }

    /// The data last sent for `uri` under `resultID`, if it is still known.
    func sent(uri: String, resultID: String) -> SemanticTokenData? {
        guard let entry = entries[uri], entry.resultID == resultID else { return nil }
        return entry.sent
    }

    private func remember(_ uri: String, _ entry: Entry) {
        entries[uri] = entry
        order.removeAll { $0 == uri }
        order.append(uri)
        while order.count > capacity { entries[order.removeFirst()] = nil }
    }
}
