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
        let seeds = Int(TestEnvironment.environment("CLIFFORD_SMITH_SEEDS") ?? "") ?? 300
        let directory = WasmOracle.temporaryDirectory("wat-smith")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let oracleStart = ContinuousClock.now
        let batch = SmithBatch.generate(seeds: seeds, tool: tool, directory: directory)
        let cliffordStart = ContinuousClock.now
        var generated = 0
        var textIdentical = 0
        var printedIdentical = 0
        var failures: [String] = []
        for (seed, sample) in batch.samples.enumerated() {
            guard let sample else { continue }
            generated += 1
            let (compiled, diagnostics) = WAT.compile(bytes: sample.text)
            if diagnostics.isEmpty && compiled.bytes == sample.reference {
                textIdentical += 1
            } else {
                let common = zip(compiled.bytes, sample.reference).prefix { $0 == $1 }.count
                let first = diagnostics.first.map { ": \($0.message)" } ?? ""
                failures.append("seed \(seed): wasm-tools print text, first difference at byte \(common)\(first)")
            }
            guard let decoded = try? Module.decode(sample.binary) else {
                failures.append("seed \(seed): clifford cannot decode the smith binary")
                continue
            }
            let printed = decoded.module.printed()
            let (reparsed, printedDiagnostics) = WAT.compile(bytes: Array(printed.utf8))
            if printedDiagnostics.isEmpty && reparsed.bytes == WasmPrinterConformanceTests.expectedBytes(decoded.module) {
                printedIdentical += 1
            } else {
                let first = printedDiagnostics.first.map { ": \($0.message)" } ?? ""
                failures.append("seed \(seed): clifford print text does not re-parse to the module's bytes\(first)")
            }
        }
        let end = ContinuousClock.now
        print("WAT smith: wasm-tools smith/print/parse \(cliffordStart - oracleStart), clifford \(end - cliffordStart)")
        print("WAT smith: \(generated) modules of \(seeds) seeds (wasm-tools parse \(batch.batched ? "in one json-from-wast batch" : "per module")); wasm-tools print → clifford parse identical \(textIdentical)/\(generated); clifford print → clifford parse identical \(printedIdentical)/\(generated)")
        for failure in failures.prefix(30) { print("  \(failure)") }
        #expect(generated == seeds)
        #expect(failures.isEmpty)
    }
}

/// The oracle's side of the smith differential: per seed the smith binary, its `wasm-tools print`
/// text and the `wasm-tools parse` bytes of that text. Seeds run on several workers, since the
/// time goes into starting wasm-tools processes; the texts are parsed by one `wasm-tools
/// json-from-wast` over all of them (per module only if that batch fails).
final class SmithBatch: @unchecked Sendable {
    struct Sample {
        var binary: [UInt8]
        var text: [UInt8]
        var reference: [UInt8]
    }

    private(set) var samples: [Sample?]
    private(set) var batched = false
    private let lock = NSLock()

    private init(count: Int) {
        samples = Array(repeating: nil, count: count)
    }

    static func generate(seeds: Int, tool: String, directory: String, workers: Int = 4) -> SmithBatch {
        let batch = SmithBatch(count: seeds)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for seed in stride(from: worker, to: seeds, by: workers) {
                guard let pair = smithAndPrint(seed: seed, tool: tool, directory: directory + "/w\(worker)") else { continue }
                batch.lock.withLock { batch.samples[seed] = Sample(binary: pair.binary, text: pair.text, reference: []) }
            }
        }
        batch.parseAll(tool: tool, directory: directory)
        return batch
    }

    /// A smith module from the seed's pseudo-random input, and wasm-tools' text of it.
    private static func smithAndPrint(seed: Int, tool: String, directory: String) -> (binary: [UInt8], text: [UInt8])? {
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var generator = SeededRandom(state: (UInt64(seed) &+ 1_000_003) &* 0x9E37_79B9_7F4A_7C15 &+ 1)
        let input = (0..<(1024 + seed % 4096)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        let inputPath = directory + "/seed.bin"
        let modulePath = directory + "/smith.wasm"
        let textPath = directory + "/smith.wat"
        _ = FileManager.default.createFile(atPath: inputPath, contents: Data(input))
        try? FileManager.default.removeItem(atPath: modulePath)
        guard (try? WasmOracle.run(tool, ["smith", inputPath, "-o", modulePath] + WasmPrinterConformanceTests.smithFlags))?.status == 0,
              (try? WasmOracle.run(tool, ["print", modulePath, "-o", textPath]))?.status == 0,
              let text = FileManager.default.contents(atPath: textPath),
              let binary = FileManager.default.contents(atPath: modulePath) else { return nil }
        return ([UInt8](binary), [UInt8](text))
    }

    private func parseAll(tool: String, directory: String) {
        let present = samples.indices.filter { samples[$0] != nil }
        var script: [UInt8] = []
        for index in present { script += samples[index]!.text + [10] }
        let scriptPath = directory + "/all.wast"
        _ = FileManager.default.createFile(atPath: scriptPath, contents: Data(script))
        if let modules = WATSpec.oracleModules(for: scriptPath, tool: tool, scratch: directory + "/json"),
           modules.count == present.count {
            batched = true
            for (index, module) in zip(present, modules) { samples[index]!.reference = module.bytes }
            return
        }
        for index in present {
            let textPath = directory + "/one.wat"
            let referencePath = directory + "/one.wasm"
            _ = FileManager.default.createFile(atPath: textPath, contents: Data(samples[index]!.text))
            guard (try? WasmOracle.run(tool, ["parse", textPath, "-o", referencePath]))?.status == 0,
                  let reference = FileManager.default.contents(atPath: referencePath) else {
                samples[index] = nil
                continue
            }
            samples[index]!.reference = [UInt8](reference)
        }
    }
}
