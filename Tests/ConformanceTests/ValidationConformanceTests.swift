import Foundation
import TestSupport
import Testing
import Wasm

/// The validator over the spec testsuite (modules as `wasm-tools json-from-wast` encodes them) and
/// the real-world modules: no error on a valid module, an error on every `assert_invalid` module.
@Suite struct ValidationConformanceTests {
    struct Outcome {
        var validTotal = 0
        var validPassed = 0
        var invalidTotal = 0
        var invalidRejected = 0
        var falsePositives: [String] = []
        var misses: [String] = []
        var messageDifferences: [String] = []
        var decodeFailures: [String] = []
    }

    @Test func specScripts() throws {
        guard let corpus = TestEnvironment.corpus else {
            print("validation spec: skipped, no corpus ($CLIFFORD_CORPUS)")
            return
        }
        guard let wasmTools = TestEnvironment.oracle("wasm-tools") else {
            print("validation spec: skipped, wasm-tools not found (set CLIFFORD_TOOLS)")
            return
        }
        let directory = WasmOracle.temporaryDirectory("validation-spec")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var outcome = Outcome()
        var converted = 0
        var notConverted: [String] = []
        let files = CorpusFiles.list(under: corpus + "/spec", suffix: ".wast")
        for (number, file) in files.enumerated() {
            let name = String(file.dropFirst(corpus.count + 1))
            let output = "\(directory)/\(number)"
            try? FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
            let result = try WasmOracle.run(wasmTools, ["json-from-wast", file, "--wasm-dir", output, "-o", output + "/script.json"])
            guard result.status == 0, let json = CorpusFiles.read(output + "/script.json"),
                let script = try JSONSerialization.jsonObject(with: Data(json)) as? [String: Any],
                let commands = script["commands"] as? [[String: Any]]
            else {
                notConverted.append(name)
                continue
            }
            converted += 1
            for command in commands {
                guard let type = command["type"] as? String, let fileName = command["filename"] as? String,
                    fileName.hasSuffix(".wasm"), let bytes = CorpusFiles.read(output + "/" + fileName)
                else { continue }
                let place = "\(name):\(command["line"] as? Int ?? 0)"
                // The threads proposal's tests predate multi-memory and multiple tables.
                var options = ValidationOptions()
                if name.contains("proposals/threads/") {
                    options.allowsMultipleMemories = false
                    options.allowsMultipleTables = false
                }
                options.customDescriptors = name.contains("proposals/custom-descriptors/")
                Self.check(type: type, bytes: bytes, expected: command["text"] as? String, place: place, options: options,
                           into: &outcome)
            }
            try? FileManager.default.removeItem(atPath: output)
        }
        print("validation spec: scripts converted by wasm-tools \(converted)/\(files.count); not converted: \(notConverted)")
        print("validation spec: valid modules passing \(outcome.validPassed)/\(outcome.validTotal)")
        print("validation spec: assert_invalid rejected \(outcome.invalidRejected)/\(outcome.invalidTotal)")
        print("validation spec: messages differing from the expected text: \(outcome.messageDifferences.count)")
        for line in outcome.falsePositives.prefix(80) { print("  false positive: \(line)") }
        for line in outcome.misses.prefix(80) { print("  missed: \(line)") }
        for line in outcome.decodeFailures.prefix(40) { print("  not decoded: \(line)") }
        for line in outcome.messageDifferences.prefix(60) { print("  message: \(line)") }
        #expect(outcome.falsePositives.isEmpty)
        #expect(outcome.misses.isEmpty)
    }

    static func check(
        type: String, bytes: [UInt8], expected: String?, place: String, options: ValidationOptions,
        into outcome: inout Outcome
    ) {
        let decoded: DecodedModule
        do {
            decoded = try Module.decode(bytes)
        } catch {
            switch type {
            case "assert_invalid":
                outcome.invalidTotal += 1
                outcome.invalidRejected += 1
                if let expected, !Self.means(error.message, expected) {
                    outcome.messageDifferences.append("\(place): expected \"\(expected)\", decoder said \"\(error.message)\"")
                }
            case "module", "module_definition", "assert_unlinkable", "assert_uninstantiable":
                outcome.validTotal += 1
                outcome.decodeFailures.append("\(place): \(error)")
            default:
                break
            }
            return
        }
        switch type {
        case "module", "module_definition", "assert_unlinkable", "assert_uninstantiable":
            outcome.validTotal += 1
            let errors = decoded.module.validate(options)
            if errors.isEmpty {
                outcome.validPassed += 1
            } else {
                outcome.falsePositives.append("\(place): \(errors[0].message) at \(Self.where(errors[0], decoded))")
            }
        case "assert_invalid":
            outcome.invalidTotal += 1
            var firstOnly = options
            firstOnly.stopsAtFirstError = true
            let errors = decoded.module.validate(firstOnly)
            if let first = errors.first {
                outcome.invalidRejected += 1
                if let expected, !Self.means(first.message, expected) {
                    outcome.messageDifferences.append("\(place): expected \"\(expected)\", got \"\(first.message)\"")
                }
            } else {
                outcome.misses.append("\(place): expected \"\(expected ?? "")\"")
            }
        default:
            break
        }
    }

    static func `where`(_ error: ValidationError, _ decoded: DecodedModule) -> String {
        error.offset(in: decoded.offsets).map { "0x" + String($0, radix: 16) } ?? "\(error.item)"
    }

    /// Whether a message says what the spec's expected text says: it contains the text, or both are
    /// type mismatches.
    static func means(_ message: String, _ expected: String) -> Bool {
        message.contains(expected) || (expected.hasPrefix("type mismatch") && message.hasPrefix("type mismatch"))
    }

    @Test func realWorldModules() throws {
        guard let corpus = TestEnvironment.corpus else {
            print("validation real-world: skipped, no corpus ($CLIFFORD_CORPUS)")
            return
        }
        let files = CorpusFiles.list(under: corpus + "/realworld", suffix: ".wasm")
        var clean = 0
        for file in files {
            guard let bytes = CorpusFiles.read(file) else { continue }
            do {
                let decoded = try Module.decode(bytes)
                let errors = decoded.module.validate()
                if errors.isEmpty {
                    clean += 1
                } else {
                    print("  \(file): \(errors.count) errors, first: \(errors[0].message) at \(Self.where(errors[0], decoded))")
                }
            } catch {
                print("  \(file): \(error)")
            }
        }
        print("validation real-world: modules with zero diagnostics \(clean)/\(files.count)")
        #expect(clean == files.count)
    }
}
