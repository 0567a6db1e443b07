import Foundation
import Testing
import JSON
import SourceText
import TestSupport

/// The link between WAT and the CLIF Wasmtime generates, through the real binary.
@Suite struct WATToCLIFTests {
    static let source = MarkedSource("""
        (module
          (memory 1)
          (func $load (export "load") (param $p i32) (result i32)
            local.get $p
            1️⃣i32.load offset=8
            2️⃣local.get $p
            i32.add))
        """)

    func position(_ marker: String) -> JSONValue {
        Self.source.sourceFile.position(of: Self.source[marker], encoding: .utf16).json
    }

    func openedServer() async throws -> (ServerProcess, String) {
        let server = try ServerProcess()
        _ = await server.initialize(capabilities: ["general": ["positionEncodings": ["utf-16"]]])
        let uri = "file:///e2e/load.wat"
        server.notify("textDocument/didOpen", ["textDocument": [
            "uri": .string(uri), "languageId": "wat", "version": 1, "text": .string(Self.source.text)]])
        return (server, uri)
    }

    /// `clifford translate` on the same text: the CLIF lines at each `@offset`.
    func translatedLines() throws -> [String] {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("clifford-e2e-\(UUID().uuidString).wat").path
        try Self.source.text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TestEnvironment.cliffordBinary)
        process.arguments = ["translate", path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    @Test func hoverShowsTheCLIFThatTranslatePrints() async throws {
        let (server, uri) = try await openedServer()
        server.request(2, "textDocument/hover", ["textDocument": ["uri": .string(uri)], "position": position("1️⃣")])
        let hover = await server.response(to: 2)?["result"]?["contents"]?["value"]?.stringValue ?? ""
        #expect(hover.contains("```clif"), "\(hover)")
        #expect(hover.contains("stack before: `[i32]`"), "\(hover)")
        // The offset the hover names, and the lines `clifford translate` prints for it.
        let offset = try #require(hover.firstMatch(of: /offset `0x([0-9a-f]+)`/)?.1)
        let tag = "@" + String(repeating: "0", count: max(0, 4 - offset.count)) + offset
        let expected = try translatedLines().filter { $0.trimmingCharacters(in: .whitespaces).hasPrefix(tag) }
        #expect(!expected.isEmpty)
        for line in expected {
            #expect(hover.contains(line.trimmingCharacters(in: .whitespaces)), "hover lacks \(line)")
        }
    }

    @Test func localGetSaysItGeneratesNoCLIF() async throws {
        let (server, uri) = try await openedServer()
        server.request(3, "textDocument/hover", ["textDocument": ["uri": .string(uri)], "position": position("2️⃣")])
        let hover = await server.response(to: 3)?["result"]?["contents"]?["value"]?.stringValue ?? ""
        #expect(hover.contains("Generates no CLIF"), "\(hover)")
    }

    @Test func definitionRoundTripThroughGeneratedCLIF() async throws {
        let (server, uri) = try await openedServer()
        server.request(4, "textDocument/definition", ["textDocument": ["uri": .string(uri)], "position": position("1️⃣")])
        let targets = await server.response(to: 4)?["result"]?.arrayValue ?? []
        #expect(!targets.isEmpty)
        let clifURI = try #require(targets.first?["uri"])
        #expect(clifURI == .string("clifford-clif:" + uri))
        let start = try #require(targets.first?["range"]?["start"])
        server.request(5, "textDocument/definition", ["textDocument": ["uri": clifURI], "position": start])
        let back = await server.response(to: 5)?["result"]?[0]
        #expect(back?["uri"] == .string(uri))
        #expect(back?["range"]?["start"] == position("1️⃣"))

        server.request(6, "workspace/textDocumentContent", ["uri": clifURI])
        let text = await server.response(to: 6)?["result"]?["text"]?.stringValue ?? ""
        #expect(text.contains("function u0:0(i64 vmctx, i64, i32) -> i32 tail {"), "\(text)")
    }
}
