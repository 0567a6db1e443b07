import Foundation
import Testing
import TestSupport
import Wasm
import WasmToCLIF

/// clifford against the real Wasmtime 49 CLI on the spec modules, the real-world modules and
/// fresh `wasm-tools smith` modules. Each test prints identical/total counts and the first
/// differences.
@Suite struct TranslateDifferentialTests {
    /// Spec modules of the first `CLIFFORD_SPEC_FILES` .wast files (20 by default, `all` for every file).
    @Test func specModules() throws {
        guard let corpus = TestEnvironment.corpus, let wasmTools = TestEnvironment.oracle("wasm-tools"),
              let wasmtime = TestEnvironment.oracle("wasmtime") else {
            print("translate differential spec: skipped, corpus or oracles missing (set CLIFFORD_CORPUS, CLIFFORD_TOOLS)")
            return
        }
        var differential = TranslateDifferential(wasmtime: wasmtime)
        let match = TestEnvironment.environment("CLIFFORD_SPEC_MATCH")
        let files = CorpusFiles.list(under: corpus + "/spec", suffix: ".wast").filter { match == nil || $0.contains(match!) }
        // A sample by default to stay within the CI budget; CLIFFORD_SPEC_FILES=all (or a number) for more.
        let setting = TestEnvironment.environment("CLIFFORD_SPEC_FILES") ?? "20"
        let limit = setting == "all" ? files.count : Int(setting) ?? 20
        for path in files.prefix(limit) {
            let directory = NSTemporaryDirectory() + "clifford-wast-\(getpid())-\(UUID().uuidString)"
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let json = directory + "/out.json"
            guard TranslateSupport.run(wasmTools, ["json-from-wast", path, "--wasm-dir", directory, "-o", json]).status == 0,
                  let data = FileManager.default.contents(atPath: json),
                  let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                  let commands = object["commands"] as? [[String: Any]] else { continue }
            let name = String(path.split(separator: "/").last ?? "")
            for command in commands where command["type"] as? String == "module" {
                // A `module quote` is written as text; its `binary_filename` holds the bytes.
                guard let file = (command["binary_filename"] ?? command["filename"]) as? String,
                      file.hasSuffix(".wasm"), let module = FileManager.default.contents(atPath: directory + "/" + file) else { continue }
                differential.compare([UInt8](module), label: "\(name):\(command["line"] as? Int ?? 0)")
            }
        }
        differential.report("spec")
        #expect(differential.total > 0)
    }

    /// The real-world modules; opt in with `CLIFFORD_DIFF_REALWORLD=1` (Wasmtime's emit-clif takes minutes).
    @Test func realWorldModules() throws {
        guard TestEnvironment.environment("CLIFFORD_DIFF_REALWORLD") != nil else {
            print("translate differential realworld: skipped, set CLIFFORD_DIFF_REALWORLD=1 to run (slow)")
            return
        }
        guard let corpus = TestEnvironment.corpus, let wasmtime = TestEnvironment.oracle("wasmtime") else {
            print("translate differential realworld: skipped, corpus or wasmtime missing")
            return
        }
        var differential = TranslateDifferential(wasmtime: wasmtime)
        differential.wasmTools = TestEnvironment.oracle("wasm-tools")
        for path in CorpusFiles.list(under: corpus + "/realworld", suffix: ".wasm") {
            guard let bytes = CorpusFiles.read(path) else { continue }
            differential.compare(bytes, label: String(path.split(separator: "/").last ?? ""))
        }
        differential.report("realworld")
        #expect(differential.total > 0)
    }

    /// Random modules from `wasm-tools smith` (`CLIFFORD_SMITH_COUNT`, default 200), seeded by index.
    @Test func smithModules() throws {
        guard let wasmTools = TestEnvironment.oracle("wasm-tools"), let wasmtime = TestEnvironment.oracle("wasmtime") else {
            print("translate differential smith: skipped, oracles missing (set CLIFFORD_TOOLS)")
            return
        }
        let count = Int(TestEnvironment.environment("CLIFFORD_SMITH_COUNT") ?? "") ?? 200
        var differential = TranslateDifferential(wasmtime: wasmtime)
        for seed in 0..<count {
            var generator = SeededRandom(state: UInt64(seed) &+ 0x5eed)
            let input = (0..<16384).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            let directory = NSTemporaryDirectory() + "clifford-smith-\(getpid())-\(seed)"
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            _ = FileManager.default.createFile(atPath: directory + "/seed", contents: Data(input))
            let arguments = ["smith", directory + "/seed", "-o", directory + "/module.wasm",
                             "--min-funcs", "3", "--simd-enabled", "true", "--relaxed-simd-enabled", "true", "--bulk-memory-enabled", "true",
                             "--tail-call-enabled", "true", "--multi-value-enabled", "true",
                             "--reference-types-enabled", "true", "--gc-enabled", "false",
                             "--exceptions-enabled", "false", "--threads-enabled", "true"]
            guard TranslateSupport.run(wasmTools, arguments).status == 0,
                  let module = FileManager.default.contents(atPath: directory + "/module.wasm") else { continue }
            differential.compare([UInt8](module), label: "smith seed \(seed)")
        }
        differential.report("smith")
        #expect(differential.total > 0)
    }
}

