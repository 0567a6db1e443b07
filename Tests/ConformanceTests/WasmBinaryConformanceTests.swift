import Foundation
import TestSupport
import Testing
import Wasm

/// The binary decoder and encoder over the corpus: spec `(module binary ...)` forms, real-world
/// modules, and every module of the spec scripts as wasm-tools encodes it.
@Suite struct WasmBinaryConformanceTests {
    static func files(under directory: String, ending suffix: String) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: directory) else { return [] }
        var result: [String] = []
        while let path = enumerator.nextObject() as? String {
            if path.hasSuffix(suffix) { result.append(directory + "/" + path) }
        }
        return result.sorted()
    }

    static func read(_ path: String) -> [UInt8]? {
        FileManager.default.contents(atPath: path).map { [UInt8]($0) }
    }

    @Test func specBinaryModules() throws {
        guard let corpus = TestEnvironment.corpus else {
            print("spec binary modules: skipped, no corpus ($CLIFFORD_CORPUS)")
            return
        }
        var counts: [String: (total: Int, matched: Int)] = [:]
        var failures: [String] = []
        let files = Self.files(under: corpus + "/spec", ending: ".wast")
        for file in files {
            guard let data = Self.read(file) else { continue }
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

    @Test func realWorldModulesRoundTrip() throws {
        guard let corpus = TestEnvironment.corpus else {
            print("real-world round trip: skipped, no corpus ($CLIFFORD_CORPUS)")
            return
        }
        let files = Self.files(under: corpus + "/realworld", ending: ".wasm")
        var identical = 0
        for file in files {
            guard let bytes = Self.read(file) else { continue }
            do {
                let decoded = try Module.decode(bytes)
                let encoded = decoded.module.encode()
                if encoded.bytes == bytes {
                    identical += 1
                } else {
                    let common = min(encoded.bytes.count, bytes.count)
                    let firstDifference = (0..<common).first { encoded.bytes[$0] != bytes[$0] } ?? common
                    print("  \(file): re-encoded differs at 0x\(String(firstDifference, radix: 16)) (\(encoded.bytes.count) vs \(bytes.count) bytes)")
                }
            } catch {
                print("  \(file): \(error)")
            }
        }
        print("real-world decode + re-encode identical: \(identical)/\(files.count)")
        #expect(identical == files.count)
    }
}
