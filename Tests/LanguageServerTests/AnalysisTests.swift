import Testing
import JSON
import SourceText
import TestSupport
@testable import LanguageServer

/// A language service for tests: every occurrence of `bad` is an error; a text containing `slow`
/// takes 300 ms to analyse (cancellable).
struct KeywordService: LanguageService {
    func analyze(_ snapshot: DocumentSnapshot, previous: (any DocumentAnalysis)?) async throws -> any DocumentAnalysis {
        if snapshot.file.text.contains("slow") {
            try await Task.sleep(for: .milliseconds(300))
        }
        var diagnostics: [Diagnostic] = []
        let bytes = snapshot.file.utf8
        let needle = Array("bad".utf8)
        var index = 0
        while index + needle.count <= bytes.count {
            if Array(bytes[index..<index + needle.count]) == needle {
                diagnostics.append(.error("bad word", at: TextRange(start: index, end: index + 3), code: "test-bad"))
            }
            index += 1
        }
        return PlainAnalysis(snapshot: snapshot, diagnostics: diagnostics)
    }
}

/// A service with a slow second stage: it reports one diagnostic early, then finishes with two.
struct TwoStageService: LanguageService {
    func analyze(_ snapshot: DocumentSnapshot, previous: (any DocumentAnalysis)?) async throws -> any DocumentAnalysis {
        try await analyze(snapshot, previous: previous) { _ in }
    }

    func analyze(_ snapshot: DocumentSnapshot, previous: (any DocumentAnalysis)?,
                 report: @Sendable (any DocumentAnalysis) async -> Void) async throws -> any DocumentAnalysis {
        let early = Diagnostic.error("early", at: TextRange(at: 0))
        await report(PlainAnalysis(snapshot: snapshot, diagnostics: [early]))
        try await Task.sleep(for: .milliseconds(300))
        return PlainAnalysis(snapshot: snapshot, diagnostics: [early, .warning("late", at: TextRange(at: 0))])
    }
}

@Suite struct AnalysisTests {
    let sink = RecordingSink()

    func server(pull: Bool = false) async -> LanguageServer {
        let server = LanguageServer(sink: sink, logger: .silent, info: ServerInfo(version: "test"),
                                    services: [.wat: KeywordService()])
        var capabilities: JSONObject = ["general": ["positionEncodings": ["utf-16"]]]
        if pull { capabilities["textDocument"] = ["diagnostic": ["dynamicRegistration": false]] }
        await server.handle(.request(id: .int(1), method: "initialize", params: [
            "capabilities": .object(capabilities), "initializationOptions": ["debounceMs": 10]]))
        await server.handle(.notification(method: "initialized", params: [:]))
        return server
    }

    func open(_ server: LanguageServer, _ uri: String, _ text: String, version: Int = 1) async {
        await server.handle(.notification(method: "textDocument/didOpen", params: ["textDocument": [
            "uri": .string(uri), "languageId": "wat", "version": JSONValue(version), "text": .string(text)]]))
    }

    func replace(_ server: LanguageServer, _ uri: String, _ text: String, version: Int) async {
        await server.handle(.notification(method: "textDocument/didChange", params: [
            "textDocument": ["uri": .string(uri), "version": JSONValue(version)],
            "contentChanges": [["text": .string(text)]]]))
    }

    var published: [JSONValue] {
        sink.sent.filter { $0["method"] == "textDocument/publishDiagnostics" }
    }

    func waitForPublished(count: Int) async {
        for _ in 0..<400 where published.count < count {
            try? await Task.sleep(for: .milliseconds(5))
        }
    }

    @Test func diagnosticsArePushedAfterOpenWithRanges() async {
        let source = MarkedSource("(module\n  1️⃣bad2️⃣)")
        let server = await server()
        await open(server, "file:///a.wat", source.text)
        await waitForPublished(count: 1)
        let diagnostic = published.first?["params"]?["diagnostics"]?[0]
        #expect(published.first?["params"]?["version"] == 1)
        #expect(diagnostic?["range"] == source.sourceFile.positionRange(of: source.range("1️⃣", "2️⃣"), encoding: .utf16).json)
        #expect(diagnostic?["source"] == "clifford")
        #expect(diagnostic?["code"] == "test-bad")
        #expect(diagnostic?["severity"] == 1)
    }

    @Test func aStaleVersionIsNeverPublished() async throws {
        let server = await server()
        await open(server, "file:///s.wat", "slow bad bad")
        await replace(server, "file:///s.wat", "bad", version: 2)
        await waitForPublished(count: 1)
        try await Task.sleep(for: .milliseconds(400))
        #expect(published.count == 1)
        #expect(published.first?["params"]?["version"] == 2)
        #expect(published.first?["params"]?["diagnostics"]?.arrayValue?.count == 1)
    }

    @Test func closingClearsDiagnostics() async {
        let server = await server()
        await open(server, "file:///c.wat", "bad")
        await waitForPublished(count: 1)
        await server.handle(.notification(method: "textDocument/didClose", params: ["textDocument": ["uri": "file:///c.wat"]]))
        #expect(published.last?["params"]?["diagnostics"] == .array([]))
    }

    @Test func pullingClientsGetDiagnosticsByRequestOnly() async throws {
        let server = await server(pull: true)
        let initialize = sink.sent.first { $0["id"] == 1 }
        #expect(initialize?["result"]?["capabilities"]?["diagnosticProvider"] != nil)
        await open(server, "file:///p.wat", "bad bad")
        await server.handle(.request(id: .int(2), method: "textDocument/diagnostic",
                                     params: ["textDocument": ["uri": "file:///p.wat"]]))
        let answer = await sink.response(to: .int(2))
        #expect(answer?["result"]?["kind"] == "full")
        #expect(answer?["result"]?["items"]?.arrayValue?.count == 2)
        try await Task.sleep(for: .milliseconds(50))
        #expect(published.isEmpty)
    }

    @Test func pullWaitsForTheCurrentVersion() async {
        let server = await server(pull: true)
        await open(server, "file:///w.wat", "bad")
        await replace(server, "file:///w.wat", "slow bad bad bad", version: 2)
        await server.handle(.request(id: .int(3), method: "textDocument/diagnostic",
                                     params: ["textDocument": ["uri": "file:///w.wat"]]))
        let answer = await sink.response(to: .int(3))
        #expect(answer?["result"]?["items"]?.arrayValue?.count == 3)
    }

    @Test func preliminaryDiagnosticsArePublishedBeforeTheSlowStage() async {
        let server = LanguageServer(sink: sink, logger: .silent, info: ServerInfo(version: "test"),
                                    services: [.clif: TwoStageService()])
        await server.handle(.request(id: .int(1), method: "initialize", params: ["initializationOptions": ["debounceMs": 0]]))
        await server.handle(.notification(method: "textDocument/didOpen", params: ["textDocument": [
            "uri": "file:///t.clif", "languageId": "clif", "version": 1, "text": "x"]]))
        await waitForPublished(count: 1)
        #expect(published.first?["params"]?["diagnostics"]?.arrayValue?.count == 1)
        await waitForPublished(count: 2)
        #expect(published.count == 2)
        #expect(published.last?["params"]?["diagnostics"]?.arrayValue?.count == 2)
    }

    @Test func unknownLanguagesGetNoDiagnostics() async {
        let server = await server()
        await server.handle(.notification(method: "textDocument/didOpen", params: ["textDocument": [
            "uri": "file:///notes.txt", "languageId": "plaintext", "version": 1, "text": "bad"]]))
        await waitForPublished(count: 1)
        #expect(published.first?["params"]?["diagnostics"] == .array([]))
    }
}
