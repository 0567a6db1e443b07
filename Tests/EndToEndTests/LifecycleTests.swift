import Foundation
import Testing
import JSON
import TestSupport

/// The real binary, spoken to over pipes.
@Suite struct LifecycleTests {
    @Test func fullSessionExitsWithZero() async throws {
        let server = try ServerProcess()
        let result = await server.initialize(capabilities: ["general": ["positionEncodings": ["utf-16"]]])
        #expect(result?["capabilities"]?["textDocumentSync"]?["change"] == 2)
        #expect(result?["capabilities"]?["positionEncoding"] == "utf-16")
        #expect(result?["serverInfo"]?["name"] == "clifford")
        server.notify("textDocument/didOpen", ["textDocument": [
            "uri": "file:///e2e/a.wat", "languageId": "wat", "version": 1,
            "text": "(module\n  (func $f (result i32)\n    i32.const 1))\n"]])
        server.notify("textDocument/didChange", ["textDocument": ["uri": "file:///e2e/a.wat", "version": 2],
            "contentChanges": [["range": ["start": ["line": 2, "character": 14], "end": ["line": 2, "character": 15]],
                                "text": "42"]]])
        server.notify("textDocument/didSave", ["textDocument": ["uri": "file:///e2e/a.wat"]])
        server.notify("textDocument/didClose", ["textDocument": ["uri": "file:///e2e/a.wat"]])
        server.request(2, "shutdown", .null)
        #expect(await server.response(to: 2)?["result"] == .null)
        server.notify("exit", .null)
        #expect(await server.exitStatus(within: 5) == 0)
        #expect(server.unparsableCount == 0)
    }

    @Test func exitWithoutShutdownIsOne() async throws {
        let server = try ServerProcess()
        _ = await server.initialize()
        server.notify("exit")
        #expect(await server.exitStatus(within: 5) == 1)
    }

    /// The server notices the closed stdin by itself; the bound is generous because CI machines
    /// are loaded (this checks that it exits, not how fast).
    @Test func closingStdinEndsTheServer() async throws {
        let server = try ServerProcess()
        _ = await server.initialize()
        server.closeInput()
        let status = await server.exitStatus(within: 5)
        #expect(status != nil, "still running five seconds after stdin closed")
    }

    @Test func unknownMethodAndNotification() async throws {
        let server = try ServerProcess()
        _ = await server.initialize()
        server.notify("clifford/unknownNotification")
        server.request(7, "clifford/unknownRequest")
        #expect(await server.response(to: 7)?["error"]?["code"] == -32601)
    }

    @Test func malformedJSONGetsParseError() async throws {
        let server = try ServerProcess()
        server.sendRaw(Array("Content-Length: 9\r\n\r\n{not json".utf8))
        let answer = await server.wait { $0["error"] != nil }
        #expect(answer?["error"]?["code"] == -32700)
        #expect(answer?["id"] == .null)
        #expect(await server.initialize() != nil)
    }

    @Test func requestBeforeInitialize() async throws {
        let server = try ServerProcess()
        server.request(1, "textDocument/hover", ["textDocument": ["uri": "file:///x.wat"],
                                                 "position": ["line": 0, "character": 0]])
        #expect(await server.response(to: 1)?["error"]?["code"] == -32002)
    }

    @Test func stringIdsAreAnsweredWithTheSameId() async throws {
        let server = try ServerProcess()
        server.request("init-α", "initialize", ["processId": .null, "capabilities": [:]])
        #expect(await server.response(to: "init-α")?["result"]?["serverInfo"] != nil)
        server.request("ü-2", "shutdown", .null)
        #expect(await server.response(to: "ü-2")?["result"] == .null)
    }

    @Test func survivesGarbageAndResynchronises() async throws {
        let server = try ServerProcess()
        var generator = SystemRandomNumberGenerator()
        let noise = (0..<4000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        server.sendRaw(Array("Garbage-Header\r\n\r\n".utf8) + noise + Array("\r\n\r\n".utf8))
        server.sendRaw(Array("Content-Length: nope\r\n\r\n".utf8))
        #expect(await server.initialize() != nil)
        server.request(3, "shutdown", .null)
        #expect(await server.response(to: 3)?["result"] == .null)
    }

    @Test func twoMessagesInOneWriteAndOneSplitAcrossWrites() async throws {
        let server = try ServerProcess()
        _ = await server.initialize()
        let first = MessageFrame.bytes(["jsonrpc": "2.0", "id": 10, "method": "x/none"])
        let second = MessageFrame.bytes(["jsonrpc": "2.0", "id": 11, "method": "x/none"])
        server.sendRaw(first + second)
        let third = MessageFrame.bytes(["jsonrpc": "2.0", "id": 12, "method": "x/none"])
        server.sendRaw(Array(third[..<7]))
        try await Task.sleep(for: .milliseconds(100))
        server.sendRaw(Array(third[7...]))
        for id: JSONValue in [10, 11, 12] {
            #expect(await server.response(to: id)?["error"]?["code"] == -32601)
        }
    }
}

/// `clifford --version` and friends.
@Suite struct CommandLineTests {
    @Test func versionGoesToStdout() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TestEnvironment.cliffordBinary)
        process.arguments = ["--version"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        process.waitUntilExit()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 0)
        #expect(text.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".").count == 3)
    }
}
