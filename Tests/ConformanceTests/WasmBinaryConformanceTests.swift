import Foundation
import TestSupport
import Testing
import Wasm

/// The binary decoder and encoder over the corpus: spec `(module binary ...)` forms, real-world
/// modules, and every module of the spec scripts as wasm-tools encodes it.
@Suite struct WasmBinaryConformanceTests {
    @Test func specBinaryModules() throws {
        guard let corpus = TestEnvironment.corpus else {
            print("spec binary modules: skipped, no corpus ($CLIFFORD_CORPUS)")
            return
        }
        var counts: [String: (total: Int, matched: Int)] = [:]
        var failures: [String] = []
        let files = CorpusFiles.list(under: corpus + "/spec", suffix: ".wast")
        for file in files {
            guard let data = CorpusFiles.read(file) else { continue }
            let source = String(decoding: data, as: UTF8.self)
            for module in WastBinaryReader.modules(in: source) {
                let decoded = Result { () throws(DecodeError) in try Module.decode(module.bytes) }
                let matched: Bool
                switch module.command {
                case "assert_malformed":
                    if case .failure = decoded { matched = true } else { matched = false }
                case "assert_invalid", "assert_unlinkable", "assert_uninstantiable", "assert_trap":
                    matched = true
                default:
                    if case .success = decoded { matched = true } else { matched = false }
                }
                var count = counts[module.command] ?? (0, 0)
                count.total += 1
                if matched { count.matched += 1 } else {
                    let detail: String
                    switch decoded {
                    case .success: detail = "decoded"
                    case .failure(let error): detail = error.description
                    }
                    failures.append("\(file.dropFirst(corpus.count + 1)):\(module.line) \(module.command): \(detail)")
                }
                counts[module.command] = count
            }
        }
        for (command, count) in counts.sorted(by: { $0.key < $1.key }) {
            print("spec binary modules, \(command): \(count.matched)/\(count.total)")
        }
        for failure in failures.prefix(40) { print("  mismatch: \(failure)") }
        #expect(counts.values.reduce(0) { $0 + $1.total } > 0)
        #expect(failures.isEmpty)
    }

    /// Real-world modules decode and re-encode to the input. An input that is not in canonical form
    /// (padded LEBs from a linker) must instead reach a fixed point: its re-encoding decodes to the same
    /// module and encodes to the same bytes again. (The printer test compares those with wasm-tools.)
    @Test func realWorldModulesRoundTrip() throws {
        guard let corpus = TestEnvironment.corpus else {
            print("real-world round trip: skipped, no corpus ($CLIFFORD_CORPUS)")
            return
        }
        let files = CorpusFiles.list(under: corpus + "/realworld", suffix: ".wasm")
        var identical = 0
        var fixedPoint = 0
        for file in files {
            guard let bytes = CorpusFiles.read(file) else { continue }
            do {
                let decoded = try Module.decode(bytes)
                let encoded = decoded.module.encode().bytes
                if encoded == bytes {
                    identical += 1
                    continue
                }
                let again = try Module.decode(encoded)
                if again.module == decoded.module, again.module.encode().bytes == encoded {
                    fixedPoint += 1
                    print("  \(file): not canonical (\(bytes.count) bytes, \(encoded.count) re-encoded); re-encoding is a fixed point")
                } else {
                    print("  \(file): re-encoding does not decode to the same module")
                }
            } catch {
                print("  \(file): \(error)")
            }
        }
        print("real-world decode + re-encode: \(identical) identical, \(fixedPoint) non-canonical inputs at a fixed point, of \(files.count)")
        #expect(identical + fixedPoint == files.count)
    }
}

extension WasmBinaryConformanceTests {
    /// Every module of every spec script, encoded by `wasm-tools json-from-wast`, decodes and re-encodes
    /// to the same bytes; the binary `assert_malformed` modules fail to decode. The text modules are
    /// also printed and parsed back by wasm-tools, which must give the same bytes.
    @Test func specModulesAsWasmToolsEncodesThem() throws {
        guard let corpus = TestEnvironment.corpus else {
            print("spec modules via wasm-tools: skipped, no corpus ($CLIFFORD_CORPUS)")
            return
        }
        guard let wasmTools = TestEnvironment.oracle("wasm-tools") else {
            print("spec modules via wasm-tools: skipped, wasm-tools not found (set CLIFFORD_TOOLS)")
            return
        }
        let directory = WasmOracle.temporaryDirectory("json-from-wast")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var counts: [String: (total: Int, matched: Int)] = [:]
        var failures: [String] = []
        var scripts = 0
        var unreadable: [String] = []
        var printedTotal = 0
        var printedIdentical = 0
        var printFailures: [String] = []
        var printable: [(place: String, module: Module)] = []
        var malformedMessages = (total: 0, same: 0)
        var messageMismatches: [String: Int] = [:]
        for (fileNumber, file) in CorpusFiles.list(under: corpus + "/spec", suffix: ".wast").enumerated() {
            let output = "\(directory)/\(fileNumber)"
            try? FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
            let result = try WasmOracle.run(wasmTools, ["json-from-wast", file, "--wasm-dir", output, "-o", output + "/script.json"])
            guard result.status == 0, let json = CorpusFiles.read(output + "/script.json"),
                let script = try JSONSerialization.jsonObject(with: Data(json)) as? [String: Any],
                let commands = script["commands"] as? [[String: Any]]
            else {
                unreadable.append(String(file.dropFirst(corpus.count + 1)))
                continue
            }
            scripts += 1
            let binaryLines = Set(
                WastBinaryReader.modules(in: String(decoding: CorpusFiles.read(file) ?? [], as: UTF8.self))
                    .flatMap { [$0.commandLine, $0.moduleLine] })
            for command in commands {
                guard let type = command["type"] as? String, let name = command["filename"] as? String,
                    name.hasSuffix(".wasm"), let bytes = CorpusFiles.read(output + "/" + name)
                else { continue }
                let line = command["line"] as? Int ?? 0
                let kind = type == "module_definition" ? "module" : type
                var matched = false
                var detail = ""
                do {
                    let decoded = try Module.decode(bytes)
                    if kind == "assert_malformed" {
                        detail = "decoded"
                    } else if binaryLines.contains(line) {
                        matched = true
                    } else {
                        if kind == "module" {
                            printable.append(("\(file.dropFirst(corpus.count + 1)):\(line)", decoded.module))
                        }
                        let encoded = decoded.module.encode().bytes
                        matched = encoded == bytes
                        if !matched {
                            let common = min(encoded.count, bytes.count)
                            let at = (0..<common).first { encoded[$0] != bytes[$0] } ?? common
                            detail = "re-encoded differs at 0x\(String(at, radix: 16))"
                        }
                    }
                } catch {
                    matched = kind == "assert_malformed"
                    detail = error.description
                    if matched, let expected = command["text"] as? String {
                        malformedMessages.total += 1
                        if error.message.hasPrefix(expected) || expected.hasPrefix(error.message) {
                            malformedMessages.same += 1
                        } else {
                            messageMismatches[expected + " ← " + error.message, default: 0] += 1
                        }
                    }
                }
                var count = counts[kind] ?? (0, 0)
                count.total += 1
                if matched { count.matched += 1 } else {
                    failures.append("\(file.dropFirst(corpus.count + 1)):\(line) \(kind): \(detail)")
                }
                counts[kind] = count
            }
        }
        let problems = try WasmPrinterConformanceTests.roundTrip(
            printable.map(\.module), wasmTools: wasmTools, directory: directory)
        printedTotal += printable.count
        for (index, problem) in problems.enumerated() {
            if let problem {
                printFailures.append("\(printable[index].place): \(problem)")
            } else {
                printedIdentical += 1
            }
        }
        print("spec scripts converted by wasm-tools: \(scripts), not converted: \(unreadable.count) \(unreadable)")
        for (kind, count) in counts.sorted(by: { $0.key < $1.key }) {
            print("spec modules via wasm-tools, \(kind): \(count.matched)/\(count.total)")
        }
        for failure in failures.prefix(60) { print("  mismatch: \(failure)") }
        print("spec text modules print → wasm-tools parse identical: \(printedIdentical)/\(printedTotal)")
        print("assert_malformed binaries whose error message is the script's: \(malformedMessages.same)/\(malformedMessages.total)")
        for (pair, count) in messageMismatches.sorted(by: { $0.value > $1.value }).prefix(25) {
            print("  expected ← got (\(count)): \(pair)")
        }
        for failure in printFailures.prefix(40) { print("  print mismatch: \(failure)") }
        #expect(failures.isEmpty)
        #expect(printFailures.isEmpty)
    }
}
