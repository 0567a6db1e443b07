import Foundation
import TestSupport

/// Runs one of the Lua scripts under `Tests/EndToEndTests/Neovim` in a headless Neovim 0.11 (from
/// `.tools/venv`), on a `.wat` file of the test's, in a scratch directory the scripts write into.
/// With `plugin`, `editors/neovim` is on the runtimepath before startup, so Neovim loads the
/// plugin as it does for a user.
struct HeadlessNeovim {
    /// The scratch directory; `result.txt` in it is what the script wrote.
    let directory: String
    let nvim: String

    /// Nil when Neovim is not installed (the caller prints why and skips).
    init?() throws {
        guard let nvim = TestEnvironment.oracle("nvim") else { return nil }
        self.nvim = nvim
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("clifford-nvim-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    /// Writes `wat` to a file, runs `script` on it with the environment the scripts read, and waits
    /// for Neovim to quit. Returns Neovim's exit status, or nil if it had to be stopped.
    /// `files` are written beside it.
    func run(script: String, wat: String, fileName: String = "sample.wat", files: [String: String] = [:],
             plugin: Bool = false, clean: Bool = true, environment extra: [String: String] = [:],
             timeout: Duration) async throws -> Int32? {
        let watPath = directory + "/" + fileName
        try wat.write(toFile: watPath, atomically: true, encoding: .utf8)
        for (name, text) in files {
            try text.write(toFile: directory + "/" + name, atomically: true, encoding: .utf8)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: nvim)
        var arguments = clean ? ["--headless", "--clean", "-n"] : ["--headless", "-n"]
        if plugin {
            arguments += ["--cmd", "set runtimepath^=\(TestEnvironment.packageRoot)/editors/neovim"]
        }
        arguments += ["-c", "luafile \(TestEnvironment.packageRoot)/Tests/EndToEndTests/Neovim/\(script)"]
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var environment = ProcessInfo.processInfo.environment
        environment["CLIFFORD_BIN"] = TestEnvironment.cliffordBinary
        environment["CLIFFORD_WAT"] = watPath
        environment["CLIFFORD_RESULT"] = directory + "/result.txt"
        environment["CLIFFORD_STATUS"] = directory + "/status.txt"
        environment["CLIFFORD_LOG"] = directory + "/server.log"
        environment["CLIFFORD_SPLIT"] = directory + "/split.txt"
        environment["XDG_STATE_HOME"] = directory + "/state"
        environment["XDG_DATA_HOME"] = directory + "/data"
        process.environment = environment.merging(extra) { $1 }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = ContinuousClock.now + timeout
        while process.isRunning && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        if process.isRunning {
            process.terminate()
            return nil
        }
        return process.terminationStatus
    }

    /// A file the script or the server wrote into the scratch directory ("" when absent).
    func read(_ name: String) -> String {
        (try? String(contentsOfFile: directory + "/" + name, encoding: .utf8)) ?? ""
    }

    func removeDirectory() {
        try? FileManager.default.removeItem(atPath: directory)
    }
}
