import CLIF
import Foundation
import SourceText
import Testing
import TestSupport
import Wasm
import WAT
import WasmToCLIF

/// The stack-switching disas files of the `optimize` kind show Wasmtime's CLIF after its
/// optimiser, which keeps the numbers of the values and blocks it does not rewrite. Our
/// unoptimised translation must agree on every value both define (same opcode) and on the
/// parameters of every block both have, and must pass the verifier.
@Suite struct StackSwitchingGoldenTests {
    @Test func optimizedGoldensAgreeOnSurvivingValues() throws {
        guard let corpus = TestEnvironment.corpus else {
            print("stack-switching optimize goldens: skipped, no corpus (set CLIFFORD_CORPUS)")
            return
        }
        let root = corpus + "/wasmtime-disas/stack-switching"
        var files = 0
        var agreeing = 0
        var compared = 0
        for path in CorpusFiles.list(under: root, suffix: ".wat") {
            guard let bytes = CorpusFiles.read(path) else { continue }
            let text = String(decoding: bytes, as: UTF8.self)
            let header = TranslateSupport.header(of: text)
            guard header.kind == "optimize" else { continue }
            files += 1
            let name = String(path.dropFirst(root.count + 1))
            var tunables = Tunables()
            #expect(tunables.apply(flags: header.flags).isEmpty, "\(name): flags not understood")
            let (compiled, diagnostics) = WAT.compile(SourceFile(utf8: bytes))
            #expect(!diagnostics.contains { $0.severity == .error }, "\(name): \(diagnostics.map(\.message))")
            let decoded = try Module.decode(compiled.bytes)
            let translated = TranslateSupport.sortedByFileName(ModuleTranslator.translate(decoded, bytes: compiled.bytes,
                                                                                           tunables: tunables))
            let expected = TranslateSupport.functionChunks(CLIFCorpus.expectedCLIF(ofDisasFile: text))
            #expect(translated.count == expected.count, "\(name): \(translated.count) functions, expected \(expected.count)")
            var problems: [String] = []
            for (function, golden) in zip(translated, expected) {
                guard let clif = function.function, function.isComplete else {
                    problems.append("\(function.symbol): \(function.diagnostics.map(\.message))")
                    continue
                }
                if let error = Verifier.verify(clif).first {
                    problems.append("\(function.symbol) fails the verifier: \(error.diagnostic.message)")
                }
                let ours = Self.definitions(Printer.print(clif))
                let theirs = Self.definitions(golden)
                for (value, opcode) in theirs.values.sorted(by: { $0.key < $1.key }) {
                    guard let own = ours.values[value] else { continue }
                    compared += 1
                    if own != opcode { problems.append("\(function.symbol): \(value) is \(own), the golden's is \(opcode)") }
                }
                for (block, parameters) in theirs.blocks.sorted(by: { $0.key < $1.key }) {
                    guard let own = ours.blocks[block] else { continue }
                    if own != parameters { problems.append("\(function.symbol): \(own), the golden has \(parameters)") }
                }
            }
            if problems.isEmpty { agreeing += 1 }
            for problem in problems.prefix(10) { print("  FAIL \(name): \(problem)") }
            #expect(problems.isEmpty, "\(name): \(problems.count) disagreements")
        }
        print("stack-switching optimize goldens: \(agreeing)/\(files) files agree (\(compared) values compared)")
        #expect(files > 0)
    }

    /// The opcode (without type suffix) defining each single-result value, and each block's header.
    static func definitions(_ text: String) -> (values: [String: String], blocks: [String: String]) {
        var values: [String: String] = [:]
        var blocks: [String: String] = [:]
        for rawLine in text.split(separator: "\n") {
            var line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("block") && line.hasSuffix(":") {
                let name = line.prefix { $0 != "(" && $0 != ":" && $0 != " " }
                blocks[String(name)] = line
                continue
            }
            if line.hasPrefix("@"), let space = line.firstIndex(of: " ") {
                line = line[space...].trimmingCharacters(in: .whitespaces)
            }
            guard line.hasPrefix("v"), let equals = line.range(of: " = ") else { continue }
            let result = String(line[..<equals.lowerBound])
            guard !result.contains(",") else { continue }
            let opcode = line[equals.upperBound...].prefix { $0 != " " && $0 != "." }
            values[result] = String(opcode)
        }
        return (values, blocks)
    }
}
