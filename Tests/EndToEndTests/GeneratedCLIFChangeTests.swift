import Testing
import JSON
import SourceText
import TestSupport

/// Clients hear when a WAT document's generated CLIF changes: `clifford/didChangeGeneratedClif`
/// for those that ask for it, `workspace/textDocumentContent/refresh` (a request of the server's)
/// for LSP 3.18 clients; a client that never answers those requests stalls nothing.
@Suite struct GeneratedCLIFChangeTests {
    static let source = MarkedSource("""
        (module
          (func $seven (result i32)
            i32.const 1️⃣7))
        """)
    static let uri = "file:///e2e/change.wat"
    static let clifURI = JSONValue.string("clifford-clif:" + uri)

    /// Waits until the analysis of the current version is finished.
    func settle(_ server: ServerProcess, _ id: String) async {
        server.request(.string(id), "clifford/generatedClif", ["textDocument": ["uri": .string(Self.uri)]])
        _ = await server.response(to: .string(id))
    }

    /// Replaces the `7` at 1️⃣ with `text`, as version `version`.
    func edit(_ server: ServerProcess, version: Int, text: String) {
        let start = E2E.position(Self.source, "1️⃣")
        let end = Self.source.sourceFile.position(of: Self.source["1️⃣"] + 1, encoding: .utf16).json
        server.notify("textDocument/didChange", [
            "textDocument": ["uri": .string(Self.uri), "version": JSONValue(version)],
            "contentChanges": [["range": ["start": start, "end": end], "text": .string(text)]]])
        // The edit keeps a one-character constant, so the next edit's range is the same.
    }

    func isNotification(_ message: JSONValue) -> Bool {
        message["method"] == "clifford/didChangeGeneratedClif"
    }

    func isRefresh(_ message: JSONValue) -> Bool {
        message["method"] == "workspace/textDocumentContent/refresh" && message["id"] != nil
    }

    @Test func notificationAfterAnEditThatChangesTheCLIF() async throws {
        let server = try await E2E.server(opening: Self.source.text, uri: Self.uri, capabilities: [
            "general": ["positionEncodings": ["utf-16"]], "experimental": ["cliffordGeneratedClifChanged": true]])
        await settle(server, "a")
        #expect(!server.messages.contains(where: isNotification), "the first analysis reports no change")
        edit(server, version: 2, text: "8")
        let notified = await server.wait(for: isNotification)
        #expect(notified?["params"]?["uri"] == Self.clifURI)
        #expect(!server.messages.contains(where: isRefresh))
    }

    @Test func noNotificationWhenTheCLIFStaysTheSame() async throws {
        let server = try await E2E.server(opening: Self.source.text, uri: Self.uri, capabilities: [
            "experimental": ["cliffordGeneratedClifChanged": true]])
        await settle(server, "a")
        edit(server, version: 2, text: "7")
        await settle(server, "b")
        edit(server, version: 3, text: "9")
        _ = await server.wait(for: isNotification)
        #expect(server.messages.filter(isNotification).count == 1)
    }

    @Test func refreshRequestForTextDocumentContentClients() async throws {
        let server = try await E2E.server(opening: Self.source.text, uri: Self.uri, capabilities: [
            "workspace": ["textDocumentContent": ["dynamicRegistration": false]],
            "experimental": ["cliffordGeneratedClifChanged": true]])
        await settle(server, "a")
        edit(server, version: 2, text: "8")
        let refresh = try #require(await server.wait(for: isRefresh))
        #expect(refresh["params"]?["uri"] == Self.clifURI)
        server.send(["jsonrpc": "2.0", "id": refresh["id"]!, "result": .null])
        #expect(!server.messages.contains(where: isNotification), "3.18 clients get the request instead")
        server.request("content", "workspace/textDocumentContent", ["uri": Self.clifURI])
        let text = await server.response(to: "content")?["result"]?["text"]?.stringValue ?? ""
        #expect(text.contains("iconst.i32 8"), "\(text)")
    }

    @Test func aClientThatNeverAnswersStallsNothing() async throws {
        let server = try await E2E.server(opening: Self.source.text, uri: Self.uri, capabilities: [
            "workspace": ["textDocumentContent": [:]]])
        await settle(server, "a")
        for (version, digit) in ["1", "2", "3", "4", "5", "6"].enumerated() {
            edit(server, version: version + 2, text: digit)
            await settle(server, "settle\(version)")
        }
        _ = await server.wait { _ in server.messages.filter(isRefresh).count >= 6 }
        let refreshes = server.messages.filter(isRefresh)
        #expect(refreshes.count == 6, "\(refreshes.count) refresh requests")
        let ids = Set(refreshes.compactMap { $0["id"] })
        #expect(ids.count == refreshes.count, "each refresh has its own id")
        let start = ContinuousClock.now
        server.request("hover", "textDocument/hover", ["textDocument": ["uri": .string(Self.uri)],
                                                       "position": E2E.position(Self.source, "1️⃣")])
        let hover = await server.response(to: "hover")
        #expect(hover?["result"]?["contents"] != nil)
        #expect(ContinuousClock.now - start < .seconds(5))
        // An answer to an id the server never used is ignored.
        server.send(["jsonrpc": "2.0", "id": "no-such-request", "result": .null])
        server.request("after", "clifford/generatedClif", ["textDocument": ["uri": .string(Self.uri)]])
        #expect(await server.response(to: "after")?["result"] != nil)
    }

    @Test func clientsThatDidNotAskHearNothing() async throws {
        let server = try await E2E.server(opening: Self.source.text, uri: Self.uri)
        await settle(server, "a")
        edit(server, version: 2, text: "8")
        await settle(server, "b")
        try await Task.sleep(for: .milliseconds(300))
        #expect(!server.messages.contains { isNotification($0) || isRefresh($0) })
    }
}
