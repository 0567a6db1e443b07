import Testing
import JSON
import SourceText
import TestSupport

/// Editor features on `.clif` documents, through the real binary.
@Suite struct CLIFFeatureTests {
    static let source = MarkedSource("""
        function %add(i32, i32) -> i32 fast {
        block0(v0: i32, 3️⃣v1: i32):
            4️⃣v2 = 1️⃣iadd v0, 2️⃣v1
            return 5️⃣v2
        }

        function %broken() -> i32 fast {
        block0:
            return 6️⃣v97️⃣
        }
        """)

    func position(_ marker: String) -> JSONValue {
        Self.source.sourceFile.position(of: Self.source[marker], encoding: .utf16).json
    }

    func range(_ from: String, _ to: String) -> JSONValue {
        Self.source.sourceFile.positionRange(of: Self.source.range(from, to), encoding: .utf16).json
    }

    func openedServer() async throws -> (ServerProcess, String) {
        let server = try ServerProcess()
        _ = await server.initialize(capabilities: ["general": ["positionEncodings": ["utf-16"]]])
        let uri = "file:///e2e/sample.clif"
        server.notify("textDocument/didOpen", ["textDocument": [
            "uri": .string(uri), "languageId": "clif", "version": 1, "text": .string(Self.source.text)]])
        return (server, uri)
    }

    func request(_ server: ServerProcess, _ id: Int64, _ method: String, _ uri: String, at marker: String) async -> JSONValue? {
        server.request(.int(id), method, ["textDocument": ["uri": .string(uri)], "position": position(marker),
                                          "context": ["includeDeclaration": true]])
        return await server.response(to: .int(id))?["result"]
    }

    @Test func verifierErrorsArePublishedOnTheirRange() async throws {
        let (server, uri) = try await openedServer()
        let published = await server.wait { $0["method"] == "textDocument/publishDiagnostics" && $0["params"]?["uri"] == .string(uri) }
        let diagnostics = published?["params"]?["diagnostics"]?.arrayValue ?? []
        #expect(diagnostics.count == 1, "\(diagnostics)")
        #expect(diagnostics.first?["range"] == range("6️⃣", "7️⃣"))
        #expect(diagnostics.first?["source"] == "clifford")
    }

    @Test func hoverOnOpcodeAndValue() async throws {
        let (server, uri) = try await openedServer()
        let opcode = await request(server, 2, "textDocument/hover", uri, at: "1️⃣")
        let opcodeText = opcode?["contents"]?["value"]?.stringValue ?? ""
        #expect(opcodeText.contains("**iadd**"))
        #expect(opcodeText.contains("Binary"))
        let value = await request(server, 3, "textDocument/hover", uri, at: "5️⃣")
        let valueText = value?["contents"]?["value"]?.stringValue ?? ""
        #expect(valueText.contains("`v2: i32`"))
        #expect(valueText.contains("v2 = iadd v0, v1"))
    }

    @Test func definitionReferencesAndSymbols() async throws {
        let (server, uri) = try await openedServer()
        let definition = await request(server, 4, "textDocument/definition", uri, at: "2️⃣")
        #expect(definition?[0]?["range"]?["start"] == position("3️⃣"))
        let references = await request(server, 5, "textDocument/references", uri, at: "5️⃣")
        #expect(references?.arrayValue?.compactMap { $0["range"]?["start"] } == [position("4️⃣"), position("5️⃣")])
        server.request(6, "textDocument/documentSymbol", ["textDocument": ["uri": .string(uri)]])
        let symbols = await server.response(to: 6)?["result"]?.arrayValue ?? []
        #expect(symbols.compactMap { $0["name"]?.stringValue } == ["%add", "%broken"])
        #expect(symbols.first?["children"]?[0]?["name"] == "block0")
    }
}
