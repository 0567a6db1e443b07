import Testing
import JSON
import SourceText
import TestSupport
@testable import LanguageServer

/// Requests the server sends to the client: ids of their own, answers routed back, and nothing
/// kept once a client fails to answer.
@Suite struct ClientRequestTests {
    let sink = RecordingSink()

    func server(timeout: Duration) async -> LanguageServer {
        let server = LanguageServer(sink: sink, logger: .silent, info: ServerInfo(version: "test"),
                                    services: LanguageServices.standard, clientAnswerTimeout: timeout)
        await server.handle(.request(id: .int(1), method: "initialize", params: [
            "capabilities": ["workspace": ["configuration": true]]]))
        await server.handle(.notification(method: "initialized", params: [:]))
        return server
    }

    func configurationRequests() -> [JSONValue] {
        sink.sent.filter { $0["method"] == "workspace/configuration" }
    }

    func waitFor(_ condition: () async -> Bool) async {
        for _ in 0..<400 where !(await condition()) { try? await Task.sleep(for: .milliseconds(5)) }
    }

    @Test func anUnansweredRequestIsDroppedAfterTheTimeout() async {
        let server = await server(timeout: .milliseconds(50))
        await waitFor { configurationRequests().count == 1 }
        #expect(configurationRequests().first?["id"] == "s1")
        #expect(await server.pendingClientRequestCount == 1)
        await waitFor { await server.pendingClientRequestCount == 0 }
        #expect(await server.pendingClientRequestCount == 0)
        // Later requests get fresh ids, and a late answer to the dropped one is ignored.
        await server.handle(.response(id: .string("s1"), result: [["target": "aarch64"]], error: nil))
        #expect(await server.settings.target == "x86_64")
        await server.handle(.notification(method: "workspace/didChangeConfiguration", params: ["settings": .null]))
        await waitFor { configurationRequests().count == 2 }
        #expect(configurationRequests().last?["id"] == "s2")
    }

    @Test func anAnswerIsRoutedToItsRequest() async {
        let server = await server(timeout: .seconds(30))
        await waitFor { configurationRequests().count == 1 }
        await server.handle(.response(id: .string("s1"), result: [["target": "aarch64", "debounceMs": 7]], error: nil))
        await waitFor { await server.settings.target == "aarch64" }
        #expect(await server.settings.target == "aarch64")
        #expect(await server.settings.debounce == .milliseconds(7))
        #expect(await server.pendingClientRequestCount == 0)
    }

    @Test func aNullSectionKeepsTheSettings() async {
        let server = await server(timeout: .seconds(30))
        await server.handle(.notification(method: "workspace/didChangeConfiguration", params: ["settings": ["target": "riscv64"]]))
        await waitFor { configurationRequests().count == 2 }
        for request in configurationRequests() {
            await server.handle(.response(id: RequestID(json: request["id"]!), result: [.null], error: nil))
        }
        await waitFor { await server.pendingClientRequestCount == 0 }
        #expect(await server.settings.target == "riscv64")
    }
}
