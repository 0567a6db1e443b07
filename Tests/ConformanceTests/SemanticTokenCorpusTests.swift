import Foundation
import Testing
import CLIF
import SourceText
import TestSupport
import WAT
@testable import LanguageServer

/// Semantic tokens over the corpus: tokens are sorted, non-empty and disjoint, and the lexical
/// classification agrees with the parsers (CLIF definitions and opcodes) and with name resolution
/// (WAT definitions and uses).
@Suite struct SemanticTokenCorpusTests {
    static func wellFormed(_ tokens: [SemanticToken], in file: SourceFile) -> Bool {
        tokens.allSatisfy { $0.length > 0 && Int($0.start) + Int($0.length) <= file.utf8.count }
            && zip(tokens, tokens.dropFirst()).allSatisfy { pair in pair.0.start + pair.0.length <= pair.1.start }
    }

    @Test func clifFiletestsAgreeWithTheParser() throws {
        guard let corpus = TestEnvironment.corpus else {
            print("SemanticTokenCorpusTests: skipped, no corpus (set CLIFFORD_CORPUS)")
            return
        }
        let paths = CorpusFiles.list(under: corpus + "/clif-filetests", suffix: ".clif")
        var wellFormed = 0
        var mentions = 0
        var mentionsAgreeing = 0
        var opcodes = 0
        var opcodesAgreeing = 0
        var disagreements: [String] = []
        for path in paths {
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            let file = SourceFile(utf8: [UInt8](data))
            let tokens = CLIFSemanticTokens.classify(file)
            if Self.wellFormed(tokens, in: file) { wellFormed += 1 }
            let byStart = Dictionary(tokens.map { (Int($0.start), $0) }, uniquingKeysWith: { first, _ in first })
            for function in CLIFFile.parse(file).functions {
                for mention in function.mentions {
                    mentions += 1
                    let token = byStart[mention.range.start]
                    if token?.modifiers.contains(.declaration) == mention.isDefinition {
                        mentionsAgreeing += 1
                    } else if disagreements.count < 10 {
                        let line = file.line(containing: mention.range.start)
                        disagreements.append("\(path.split(separator: "/").last!):\(line + 1) \(mention.entity) "
                                             + "definition=\(mention.isDefinition): \(file[file.contentRange(ofLine: line)])")
                    }
                }
                for block in function.blocks {
                    for instruction in block.instructions {
                        guard let range = instruction.opcodeRange else { continue }
                        opcodes += 1
                        let token = byStart[range.start]
                        if token.map({ $0.modifiers.contains(.defaultLibrary) || $0.modifiers.contains(.control) }) == true {
                            opcodesAgreeing += 1
                        } else if disagreements.count < 10 {
                            let line = file.line(containing: range.start)
                            disagreements.append("\(path.split(separator: "/").last!):\(line + 1) opcode: \(file[file.contentRange(ofLine: line)])")
                        }
                    }
                }
            }
        }
        print("semantic tokens, clif-filetests: \(wellFormed)/\(paths.count) files well formed; "
              + "definitions \(mentionsAgreeing)/\(mentions) agree with the parser; opcodes \(opcodesAgreeing)/\(opcodes)")
        for line in disagreements { print("  disagrees: \(line)") }
        #expect(paths.isEmpty || wellFormed == paths.count)
        #expect(mentionsAgreeing == mentions)
        #expect(opcodesAgreeing == opcodes)
    }

    /// The packed data of every spec and CLIF file: a range over the whole file sends all of it,
    /// and the delta after removing the middle token is the edit the plain integers give.
    @Test func packedDataRangesAndDeltasOverTheCorpus() throws {
        guard let corpus = TestEnvironment.corpus else {
            print("SemanticTokenCorpusTests: skipped, no corpus (set CLIFFORD_CORPUS)")
            return
        }
        let paths = CorpusFiles.list(under: corpus + "/spec", suffix: ".wast") + CorpusFiles.list(under: corpus + "/clif-filetests", suffix: ".clif")
        var agreeing = 0
        var failures: [String] = []
        for path in paths {
            guard let bytes = FileManager.default.contents(atPath: path) else { continue }
            let file = SourceFile(utf8: [UInt8](bytes))
            var tokens = path.hasSuffix(".clif") ? CLIFSemanticTokens.classify(file) : WATSemanticTokens.classify(file, resolutions: [])
            let data = SemanticTokenEncoder.encode(tokens, in: file, encoding: .utf16)
            let integers = data.integers
            let whole = SemanticTokenEncoder.integers(of: data, in: file, encoding: .utf16, meeting: file.fullRange)
            var agrees = whole == integers && SemanticTokenData.difference(from: data, to: data) == nil
            if !tokens.isEmpty {
                tokens.remove(at: tokens.count / 2)
                let changed = SemanticTokenEncoder.encode(tokens, in: file, encoding: .utf16)
                let new = changed.integers
                let prefix = zip(integers, new).prefix { $0 == $1 }.count
                let suffix = min(zip(integers.reversed(), new.reversed()).prefix { $0 == $1 }.count,
                                 integers.count - prefix, new.count - prefix)
                let edit = SemanticTokenData.difference(from: data, to: changed)
                var inserted: [UInt32] = []
                if let edit { changed.forEach(from: edit.insertOffset, limit: edit.insertCount) { inserted.append($0) } }
                agrees = agrees && edit?.start == prefix && edit?.deleteCount == integers.count - prefix - suffix
                    && inserted == Array(new[prefix..<(new.count - suffix)])
            }
            if agrees { agreeing += 1 } else if failures.count < 10 { failures.append(path) }
        }
        print("semantic tokens, packed data of spec + clif-filetests: \(agreeing)/\(paths.count) files give whole ranges and deltas equal to the plain integers")
        for path in failures { print("  differs: \(path)") }
        #expect(agreeing == paths.count)
    }

    @Test func watCorpusAgreesWithNameResolution() throws {
        guard let corpus = TestEnvironment.corpus else {
            print("SemanticTokenCorpusTests: skipped, no corpus (set CLIFFORD_CORPUS)")
            return
        }
        let paths = CorpusFiles.list(under: corpus + "/spec", suffix: ".wast") + CorpusFiles.list(under: corpus + "/wasmtime-disas", suffix: ".wat")
        var wellFormed = 0
        var names = 0
        var namesAgreeing = 0
        var disagreements: [String] = []
        for path in paths {
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            let file = SourceFile(utf8: [UInt8](data))
            var modules: [ModuleSyntax] = []
            if path.hasSuffix(".wast") {
                for command in WAT.parseScript(file).syntax.commands {
                    if case .module(let module) = command, case .text(let syntax) = module.kind { modules.append(syntax) }
                }
            } else {
                modules.append(WAT.parseModule(file).syntax)
            }
            let resolutions = modules.map { WAT.compile($0).resolution }
            let tokens = WATSemanticTokens.classify(file, resolutions: resolutions)
            if Self.wellFormed(tokens, in: file) { wellFormed += 1 }
            let byStart = Dictionary(tokens.map { (Int($0.start), $0) }, uniquingKeysWith: { first, _ in first })
            for reference in resolutions.flatMap(\.references) {
                // Names written as `$name`; numeric indices are numbers.
                guard file.utf8[reference.use.start] == UInt8(ascii: "$") else { continue }
                names += 2
                let use = byStart[reference.use.start]
                let definition = byStart[reference.definition.start]
                if use != nil && use?.modifiers.contains(.declaration) == false { namesAgreeing += 1 }
                else if disagreements.count < 10 { disagreements.append("\(path.split(separator: "/").last!) use at \(file.humanLocation(of: reference.use.start))") }
                if definition?.modifiers.contains(.declaration) == true && definition?.type == use?.type { namesAgreeing += 1 }
                else if disagreements.count < 10 { disagreements.append("\(path.split(separator: "/").last!) definition at \(file.humanLocation(of: reference.definition.start))") }
            }
        }
        print("semantic tokens, spec + wasmtime-disas: \(wellFormed)/\(paths.count) files well formed; "
              + "\(namesAgreeing)/\(names) name uses and definitions agree with name resolution")
        for line in disagreements { print("  disagrees: \(line)") }
        #expect(paths.isEmpty || wellFormed == paths.count)
        #expect(namesAgreeing == names)
    }
}
