import JSON

/// A cheap identity of a generated CLIF text: its line count and its fingerprint.
struct GeneratedCLIFFingerprint: Sendable, Equatable {
    var version: Int
    var length: Int
    var hash: Int

    /// The fingerprints of every module's generated CLIF in `analysis`, by generated URI.
    static func of(_ analysis: WATAnalysis) -> [String: GeneratedCLIFFingerprint] {
        var result: [String: GeneratedCLIFFingerprint] = [:]
        for (index, module) in analysis.modules.enumerated() {
            let uri = GeneratedCLIFDocument.uri(forSource: analysis.uri, module: index)
            guard let generated = module.generated else {
                result[uri] = GeneratedCLIFFingerprint(version: analysis.version, length: -1, hash: 0)
                continue
            }
            result[uri] = GeneratedCLIFFingerprint(version: analysis.version, length: generated.lineCount,
                                                   hash: generated.fingerprint)
        }
        return result
    }

    func sameText(as other: GeneratedCLIFFingerprint) -> Bool { length == other.length && hash == other.hash }
}

extension LanguageServer {
    /// Called with every finished analysis, off the actor: tells clients that follow generated CLIF
    /// documents which of them changed.
    nonisolated func followGeneratedCLIF(of analysis: any DocumentAnalysis) {
        guard let analysis = analysis as? WATAnalysis, !analysis.modules.isEmpty else { return }
        Task.detached(priority: .utility) {
            let fingerprints = GeneratedCLIFFingerprint.of(analysis)
            await self.generatedCLIFChanged(source: analysis.uri, fingerprints)
        }
    }

    /// Records the new fingerprints of a document's generated CLIF and reports every generated
    /// document whose text changed: `workspace/textDocumentContent/refresh` to LSP 3.18 clients,
    /// `clifford/didChangeGeneratedClif` to clients that asked for it. The first analysis of a
    /// document reports nothing (nobody can have read an older text).
    private func generatedCLIFChanged(source: String, _ fingerprints: [String: GeneratedCLIFFingerprint]) {
        guard workspace[source] != nil, let version = fingerprints.values.first?.version else { return }
        let previous = generatedFingerprints.filter { GeneratedCLIFDocument.source(of: $0.key)?.uri == source }
        if let older = previous.values.first, older.version > version { return }
        var changed: [String] = []
        for (uri, fingerprint) in fingerprints {
            if let old = previous[uri], !old.sameText(as: fingerprint) { changed.append(uri) }
            generatedFingerprints[uri] = fingerprint
        }
        for uri in previous.keys where fingerprints[uri] == nil {
            generatedFingerprints[uri] = nil
            changed.append(uri)
        }
        for uri in changed.sorted() {
            if client.textDocumentContent {
                sendToClient("workspace/textDocumentContent/refresh", ["uri": .string(uri)])
            } else if client.generatedClifNotifications {
                sink.send(OutgoingMessage.notification(method: "clifford/didChangeGeneratedClif", params: ["uri": .string(uri)]))
            }
        }
    }

    /// Forgets the generated documents of a closed document.
    func forgetGeneratedCLIF(of source: String) {
        generatedFingerprints = generatedFingerprints.filter { GeneratedCLIFDocument.source(of: $0.key)?.uri != source }
    }
}
