import JSON
import SourceText

extension LanguageServer {
    func didOpen(_ params: ParamsReader) throws(ResponseError) -> DocumentSnapshot {
        let document = params["textDocument"]
        let snapshot = workspace.open(
            uri: try document["uri"].string(),
            languageID: (try? document["languageId"].string()) ?? "",
            version: try document["version"].int(),
            text: try document["text"].string())
        logger.debug("opened \(snapshot.uri) v\(snapshot.version) (\(snapshot.language.rawValue))")
        return snapshot
    }

    func didChange(_ params: ParamsReader) throws(ResponseError) -> DocumentSnapshot {
        let uri = try params["textDocument"]["uri"].string()
        let version = try params["textDocument"]["version"].int()
        var changes: [ContentChange] = []
        for change in try params["contentChanges"].array() {
            let range = change["range"].isPresent ? try change["range"].range() : nil
            changes.append(ContentChange(range: range, text: try change["text"].string()))
        }
        if let current = workspace[uri], version <= current.version {
            logger.warning("didChange for \(uri) goes from v\(current.version) to v\(version); applying it in order anyway")
        }
        guard let snapshot = workspace.change(uri: uri, version: version, changes: changes, encoding: encoding) else {
            throw .invalidParams("didChange for \(uri), which is not open")
        }
        return snapshot
    }

    func didClose(_ params: ParamsReader) async throws(ResponseError) {
        let uri = try params["textDocument"]["uri"].string()
        guard workspace.close(uri: uri) else {
            logger.warning("didClose for \(uri), which is not open")
            return
        }
        await scheduler?.close(uri: uri)
        forgetGeneratedCLIF(of: uri)
        if !clientPullsDiagnostics {
            sink.send(OutgoingMessage.notification(method: "textDocument/publishDiagnostics", params: [
                "uri": .string(uri), "diagnostics": [],
            ]))
        }
    }

    func analyze(_ snapshot: DocumentSnapshot) async {
        await scheduler?.schedule(snapshot)
    }

    /// The current snapshot of a document (for tests and later features).
    public func snapshot(of uri: String) -> DocumentSnapshot? { workspace[uri] }
}
