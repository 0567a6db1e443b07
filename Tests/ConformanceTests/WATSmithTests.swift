import Foundation
import SourceText
import TestSupport
import Testing
import Wasm
import WAT

/// Differential test of the text front end on random modules: `wasm-tools smith` (proposals on) →
/// `wasm-tools print` → clifford's encoding must equal `wasm-tools parse` of the same text; and
/// clifford's own printer output (`Module.printed()`) must parse back to the module's encoding.
@Suite struct WATSmithTests {
    @Test func smithModulesParseLikeWasmTools() throws {
        guard let tool = TestEnvironment.oracle("wasm-tools") else {
            print("WAT smith: skipped, wasm-tools not found (set CLIFFORD_TOOLS)")
            return
        }
        let seeds = Int(TestEnvironment.environment("CLIFFORD_SMITH_SEEDS") ?? "") ?? 150
        let directory = WasmOracle.temporaryDirectory("wat-smith")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var generated = 0
        var textIdentical = 0
        var printedIdentical = 0
        var failures: [String] = []
        for seed in 0..<seeds {
            var generator = SplitMix(seed: UInt64(seed) &+ 1_000_003)
            let input = (0..<(1024 + seed % 4096)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            let inputPath = directory + "/seed.bin"
            let modulePath = directory + "/smith.wasm"
            let textPath = directory + "/smith.wat"
            let referencePath = directory + "/reference.wasm"
            _ = FileManager.default.createFile(atPath: inputPath, contents: Data(input))
            try? FileManager.default.removeItem(atPath: modulePath)
            guard try WasmOracle.run(tool, ["smith", inputPath, "-o", modulePath] + WasmPrinterConformanceTests.smithFlags).status == 0,
                  try WasmOracle.run(tool, ["print", modulePath, "-o", textPath]).status == 0,
                  try WasmOracle.run(tool, ["parse", textPath, "-o", referencePath]).status == 0,
                  let text = FileManager.default.contents(atPath: textPath),
                  let reference = FileManager.default.contents(atPath: referencePath),
                  let binary = FileManager.default.contents(atPath: modulePath) else { continue }
            generated += 1
            let (compiled, diagnostics) = WAT.compile(bytes: [UInt8](text))
            if diagnostics.isEmpty && compiled.bytes == [UInt8](reference) {
                textIdentical += 1
            } else {
                let common = zip(compiled.bytes, [UInt8](reference)).prefix { $0 == $1 }.count
                let first = diagnostics.first.map { ": \($0.message)" } ?? ""
                failures.append("seed \(seed): wasm-tools print text, first difference at byte \(common)\(first)")
            }
            guard let decoded = try? Module.decode([UInt8](binary)) else { continue }
            let printed = decoded.module.printed()
            let (reparsed, printedDiagnostics) = WAT.compile(bytes: Array(printed.utf8))
            if printedDiagnostics.isEmpty && reparsed.bytes == WasmPrinterConformanceTests.expectedBytes(decoded.module) {
                printedIdentical += 1
            } else {
                let first = printedDiagnostics.first.map { ": \($0.message)" } ?? ""
                failures.append("seed \(seed): clifford print text does not re-parse to the module's bytes\(first)")
            }
        }
        print("WAT smith: \(generated) modules of \(seeds) seeds; wasm-tools print → clifford parse identical \(textIdentical)/\(generated); clifford print → clifford parse identical \(printedIdentical)/\(generated)")
        for failure in failures.prefix(30) { print("  \(failure)") }
        #expect(generated > 0)
        #expect(failures.isEmpty)
    }
}
