import Foundation
import Testing
import TestSupport

/// The editor integrations under `editors/` other than Neovim's: Emacs in batch mode against the
/// built server, the VS Code extension under Node with stand-in APIs, and the static checks of the
/// VS Code manifest and grammars and of Helix's languages.toml. Each runs a script under
/// `editors/tests` and fails with its output when the script exits non-zero.
@Suite struct EditorIntegrationTests {
    @Test func emacsModesAndEglotAgainstTheServer() throws {
        guard let emacs = Self.onPath("emacs") else {
            print("EditorIntegrationTests: Emacs skipped, no emacs on PATH (scripts/setup installs emacs-nox and elpa-eglot)")
            return
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("clifford-emacs-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for name in ["sample.wat", "sample.wast", "sample.clif"] {
            try FileManager.default.copyItem(atPath: Self.editors + "/fixtures/" + name, toPath: directory + "/" + name)
        }
        let run = try Self.run(emacs, ["--batch", "--eval", "(package-initialize)", "-L", Self.editors + "/emacs",
                                       "-l", Self.editors + "/tests/emacs-test.el"],
                               environment: ["CLIFFORD_BIN": TestEnvironment.cliffordBinary, "CLIFFORD_DIR": directory,
                                             "HOME": directory],
                               timeout: .seconds(120))
        // clifford.el byte-compiles without a warning.
        try FileManager.default.copyItem(atPath: Self.editors + "/emacs/clifford.el", toPath: directory + "/clifford.el")
        let compile = try Self.run(emacs, ["--batch", "--eval", "(progn (package-initialize) (setq byte-compile-error-on-warn t))",
                                           "-f", "batch-byte-compile", directory + "/clifford.el"],
                                   environment: ["HOME": directory], timeout: .seconds(60))
        #expect(compile.status == 0, "clifford.el does not byte-compile cleanly:\n\(compile.output)")
        let summary = run.output.split(separator: "\n").last { $0.hasPrefix("emacs:") } ?? "no summary"
        print("EditorIntegrationTests: \(summary)")
        #expect(run.status == 0, "Emacs test failed:\n\(run.output)")
        #expect(summary.contains(" 0 failed"), "\(run.output)")
    }

    @Test func vscodeExtensionUnderNode() throws {
        guard let node = Self.onPath("node") else {
            print("EditorIntegrationTests: VS Code extension run skipped, no node on PATH (scripts/setup installs nodejs)")
            return
        }
        let run = try Self.run(node, [Self.editors + "/tests/vscode-extension-test.js"], timeout: .seconds(60))
        print("EditorIntegrationTests: \(run.output.split(separator: "\n").last ?? "")")
        #expect(run.status == 0, "\(run.output)")
        #expect(!run.output.contains("FAIL"), "\(run.output)")
    }

    @Test func vscodeManifestGrammarsAndHelixConfiguration() throws {
        guard let python = TestEnvironment.oracle("python") else {
            print("EditorIntegrationTests: static checks skipped, no python in .tools/venv/bin (run scripts/setup)")
            return
        }
        let run = try Self.run(python, [Self.editors + "/tests/check_static.py"], timeout: .seconds(60))
        for line in run.output.split(separator: "\n") where !line.hasPrefix("FAIL") {
            print("EditorIntegrationTests: \(line)")
        }
        #expect(run.status == 0, "\(run.output)")
    }

    static var editors: String { TestEnvironment.packageRoot + "/editors" }

    /// The first executable `name` on PATH.
    static func onPath(_ name: String) -> String? {
        let folders = (TestEnvironment.environment("PATH") ?? "/usr/bin:/bin").split(separator: ":")
        return folders.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs a program to its end (or stops it after `timeout`); its status and output (stdout and
    /// stderr together).
    static func run(_ program: String, _ arguments: [String], environment extra: [String: String] = [:],
                    timeout: Duration) throws -> (status: Int32?, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(extra) { $1 }
        process.standardInput = FileHandle.nullDevice
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("clifford-editor-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: output) }
        let handle = try FileHandle(forWritingTo: output)
        defer { try? handle.close() }
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        let deadline = ContinuousClock.now + timeout
        while process.isRunning && ContinuousClock.now < deadline {
            Thread.sleep(forTimeInterval: 0.02)
        }
        var status: Int32?
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        } else {
            status = process.terminationStatus
        }
        let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        return (status, text)
    }
}
