#if canImport(Glibc)
import Glibc
#endif
import Testing
import JSON
import SourceText
import TestSupport
import Synchronization
@testable import LanguageServer

@Suite struct LanguageServerTests {
    let sink = RecordingSink()

    func makeServer(queries: [String: QueryHandler] = [:]) -> LanguageServer {
        LanguageServer(sink: sink, logger: .silent, info: ServerInfo(version: "test"), queries: queries)
    }

    func request(_ server: LanguageServer, _ id: Int64, _ method: String, _ params: JSONValue? = nil) async {
        await server.handle(.request(id: .int(id), method: method, params: params))
    }

    func notify(_ server: LanguageServer, _ method: String, _ params: JSONValue) async {
        await server.handle(.notification(method: method, params: params))
    }

    func initialized(encodings: [JSONValue] = [], queries: [String: QueryHandler] = [:]) async -> LanguageServer {
        let server = makeServer(queries: queries)
        await request(server, 1, "initialize", ["capabilities": ["general": ["positionEncodings": .array(encodings)]]])
        await notify(server, "initialized", [:])
        return server
    }

    @Test func requestBeforeInitializeIsRejected() async {
        let server = makeServer()
        await request(server, 1, "textDocument/hover", [:])
        #expect(sink.sent.last?["error"]?["code"] == .int(-32002))
    }

    @Test func initializeNegotiatesEncodingAndAdvertisesSync() async {
        let server = await initialized(encodings: ["utf-8", "utf-16"])
        let answer = sink.responses(to: .int(1)).first
        #expect(answer?["result"]?["capabilities"]?["positionEncoding"] == "utf-8")
        #expect(answer?["result"]?["capabilities"]?["textDocumentSync"]?["change"] == 2)
        #expect(answer?["result"]?["serverInfo"]?["name"] == "clifford")
        await request(server, 2, "initialize", [:])
        #expect(sink.responses(to: .int(2)).first?["error"]?["code"] == .int(-32600))
    }

    @Test func malformedJSONGetsParseErrorWithNullId() async {
        let server = makeServer()
        await server.receive(body: Array("{oops".utf8))
        #expect(sink.sent.last?["error"]?["code"] == .int(-32700))
        #expect(sink.sent.last?["id"] == .null)
    }

    @Test func unknownRequestAndNotification() async {
        let server = await initialized()
        await request(server, 2, "clifford/nothing")
        #expect(sink.responses(to: .int(2)).first?["error"]?["code"] == .int(-32601))
        let before = sink.sent.count
        await notify(server, "clifford/nothing", [:])
        await notify(server, "$/setTrace", ["value": "off"])
        #expect(sink.sent.count == before)
    }

    @Test func documentsFollowOpenChangeClose() async throws {
        let server = await initialized()
        let uri = "file:///t/a.wat"
        await notify(server, "textDocument/didOpen", ["textDocument": [
            "uri": .string(uri), "languageId": "wat", "version": 1, "text": "(module\n  (func))"]])
        await notify(server, "textDocument/didChange", ["textDocument": ["uri": .string(uri), "version": 2],
            "contentChanges": [
                ["range": ["start": ["line": 1, "character": 7], "end": ["line": 1, "character": 7]], "text": " $😀"],
                ["range": ["start": ["line": 1, "character": 11], "end": ["line": 1, "character": 11]], "text": "x"],
            ]])
        let snapshot = try #require(await server.snapshot(of: uri))
        #expect(snapshot.version == 2)
        #expect(snapshot.language == .wat)
        #expect(snapshot.file.text == "(module\n  (func $😀x))")
        await notify(server, "textDocument/didChange", ["textDocument": ["uri": .string(uri), "version": 3],
            "contentChanges": [["text": "(module)"]]])
        #expect(await server.snapshot(of: uri)?.file.text == "(module)")
        await notify(server, "textDocument/didClose", ["textDocument": ["uri": .string(uri)]])
        #expect(await server.snapshot(of: uri) == nil)
    }

    @Test func badNotificationParamsAreSurvived() async {
        let server = await initialized()
        await notify(server, "textDocument/didOpen", ["textDocument": ["uri": 5]])
        await notify(server, "textDocument/didChange", ["textDocument": ["uri": "file:///nope", "version": 1],
                                                        "contentChanges": []])
        await request(server, 9, "shutdown")
        #expect(sink.responses(to: .int(9)).first?["result"] == .null)
    }

    @Test func shutdownThenExit() async {
        let server = await initialized()
        await request(server, 2, "shutdown")
        await request(server, 3, "textDocument/hover", [:])
        #expect(sink.responses(to: .int(3)).first?["error"]?["code"] == .int(-32600))
        await notify(server, "exit", [:])
        #expect(await server.exitCode == 0)
    }

    @Test func exitWithoutShutdownIsOne() async {
        let server = await initialized()
        await notify(server, "exit", [:])
        #expect(await server.exitCode == 1)
        #expect(await makeServer().exitCodeAtEndOfInput == 1)
    }

    @Test func cancelRequestStopsARunningQuery() async throws {
        let started = AsyncStream.makeStream(of: Void.self)
        let slow: QueryHandler = { _, _ in
            started.continuation.yield()
            while true {
                try Task.checkCancellation()
                try await Task.sleep(for: .milliseconds(10))
            }
        }
        let server = await initialized(queries: ["test/slow": slow])
        await request(server, 5, "test/slow")
        var iterator = started.stream.makeAsyncIterator()
        _ = await iterator.next()
        await notify(server, "$/cancelRequest", ["id": 5])
        let answer = await sink.response(to: .int(5))
        #expect(answer?["error"]?["code"] == .int(-32800))
        try await Task.sleep(for: .milliseconds(50))
        #expect(sink.responses(to: .int(5)).count == 1)
    }

    @Test func failingHandlerAnswersWithAnError() async {
        struct Boom: Error {}
        let failing: QueryHandler = { _, _ in throw Boom() }
        let invalid: QueryHandler = { params, _ in .string(try params["textDocument"]["uri"].string()) }
        let server = await initialized(queries: ["test/fail": failing, "test/params": invalid])
        await request(server, 6, "test/fail")
        #expect(await sink.response(to: .int(6))?["error"]?["code"] == .int(-32603))
        await request(server, 7, "test/params", ["textDocument": [:]])
        let answer = await sink.response(to: .int(7))
        #expect(answer?["error"]?["code"] == .int(-32602))
        #expect(answer?["error"]?["message"] == "missing params.textDocument.uri")
    }

    @Test func queriesSeeTheWorkspaceAsOfTheirArrival() async {
        let reader: QueryHandler = { params, context in
            let uri = try params["uri"].string()
            return .string(context.workspace[uri]?.file.text ?? "<closed>")
        }
        let server = await initialized(queries: ["test/read": reader])
        await notify(server, "textDocument/didOpen", ["textDocument": [
            "uri": "file:///r.clif", "languageId": "clif", "version": 1, "text": "function %f() {}"]])
        await request(server, 8, "test/read", ["uri": "file:///r.clif"])
        #expect(await sink.response(to: .int(8))?["result"] == "function %f() {}")
    }

    /// A string of `count` pieces whose production waits at piece `waitAt` until `gate` opens
    /// (at most 10 s); counts the pieces produced.
    fileprivate static func gatedText(count: Int, waitAt: Int, gate: TestGate, produced: PieceCounter) -> JSONValue {
        .stringPieces(JSONStringPieces(count: count) { index in
            if Task.isCancelled { return nil }
            produced.increment()
            if index == waitAt { gate.waitUntilOpen(timeout: .seconds(60)) }
            return Array("piece \(index)\n".utf8)
        })
    }
}

/// Answers whose text is produced while they are written. Serialized: a producer holds a thread
/// of the (small) concurrency pool while it waits at its gate.
@Suite(.serialized) struct LargeAnswerTests {
    let sink = RecordingSink()

    func initialized(queries: [String: QueryHandler]) async -> LanguageServer {
        let server = LanguageServer(sink: sink, logger: .silent, info: ServerInfo(version: "test"), queries: queries)
        await server.handle(.request(id: .int(1), method: "initialize", params: ["capabilities": [:]]))
        await server.handle(.notification(method: "initialized", params: [:]))
        return server
    }

    @Test func cancelRequestStopsAnAnswerWhileItIsWritten() async throws {
        let (gate, produced) = (TestGate(), PieceCounter())
        let large: QueryHandler = { _, _ in
            ["text": LanguageServerTests.gatedText(count: 2000, waitAt: 5, gate: gate, produced: produced)]
        }
        let server = await initialized(queries: ["test/large": large])
        await server.handle(.request(id: .int(9), method: "test/large", params: nil))
        while produced.value < 6 { try await Task.sleep(for: .milliseconds(2)) }
        await server.handle(.notification(method: "$/cancelRequest", params: ["id": 9]))
        gate.open()
        let answer = await sink.response(to: .int(9))
        #expect(answer?["error"]?["code"] == .int(-32800))
        try await Task.sleep(for: .milliseconds(100))
        #expect(sink.responses(to: .int(9)).count == 1)
        #expect(produced.value == 6, "pieces were produced after the cancellation")
    }

    @Test func otherRequestsAreAnsweredWhileALargeAnswerIsWritten() async throws {
        let (gate, produced) = (TestGate(), PieceCounter())
        let large: QueryHandler = { _, _ in
            ["text": LanguageServerTests.gatedText(count: 500, waitAt: 5, gate: gate, produced: produced)]
        }
        let fast: QueryHandler = { _, _ in "quick" }
        let server = await initialized(queries: ["test/large": large, "test/fast": fast])
        await server.handle(.request(id: .int(10), method: "test/large", params: nil))
        while produced.value < 6 { try await Task.sleep(for: .milliseconds(2)) }
        await server.handle(.request(id: .int(11), method: "test/fast", params: nil))
        // Generous: on a loaded machine the one pool thread the gated producer leaves may be busy.
        #expect(await sink.response(to: .int(11), within: 30)?["result"] == "quick")
        #expect(sink.responses(to: .int(10)).isEmpty, "the large answer was not being written")
        gate.open()
        let answer = await sink.response(to: .int(10))
        #expect(answer?["result"]?["text"]?.stringValue == (0..<500).map { "piece \($0)\n" }.joined())
    }
}

/// A flag a test raises to let a waiting producer or reader go on.
final class TestGate: Sendable {
    private let state = Mutex(false)
    var isOpen: Bool { state.withLock { $0 } }
    func open() { state.withLock { $0 = true } }
    func waitUntilOpen(timeout: Duration) {
        let deadline = ContinuousClock.now + timeout
        while !isOpen, ContinuousClock.now < deadline { usleep(1000) }
    }
}

/// A thread-safe count, for handlers that report progress to a test.
final class PieceCounter: Sendable {
    private let count = Mutex(0)
    func increment() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}
