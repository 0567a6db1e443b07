import Foundation
import Testing
import JSON
import SourceText
import TestSupport

/// `clifford/clifAtPosition` through the real binary: the function's CLIF exactly as
/// `clifford translate --function N` prints it, where it sits in the generated document, and the
/// lines of the instruction under the cursor.
@Suite struct SideBySideTests {
    static let source = MarkedSource("""
        (module
          (import "env" "log" (func $log (param i32)))
          3️⃣(memory 1)
          (func $load (export "load") (param $p i32) (result i32)
            local.get $p
            1️⃣i32.load offset=8
            2️⃣local.get $p
            i32.add)
          (func $store (param $p i32)
            local.get $p
            i32.const 7
            4️⃣i32.store))
        """)
    static let uri = "file:///e2e/side.wat"

    func request(_ server: ServerProcess, _ id: Int, _ marker: String) async -> JSONValue? {
        server.request(.int(Int64(id)), "clifford/clifAtPosition", [
            "textDocument": ["uri": .string(Self.uri)], "position": E2E.position(Self.source, marker)])
        return await server.response(to: .int(Int64(id)))
    }

    func translated(function: Int) throws -> String {
        let directory = try E2E.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/side.wat"
        try Self.source.text.write(toFile: path, atomically: true, encoding: .utf8)
        return try E2E.runClifford(["translate", "--function", String(function), path])
    }

    @Test func theFunctionAsTranslatePrintsItWithTheInstructionsLines() async throws {
        let server = try await E2E.server(opening: Self.source.text, uri: Self.uri)
        let result = try #require(await request(server, 1, "1️⃣")?["result"])
        #expect(result["uri"] == .string("clifford-clif:" + Self.uri))
        #expect(result["function"]?["index"] == 1)
        #expect(result["function"]?["name"] == "$load")
        let text = try #require(result["text"]?.stringValue)
        #expect(text == (try translated(function: 1)))

        server.request(2, "workspace/textDocumentContent", ["uri": .string("clifford-clif:" + Self.uri)])
        let document = try #require(await server.response(to: 2)?["result"]?["text"]?.stringValue)
        #expect(E2E.slice(document, result["range"]) == text)

        // The highlights are the lines definition goes to, each inside the function.
        server.request(3, "textDocument/definition", [
            "textDocument": ["uri": .string(Self.uri)], "position": E2E.position(Self.source, "1️⃣")])
        let targets = await server.response(to: 3)?["result"]?.arrayValue ?? []
        let highlights = result["highlights"]?.arrayValue ?? []
        #expect(!highlights.isEmpty)
        #expect(highlights == targets.compactMap { $0["range"] })
        let lines = highlights.compactMap { E2E.slice(document, $0) }
        #expect(lines.count == highlights.count)
        let tag = try #require(lines.first?.split(separator: " ").first)
        #expect(tag.hasPrefix("@"))
        for line in lines {
            #expect(text.contains(line), "\(line)")
            #expect(line.hasPrefix(tag), "every highlighted line comes from the same offset: \(line)")
        }
        #expect(lines.contains { $0.contains("load.i32") }, "\(lines)")
    }

    @Test func anInstructionWithoutCLIFHasNoHighlights() async throws {
        let server = try await E2E.server(opening: Self.source.text, uri: Self.uri)
        let result = try #require(await request(server, 1, "2️⃣")?["result"])
        #expect(result["function"]?["index"] == 1)
        #expect(result["highlights"] == [])
    }

    @Test func otherFunctionAndOutsideEveryFunction() async throws {
        let server = try await E2E.server(opening: Self.source.text, uri: Self.uri)
        let store = try #require(await request(server, 1, "4️⃣")?["result"])
        #expect(store["function"]?["index"] == 2)
        #expect(store["function"]?["name"] == "$store")
        #expect(store["text"]?.stringValue == (try translated(function: 2)))
        #expect(store["highlights"]?.arrayValue?.count ?? 0 > 0)
        let outside = await request(server, 2, "3️⃣")
        #expect(outside?["result"] == .null, "\(String(describing: outside))")
    }
}
