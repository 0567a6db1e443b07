import Foundation
import TestSupport
import Testing
import Wasm

/// `Module.printed()` against `wasm-tools parse`: the printed text of a decoded module must parse back
/// to the module's own encoding (with the name section last, where text always puts it).
@Suite struct WasmPrinterConformanceTests {
    static let smithFlags = [
        "--bulk-memory-enabled", "true", "--exceptions-enabled", "true", "--gc-enabled", "true",
        "--custom-page-sizes-enabled", "true", "--memory64-enabled", "true", "--multi-value-enabled", "true",
        "--reference-types-enabled", "true", "--relaxed-simd-enabled", "true",
        "--saturating-float-to-int-enabled", "true", "--sign-extension-ops-enabled", "true",
        "--simd-enabled", "true", "--tail-call-enabled", "true", "--threads-enabled", "true",
        "--wide-arithmetic-enabled", "true", "--extended-const-enabled", "true", "--max-memories", "4",
        "--max-tables", "4", "--generate-custom-sections", "true", "--compact-imports-enabled", "false",
        "--custom-descriptors-enabled", "true",
    ]

    /// The bytes `wasm-tools parse` should give for the printed text of this module: text cannot say
    /// where the name section goes (it goes last), ask for a data-count section that no instruction needs,
    /// nor split a run of locals of one type into several groups.
    static func expectedBytes(_ module: Module) -> [UInt8] {
        var moved = module
        moved.names.customSectionIndex = nil
        moved.names.placement = nil
        moved.writesDataCount = nil
        for index in moved.functions.indices {
            var merged: [LocalGroup] = []
            for group in moved.functions[index].locals where group.count > 0 {
                if let last = merged.last, last.type == group.type {
                    merged[merged.count - 1].count += group.count
                } else {
                    merged.append(group)
                }
            }
            moved.functions[index].locals = merged
        }
        return moved.encode().bytes
    }

    static func firstDifference(_ a: [UInt8], _ b: [UInt8]) -> Int {
        let common = min(a.count, b.count)
        return (0..<common).first { a[$0] != b[$0] } ?? common
    }

    /// Prints, re-parses with wasm-tools and compares; nil when identical, else what went wrong.
    static func roundTrip(_ module: Module, wasmTools: String, directory: String) throws -> String? {
        let text = directory + "/printed.wat"
        let binary = directory + "/printed.wasm"
        try? FileManager.default.removeItem(atPath: binary)
        _ = FileManager.default.createFile(atPath: text, contents: Data(module.printed().utf8))
        let result = try WasmOracle.run(wasmTools, ["parse", text, "-o", binary])
        guard result.status == 0, let parsed = CorpusFiles.read(binary) else {
            return "wasm-tools parse rejected the printed text"
        }
        let expected = expectedBytes(module)
        if parsed == expected { return nil }
        return "re-parsed bytes differ at 0x\(String(firstDifference(parsed, expected), radix: 16))"
    }

    /// Prints many modules into one script, parses it with one `wasm-tools json-from-wast` run, and
    /// returns for each module nil (identical) or what went wrong. When the script as a whole is
    /// rejected, the modules are parsed one by one to find the culprits.
    static func roundTrip(_ modules: [Module], wasmTools: String, directory: String) throws -> [String?] {
        guard !modules.isEmpty else { return [] }
        let script = directory + "/printed.wast"
        let output = directory + "/reparsed"
        try? FileManager.default.removeItem(atPath: output)
        try? FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(
            atPath: script, contents: Data(modules.map { $0.printed() }.joined(separator: "\n").utf8))
        let result = try WasmOracle.run(wasmTools, ["json-from-wast", script, "--wasm-dir", output, "-o", output + "/script.json"])
        guard result.status == 0, let json = CorpusFiles.read(output + "/script.json"),
            let parsed = try JSONSerialization.jsonObject(with: Data(json)) as? [String: Any],
            let commands = parsed["commands"] as? [[String: Any]], commands.count == modules.count
        else {
            return try modules.map { try roundTrip($0, wasmTools: wasmTools, directory: directory) }
        }
        return modules.indices.map { index in
            guard let name = commands[index]["filename"] as? String,
                let bytes = CorpusFiles.read(output + "/" + name)
            else { return "no binary for the printed module" }
            let expected = expectedBytes(modules[index])
            return bytes == expected ? nil : "re-parsed bytes differ at 0x\(String(firstDifference(bytes, expected), radix: 16))"
        }
    }

    @Test func realWorldModulesPrintAndReparse() throws {
        guard let corpus = TestEnvironment.corpus else {
            print("real-world print round trip: skipped, no corpus ($CLIFFORD_CORPUS)")
            return
        }
        guard let wasmTools = TestEnvironment.oracle("wasm-tools") else {
            print("real-world print round trip: skipped, wasm-tools not found (set CLIFFORD_TOOLS)")
            return
        }
        let directory = WasmOracle.temporaryDirectory("print-realworld")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let files = CorpusFiles.list(under: corpus + "/realworld", suffix: ".wasm")
        var identical = 0
        for file in files {
            guard let bytes = CorpusFiles.read(file) else { continue }
            let module = try Module.decode(bytes).module
            if let problem = try Self.roundTrip(module, wasmTools: wasmTools, directory: directory) {
                print("  \(file): \(problem)")
            } else {
                identical += 1
            }
        }
        print("real-world print → wasm-tools parse identical: \(identical)/\(files.count)")
        #expect(identical == files.count)
    }

    @Test func smithModulesPrintAndReparse() throws {
        guard let wasmTools = TestEnvironment.oracle("wasm-tools") else {
            print("smith print round trip: skipped, wasm-tools not found (set CLIFFORD_TOOLS)")
            return
        }
        let seeds = Int(TestEnvironment.environment("CLIFFORD_SMITH_SEEDS") ?? "") ?? 300
        let directory = WasmOracle.temporaryDirectory("print-smith")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var generated = 0
        var decodedIdentical = 0
        var printedIdentical = 0
        var failures: [String] = []
        var modules: [(seed: Int, module: Module)] = []
        for seed in 0..<seeds {
            var generator = SeededRandom(state: UInt64(seed) &* 0x9E37_79B9_7F4A_7C15 &+ 1)
            let input = (0..<(1024 + seed % 4096)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            let inputPath = directory + "/seed.bin"
            let modulePath = directory + "/smith.wasm"
            _ = FileManager.default.createFile(atPath: inputPath, contents: Data(input))
            try? FileManager.default.removeItem(atPath: modulePath)
            let result = try WasmOracle.run(wasmTools, ["smith", inputPath, "-o", modulePath] + Self.smithFlags)
            guard result.status == 0, let bytes = CorpusFiles.read(modulePath) else { continue }
            generated += 1
            let module: Module
            do {
                module = try Module.decode(bytes).module
            } catch {
                failures.append("seed \(seed): decode: \(error)")
                continue
            }
            // smith writes empty sections and long-form reference types, so its output is not always canonical.
            if module.encode().bytes == bytes { decodedIdentical += 1 }
            modules.append((seed, module))
        }
        let problems = try Self.roundTrip(modules.map(\.module), wasmTools: wasmTools, directory: directory)
        for (index, problem) in problems.enumerated() {
            if let problem {
                failures.append("seed \(modules[index].seed): print: \(problem)")
            } else {
                printedIdentical += 1
            }
        }
        print("smith modules: \(generated) generated of \(seeds) seeds; decode + re-encode identical \(decodedIdentical)/\(generated); print → wasm-tools parse identical \(printedIdentical)/\(generated)")
        for failure in failures.prefix(30) { print("  \(failure)") }
        #expect(generated > 0)
        #expect(failures.isEmpty)
    }
}

