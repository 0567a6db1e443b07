import Testing
import JSON
import SourceText
import TestSupport

/// Hover on WAT instructions through the real binary: the instruction's type from the validator,
/// and the environment's recorded decisions behind runtime-specific CLIF.
@Suite struct HoverTests {
    static let source = MarkedSource("""
        (module
          (type $binary (func (param i32 i32) (result i32)))
          (memory 1)
          (table 2 funcref)
          (func $add (type $binary)
            1️⃣local.get 0
            local.get 1
            2️⃣i32.add)
          (func $main (param $p i32) (result i32)
            local.get $p
            3️⃣i32.load offset=8
            4️⃣block (result i32)
              i32.const 1
              i32.const 2
              5️⃣call $add
              6️⃣br 0
            end
            i32.const 0
            7️⃣call_indirect (type $binary)
            i32.const 9
            8️⃣i32.store8
            i32.const 3))
        """)
    static let uri = "file:///e2e/hover.wat"

    func hover(_ server: ServerProcess, _ marker: String, _ attempt: Int = 0) async -> String {
        let id = JSONValue.string("hover-\(marker)-\(attempt)")
        server.request(id, "textDocument/hover", ["textDocument": ["uri": .string(Self.uri)],
                                                 "position": E2E.position(Self.source, marker)])
        return await server.response(to: id)?["result"]?["contents"]?["value"]?.stringValue ?? ""
    }

    @Test func instructionTypesComeFromTheValidator() async throws {
        let server = try await E2E.server(opening: Self.source.text, uri: Self.uri)
        let expected = ["1️⃣": "`[] -> [i32]`", "2️⃣": "`[i32 i32] -> [i32]`", "3️⃣": "`[i32] -> [i32]`",
                        "4️⃣": "`[] -> [i32]`", "5️⃣": "`[i32 i32] -> [i32]`", "7️⃣": "`[i32 i32 i32] -> [i32]`",
                        "8️⃣": "`[i32 i32] -> []`"]
        for (marker, type) in expected {
            let text = await hover(server, marker)
            #expect(text.contains(type), "\(marker): \(text)")
        }
        let branch = await hover(server, "6️⃣")
        #expect(branch.hasPrefix("`br` at offset"), "\(branch)")
        #expect(!branch.contains("->"), "a branch has no fixed type: \(branch)")
    }

    @Test func runtimeDecisionsExplainTheCLIF() async throws {
        let server = try await E2E.server(opening: Self.source.text, uri: Self.uri)
        let load = await hover(server, "3️⃣")
        #expect(load.contains("Memory 0: no bounds check: the 4 GiB reservation plus the 32 MiB guard region cover every 32-bit index."), "\(load)")
        let indirect = await hover(server, "7️⃣")
        #expect(indirect.contains("Table 0: bounds check (`select_spectre_guard`) + lazy init"), "\(indirect)")
        #expect(indirect.contains("Indirect call: the callee's type id is compared"), "\(indirect)")
        let add = await hover(server, "2️⃣")
        #expect(!add.contains("bounds check"), "\(add)")

        server.notify("workspace/didChangeConfiguration", ["settings": ["optimize": ["memory-reservation=0"]]])
        let checked = await hover(server, "3️⃣", 1)
        #expect(checked.contains("Memory 0: bounds check `index > length` (the guard region covers the access); out-of-bounds addresses become null through `select_spectre_guard`."), "\(checked)")
        let store8 = await hover(server, "8️⃣")
        #expect(store8.contains("Memory 0: bounds check `index >= length` (one-byte access)"), "\(store8)")
    }
}
