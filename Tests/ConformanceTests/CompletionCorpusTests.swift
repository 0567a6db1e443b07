import Foundation
import Testing
import SourceText
import TestSupport
import WAT
@testable import LanguageServer

/// Completion at many positions of every corpus file: it never fails, and every proposal replaces
/// a range that ends at the cursor and lies within the word before it.
@Suite struct CompletionCorpusTests {
    static func check(_ results: [CompletionResult], at offset: Int) -> Bool {
        results.allSatisfy { $0.replacing.end == offset && $0.replacing.start <= offset }
    }

    /// Offsets spread over the file (about `count` of them), each at the end of a word.
    static func offsets(in file: SourceFile, count: Int) -> [Int] {
        let step = max(1, file.utf8.count / count)
        return stride(from: step, to: file.utf8.count, by: step).map { offset in
            var end = offset
            while end < file.utf8.count && WATCompletionContext.isWordByte(file.utf8[end]) { end += 1 }
            return end
        }
    }

    @Test func watAndWastFiles() throws {
        guard let corpus = TestEnvironment.corpus else {
            print("CompletionCorpusTests: skipped, no corpus (set CLIFFORD_CORPUS)")
            return
        }
        let paths = CorpusFiles.list(under: corpus + "/spec", suffix: ".wast")
            + CorpusFiles.list(under: corpus + "/wasmtime-disas", suffix: ".wat")
        var positions = 0
        var good = 0
        var proposals = 0
        let service = WATService()
        for path in paths {
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            let file = SourceFile(utf8: [UInt8](data))
            var syntaxes: [ModuleSyntax] = []
            if path.hasSuffix(".wast") {
                for command in WAT.parseScript(file).syntax.commands {
                    if case .module(let module) = command, case .text(let syntax) = module.kind { syntaxes.append(syntax) }
                }
            } else {
                syntaxes.append(WAT.parseModule(file).syntax)
            }
            let modules = syntaxes.map {
                WATModuleAnalysis(syntax: $0, compiled: WAT.compile($0), generated: nil, cache: TranslationCache())
            }
            let analysis = WATAnalysis(uri: "file://" + path, version: 1, file: file, modules: modules, diagnostics: [],
                                       translatedCount: 0, reusedCount: 0)
            for offset in Self.offsets(in: file, count: 20) {
                let results = service.completion(at: offset, in: analysis)
                positions += 1
                proposals += results.count
                if Self.check(results, at: offset) { good += 1 }
            }
        }
        print("completion, spec + wasmtime-disas: \(good)/\(positions) positions in \(paths.count) files answered well, \(proposals) proposals")
        #expect(good == positions)
    }

    @Test func clifFiles() throws {
        guard let corpus = TestEnvironment.corpus else {
            print("CompletionCorpusTests: skipped, no corpus (set CLIFFORD_CORPUS)")
            return
        }
        let paths = CorpusFiles.list(under: corpus + "/clif-filetests", suffix: ".clif")
        var positions = 0
        var good = 0
        var proposals = 0
        for path in paths {
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            let file = SourceFile(utf8: [UInt8](data))
            for offset in Self.offsets(in: file, count: 10) {
                let results = CLIFCompleter(file: file, offset: offset).results()
                positions += 1
                proposals += results.count
                if Self.check(results, at: offset) { good += 1 }
            }
        }
        print("completion, clif-filetests: \(good)/\(positions) positions in \(paths.count) files answered well, \(proposals) proposals")
        #expect(good == positions)
    }
}
