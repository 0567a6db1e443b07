import CLIF
import Foundation
import SourceText
import Testing
import TestSupport
import Wasm
import WAT
import WasmToCLIF

/// The Wasmtime disas goldens: every default/`clif` file for x86_64 must print exactly the
/// expected CLIF. Counts are printed per folder; `optimize` files are covered by the CLIF tests.
@Suite struct TranslateDisasTests {
    @Test func disasGoldens() throws {
        guard let corpus = TestEnvironment.corpus else {
            print("translate disas: skipped, no corpus (set CLIFFORD_CORPUS)")
            return
        }
        guard let wasmTools = TestEnvironment.oracle("wasm-tools") else {
            print("translate disas: skipped, wasm-tools not found (set CLIFFORD_TOOLS)")
            return
        }
        let root = corpus + "/wasmtime-disas"
        var totals: [String: (exact: Int, total: Int)] = [:]
        var failures: [String] = []
        var skipped: [String: Int] = [:]
        var assembledByOracle = 0
        for path in CorpusFiles.list(under: root, suffix: ".wat") {
            guard let bytes = CorpusFiles.read(path) else { continue }
            let text = String(decoding: bytes, as: UTF8.self)
            let header = TranslateSupport.header(of: text)
            guard header.kind == "clif" else { continue }
            let relative = String(path.dropFirst(root.count + 1))
            let folder = relative.contains("/") ? String(relative[..<relative.lastIndex(of: "/")!]) : "."
            if text.contains("(component") {
                skipped["component", default: 0] += 1
                continue
            }
            var tunables = Tunables()
            let unknown = tunables.apply(flags: header.flags)
            totals[folder, default: (0, 0)].total += 1
            // clifford's own WAT front end; wasm-tools only where it reports errors.
            var binary: [UInt8]
            let (compiled, diagnostics) = WAT.compile(SourceFile(utf8: bytes))
            if diagnostics.contains(where: { $0.severity == .error }) {
                guard let assembled = TranslateSupport.assemble(path, wasmTools: wasmTools) else {
                    failures.append("\(relative): neither clifford nor wasm-tools could assemble it")
                    continue
                }
                binary = assembled
                assembledByOracle += 1
            } else {
                binary = compiled.bytes
            }
            let decoded: DecodedModule
            do { decoded = try Module.decode(binary) } catch {
                failures.append("\(relative): decode error \(error.message)")
                continue
            }
            let translated = TranslateSupport.sortedByFileName(ModuleTranslator.translate(decoded, bytes: binary, tunables: tunables))
            let expected = TranslateSupport.functionChunks(CLIFCorpus.expectedCLIF(ofDisasFile: text))
            var problem: String?
            if let incomplete = translated.first(where: { !$0.isComplete }) {
                problem = "\(incomplete.symbol): " + incomplete.diagnostics.map(\.message).joined(separator: "; ")
            } else if translated.count != expected.count {
                problem = "\(translated.count) functions, expected \(expected.count)"
            } else {
                for (function, expectation) in zip(translated, expected) {
                    let errors = Verifier.verify(function.function!)
                    if let first = errors.first {
                        problem = "\(function.symbol) fails the CLIF verifier: \(first.diagnostic.message)"
                        break
                    }
                    let printed = Printer.print(function.function!).trimmingWhitespace()
                    if printed != expectation {
                        problem = "\(function.symbol) " + TranslateSupport.firstDifference(printed, expectation)
                        break
                    }
                }
            }
            if let problem {
                failures.append("\(relative)\(unknown.isEmpty ? "" : " (flags not understood: \(unknown))"): \(problem)")
            } else {
                totals[folder, default: (0, 0)].exact += 1
            }
        }
        for folder in totals.keys.sorted() {
            print("translate disas \(folder): \(totals[folder]!.exact)/\(totals[folder]!.total) files exact")
        }
        for (reason, count) in skipped.sorted(by: { $0.key < $1.key }) {
            print("translate disas: \(count) \(reason) files skipped")
        }
        print("translate disas: \(assembledByOracle) files assembled by wasm-tools because clifford's WAT front end reported errors")
        for failure in failures.prefix(Int(TestEnvironment.environment("CLIFFORD_SHOW") ?? "40") ?? 40) {
            print("  FAIL " + failure)
        }
        let exact = totals.values.reduce(0) { $0 + $1.exact }
        let total = totals.values.reduce(0) { $0 + $1.total }
        #expect(total > 0)
        #expect(exact > 0, "no disas file translated exactly")
    }
}
