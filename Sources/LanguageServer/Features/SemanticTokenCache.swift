/// What the semantic-token requests remember per document: the classified tokens of the last
/// analysed version (so range requests do not classify again) and the last data sent with its
/// result id (so `full/delta` can answer with an edit). Holds a few documents only.
actor SemanticTokenCache {
    static let shared = SemanticTokenCache()

    struct Entry {
        var version: Int
        var tokens: [SemanticToken]
        var resultID: String?
        var data: [UInt32] = []
    }

    private var entries: [String: Entry] = [:]
    private var order: [String] = []
    private var nextResultID = 1
    private let capacity = 8

    func tokens(uri: String, version: Int) -> [SemanticToken]? {
        guard let entry = entries[uri], entry.version == version else { return nil }
        return entry.tokens
    }

    func store(uri: String, version: Int, tokens: [SemanticToken]) {
        if let entry = entries[uri], entry.version == version { return }
        var entry = entries[uri] ?? Entry(version: version, tokens: tokens)
        entry.version = version
        entry.tokens = tokens
        remember(uri, entry)
    }

    /// Records `data` as sent for `uri` and returns its new result id.
    func sent(uri: String, data: [UInt32]) -> String {
        let id = String(nextResultID)
        nextResultID += 1
        if var entry = entries[uri] {
            entry.resultID = id
            entry.data = data
            remember(uri, entry)
        }
        return id
    }

    /// The data last sent for `uri` under `resultID`, if it is still known.
    func data(uri: String, resultID: String) -> [UInt32]? {
        guard let entry = entries[uri], entry.resultID == resultID else { return nil }
        return entry.data
    }

    private func remember(_ uri: String, _ entry: Entry) {
        entries[uri] = entry
        order.removeAll { $0 == uri }
        order.append(uri)
        while order.count > capacity { entries[order.removeFirst()] = nil }
    }
}
