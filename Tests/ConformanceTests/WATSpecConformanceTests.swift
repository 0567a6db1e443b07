import Foundation
import SourceText
import TestSupport
import Testing
import WAT

/// The text front end over the spec test suite: every script is read without a crash, every module
/// encodes to the bytes `wasm-tools parse` gives, and every `assert_malformed (module quote …)`
/// gives a diagnostic.
@Suite struct WATSpecConformanceTests {
    @Test func specScripts() throws {
        guard let corpus = TestEnvironment.corpus else {
            print("WAT spec conformance: skipped, no corpus ($CLIFFORD_CORPUS)")
            return
        }
        let tool = TestEnvironment.oracle("wasm-tools")
        if tool == nil { print("WAT spec conformance: wasm-tools not found (set CLIFFORD_TOOLS); byte comparison skipped") }
        let files = CorpusFiles.list(under: corpus + "/spec", suffix: ".wast")
        let scratch = NSTemporaryDirectory() + "/clifford-wat-spec-\(getpid())"
        var filesRead = 0
        var textTotal = 0, textIdentical = 0
        var binaryTotal = 0, binaryIdentical = 0
        var malformedTotal = 0, malformedDetected = 0
        var oracleRejected: [String] = []
        var mismatches: [String] = []
        var undetected: [String] = []
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else { continue }
            let name = String(file.dropFirst(corpus.count + 6))
            let source = SourceFile(utf8: [UInt8](data))
            let parsed = WAT.parseScript(source)
            filesRead += 1
            let modules = WATSpec.modules(of: parsed.syntax)
            for (command, module) in modules where command == "assert_malformed" {
                guard case .quote = module.kind else { continue }
                malformedTotal += 1
                let result = WATSpec.compile(module)
                if result.diagnostics.contains(where: { $0.severity == .error }) {
                    malformedDetected += 1
                } else {
                    undetected.append("\(name):\(source.humanLocation(of: module.range.start).line)")
                }
            }
            guard let tool else { continue }
            guard let oracle = WATSpec.oracleModules(for: file, tool: tool, scratch: scratch) else {
                oracleRejected.append(name)
                continue
            }
            var byLine: [Int: [ScriptModuleSyntax]] = [:]
            for (command, module) in modules where command != "assert_malformed" {
                byLine[source.humanLocation(of: module.keywordRange.start).line, default: []].append(module)
            }
            for expected in oracle where expected.command != "assert_malformed" {
                guard var candidates = byLine[expected.line], !candidates.isEmpty else {
                    mismatches.append("\(name):\(expected.line) \(expected.command): module not found by the parser")
                    textTotal += 1
                    continue
                }
                let module = candidates.removeFirst()
                byLine[expected.line] = candidates
                let result = WATSpec.compile(module)
                let identical = result.bytes == expected.bytes
                if case .binary = module.kind {
                    binaryTotal += 1
                    if identical { binaryIdentical += 1 }
                } else {
                    textTotal += 1
                    if identical { textIdentical += 1 }
                }
                if !identical {
                    let common = zip(result.bytes, expected.bytes).prefix { $0 == $1 }.count
                    let first = result.diagnostics.first.map { " [\($0.message)]" } ?? ""
                    mismatches.append("\(name):\(expected.line) \(expected.command): first difference at byte \(common) (\(result.bytes.count) vs \(expected.bytes.count) bytes)\(first)")
                }
            }
        }
        print("WAT spec: \(filesRead)/\(files.count) files read without a crash")
        print("WAT spec: text modules byte-identical to wasm-tools: \(textIdentical)/\(textTotal)")
        print("WAT spec: binary modules byte-identical: \(binaryIdentical)/\(binaryTotal)")
        print("WAT spec: assert_malformed (module quote) with a diagnostic: \(malformedDetected)/\(malformedTotal)")
        if !oracleRejected.isEmpty {
            print("WAT spec: wasm-tools rejects \(oracleRejected.count) scripts (no oracle bytes): \(oracleRejected.joined(separator: ", "))")
        }
        for line in mismatches.prefix(60) { print("  mismatch: \(line)") }
        for line in undetected.prefix(60) { print("  undetected malformed: \(line)") }
        #expect(filesRead == files.count)
        #expect(mismatches.isEmpty)
        #expect(undetected.isEmpty)
    }

    @Test func malformedCustomAnnotations() throws {
        guard let corpus = TestEnvironment.corpus else {
            print("WAT spec assert_malformed_custom: skipped, no corpus ($CLIFFORD_CORPUS)")
            return
        }
        var total = 0
        var detected = 0
        for file in CorpusFiles.list(under: corpus + "/spec", suffix: ".wast") {
            guard let data = FileManager.default.contents(atPath: file) else { continue }
            let parsed = WAT.parseScript(SourceFile(utf8: [UInt8](data)))
            for (command, module) in WATSpec.modules(of: parsed.syntax) where command == "assert_malformed_custom" {
                total += 1
                if WATSpec.compile(module).diagnostics.contains(where: { $0.severity == .error }) { detected += 1 }
            }
        }
        print("WAT spec: assert_malformed_custom with a diagnostic: \(detected)/\(total)")
        #expect(total > 0)
    }
}
