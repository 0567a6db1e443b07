import Foundation
import SourceText
import TestSupport
import Testing
import WAT
import Wasm

/// The validator over the spec scripts read by clifford's own WAT front end (no oracle): every
/// module expected valid gets zero diagnostics, every `assert_invalid` module is rejected.
@Suite struct ValidationWastConformanceTests {
    @Test func specScriptsThroughTheTextFrontEnd() throws {
        guard let corpus = TestEnvironment.corpus else {
            print("validation spec (text): skipped, no corpus ($CLIFFORD_CORPUS)")
            return
        }
        var validTotal = 0
        var validPassed = 0
        var invalidTotal = 0
        var invalidRejected = 0
        var rejectedByLowering = 0
        var messageDifferences = 0
        var falsePositives: [String] = []
        var misses: [String] = []
        let files = CorpusFiles.list(under: corpus + "/spec", suffix: ".wast")
        for file in files {
            guard let bytes = CorpusFiles.read(file) else { continue }
            let name = String(file.dropFirst(corpus.count + 1))
            let source = SourceFile(utf8: bytes)
            var options = ValidationOptions()
            if name.contains("proposals/threads/") {
                options.allowsMultipleMemories = false
                options.allowsMultipleTables = false
            }
            options.customDescriptors = name.contains("proposals/custom-descriptors/")
            let script = WAT.parseScript(source).syntax
            for command in script.commands {
                let module: ScriptModuleSyntax
                let keyword: String
                var expected = ""
                switch command {
                case .module(let m):
                    module = m
                    keyword = "module"
                case .assertion(let assertion):
                    guard let m = assertion.module else { continue }
                    module = m
                    keyword = assertion.keyword
                    expected = WastCheck.message(of: assertion, in: source).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                default:
                    continue
                }
                let line = source.humanLocation(of: module.range.start).line
                switch keyword {
                case "module", "assert_unlinkable", "assert_uninstantiable":
                    validTotal += 1
                    let outcome = WastCheck.outcome(of: module, options: options)
                    if case .valid = outcome {
                        validPassed += 1
                    } else {
                        falsePositives.append("\(name):\(line): \(outcome.diagnostics.first?.message ?? "")")
                    }
                case "assert_invalid":
                    invalidTotal += 1
                    switch WastCheck.outcome(of: module, options: options) {
                    case .valid:
                        misses.append("\(name):\(line): expected \"\(expected)\"")
                    case .malformed(let diagnostics):
                        invalidRejected += 1
                        rejectedByLowering += 1
                        if let first = diagnostics.first, !ValidationConformanceTests.means(first.message, expected) {
                            messageDifferences += 1
                        }
                    case .invalid(let diagnostics):
                        invalidRejected += 1
                        if let first = diagnostics.first, !ValidationConformanceTests.means(first.message, expected) {
                            messageDifferences += 1
                        }
                    }
                default:
                    continue
                }
            }
        }
        print("validation spec (text): \(files.count) scripts read by the WAT front end")
        print("validation spec (text): valid modules with zero diagnostics \(validPassed)/\(validTotal)")
        print("validation spec (text): assert_invalid rejected \(invalidRejected)/\(invalidTotal) (\(rejectedByLowering) already by name resolution or decoding)")
        print("validation spec (text): rejections whose first message differs from the expected text: \(messageDifferences)")
        for line in falsePositives.prefix(60) { print("  false positive: \(line)") }
        for line in misses.prefix(60) { print("  missed: \(line)") }
        #expect(falsePositives.isEmpty)
        #expect(misses.isEmpty)
    }
}
