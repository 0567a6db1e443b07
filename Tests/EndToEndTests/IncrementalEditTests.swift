import Testing
import JSON
import SourceText
import TestSupport

/// Edits inside one function through the real binary, sent as ranged changes: diagnostics for the
/// broken function appear (early, from that function alone, and the same once the full analysis
/// is done), go away when it is fixed, and hover keeps working in the other functions throughout.
@Suite struct IncrementalEditTests {
    static let source = MarkedSource("""
        (module
          (memory 1)
          (func $a (param i32) (result i32)
            1️⃣local.get 0
            i32.const 1
            4️⃣i32.add)
          (func $b (param i32) (result i32)
            local.get 0
            2️⃣i32.load)
          (func $c (param i32) (result i64)
            local.get 0
            3️⃣i64.load))
        """)
    static let uri = "file:///e2e/incremental.wat"

    func hover(_ server: ServerProcess, _ id: String, _ marker: String) async -> String {
        server.request(.string(id), "textDocument/hover", ["textDocument": ["uri": .string(Self.uri)],
                                                          "position": E2E.position(Self.source, marker)])
        return await server.response(to: .string(id))?["result"]?["contents"]?["value"]?.stringValue ?? ""
    }

    /// Replaces `length` UTF-16 units at marker 1️⃣ with `text` as version `version`, and returns
    /// every diagnostics publication of that version once the final one (the second) has arrived.
    func edit(_ server: ServerProcess, version: Int, length: Int, with text: String) async -> [JSONValue] {
        let start = E2E.position(Self.source, "1️⃣")
        let end: JSONValue = ["line": start["line"]!, "character": JSONValue(start["character"]!.intValue! + length)]
        server.notify("textDocument/didChange", ["textDocument": ["uri": .string(Self.uri), "version": JSONValue(version)],
                                                 "contentChanges": [["range": ["start": start, "end": end], "text": .string(text)]]])
        func published() -> [JSONValue] {
            server.messages.filter {
                $0["method"] == "textDocument/publishDiagnostics" && $0["params"]?["version"] == JSONValue(version)
            }
        }
        _ = await server.wait { _ in published().count >= 2 }
        return published().compactMap { $0["params"]?["diagnostics"] }
    }

    @Test func breakingAndFixingOneFunctionKeepsHoverInTheOthers() async throws {
        let server = try await E2E.server(opening: Self.source.text, uri: Self.uri, initializationOptions: ["debounceMs": 0])
        _ = await server.wait { $0["method"] == "textDocument/publishDiagnostics" && $0["params"]?["version"] == 1 }
        #expect(await hover(server, "b0", "2️⃣").contains("```clif"))

        // A broken instruction: one syntax diagnostic on it, early and final alike.
        let broken = await edit(server, version: 2, length: 0, with: "i32.bogus ")
        #expect(broken.count == 2, "\(broken)")
        #expect(broken.first?.arrayValue?.count == 1)
        #expect(broken.first?[0]?["code"] == "wat-syntax", "\(broken)")
        #expect(broken.first?[0]?["range"]?["start"] == E2E.position(Self.source, "1️⃣"))
        #expect(Set(broken.map { $0.serialized() }).count == 1, "early and final diagnostics differ: \(broken)")
        #expect(await hover(server, "b1", "2️⃣").contains("```clif"))
        #expect(await hover(server, "c1", "3️⃣").contains("```clif"))

        // An unknown name in its place.
        let unknown = await edit(server, version: 3, length: "i32.bogus ".utf16.count, with: "call $nope ")
        #expect(unknown.first?[0]?["message"]?.stringValue?.contains("$nope") == true, "\(unknown)")
        #expect(Set(unknown.map { $0.serialized() }).count == 1, "early and final diagnostics differ: \(unknown)")
        #expect(await hover(server, "c2", "3️⃣").contains("```clif"))

        // Fixed: the diagnostics go.
        let fixed = await edit(server, version: 4, length: "call $nope ".utf16.count, with: "")
        #expect(fixed.count == 2 && fixed.allSatisfy { $0 == [] }, "\(fixed)")
        #expect(await hover(server, "b3", "2️⃣").contains("```clif"))
        #expect(await hover(server, "a3", "4️⃣").contains("```clif"))
    }
}
