import Testing
import JSON
import SourceText
import TestSupport

/// Editor features on `.wat` documents, through the real binary.
@Suite struct WATFeatureTests {
    static let source = MarkedSource("""
        (module
          (func 1️⃣$add (param 2️⃣$a i32) (param $b i32) (result i32)
            local.get 3️⃣$a
            local.get $b
            i32.add)
          (func $caller (result i32)
            i32.const 1
            i32.const 2
            call 4️⃣$add)
          (func $broken
            call 5️⃣$missing6️⃣))
        """)

    func position(_ marker: String) -> JSONValue {
        Self.source.sourceFile.position(of: Self.source[marker], encoding: .utf16).json
    }

    func openedServer() async throws -> (ServerProcess, String) {
        let server = try ServerProcess()
        _ = await server.initialize(capabilities: ["general": ["positionEncodings": ["utf-16"]]])
        let uri = "file:///e2e/sample.wat"
        server.notify("textDocument/didOpen", ["textDocument": [
            "uri": .string(uri), "languageId": "wat", "version": 1, "text": .string(Self.source.text)]])
        return (server, uri)
    }

    @Test func unknownNamesAreDiagnosedAtTheUse() async throws {
        let (server, uri) = try await openedServer()
        let published = await server.wait { $0["method"] == "textDocument/publishDiagnostics" && $0["params"]?["uri"] == .string(uri) }
        let diagnostics = published?["params"]?["diagnostics"]?.arrayValue ?? []
        #expect(diagnostics.count == 1, "\(diagnostics)")
        #expect(diagnostics.first?["range"]
            == Self.source.sourceFile.positionRange(of: Self.source.range("5️⃣", "6️⃣"), encoding: .utf16).json)
    }

    @Test func definitionOfLocalsAndFunctions() async throws {
        let (server, uri) = try await openedServer()
        server.request(2, "textDocument/definition", ["textDocument": ["uri": .string(uri)], "position": position("3️⃣")])
        #expect(await server.response(to: 2)?["result"]?[0]?["range"]?["start"] == position("2️⃣"))
        server.request(3, "textDocument/definition", ["textDocument": ["uri": .string(uri)], "position": position("4️⃣")])
        #expect(await server.response(to: 3)?["result"]?[0]?["range"]?["start"] == position("1️⃣"))
        server.request(4, "textDocument/references", ["textDocument": ["uri": .string(uri)], "position": position("1️⃣"),
                                                      "context": ["includeDeclaration": false]])
        #expect(await server.response(to: 4)?["result"]?.arrayValue?.compactMap { $0["range"]?["start"] } == [position("4️⃣")])
    }

    @Test func outlineListsFunctions() async throws {
        let (server, uri) = try await openedServer()
        server.request(5, "textDocument/documentSymbol", ["textDocument": ["uri": .string(uri)]])
        let module = await server.response(to: 5)?["result"]?[0]
        #expect(module?["children"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["$add", "$caller", "$broken"])
    }
}
