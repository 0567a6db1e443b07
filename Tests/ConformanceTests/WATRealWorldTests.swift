import Foundation
import SourceText
import TestSupport
import Testing
import WAT

/// Real-world modules: `wasm-tools print` each `.wasm` of `$CLIFFORD_CORPUS/realworld`, then
/// clifford's encoding of that text must equal `wasm-tools parse` of it.
@Suite struct WATRealWorldTests {
    @Test func printedModulesReencodeIdentically() throws {
        guard let corpus = TestEnvironment.corpus else {
            print("WAT real-world: skipped, no corpus ($CLIFFORD_CORPUS)")
            return
        }
        guard let tool = TestEnvironment.oracle("wasm-tools") else {
            print("WAT real-world: skipped, wasm-tools not found (set CLIFFORD_TOOLS)")
            return
        }
        let directory = corpus + "/realworld"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory))?.filter { $0.hasSuffix(".wasm") }.sorted() ?? []
        let scratch = NSTemporaryDirectory() + "/clifford-wat-realworld-\(getpid())"
        try? FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        var identical = 0
        var failures: [String] = []
        for name in names {
            let text = scratch + "/" + name + ".wat"
            let reference = scratch + "/" + name + ".ref.wasm"
            guard WATSpec.run(tool, ["print", directory + "/" + name, "-o", text]) == 0,
                  WATSpec.run(tool, ["parse", text, "-o", reference]) == 0,
                  let source = FileManager.default.contents(atPath: text),
                  let expected = FileManager.default.contents(atPath: reference) else {
                failures.append("\(name): wasm-tools could not print or parse it")
                continue
            }
            let (compiled, diagnostics) = WAT.compile(bytes: [UInt8](source))
            if diagnostics.isEmpty && compiled.bytes == [UInt8](expected) {
                identical += 1
            } else {
                let common = zip(compiled.bytes, [UInt8](expected)).prefix { $0 == $1 }.count
                failures.append("\(name): \(diagnostics.count) diagnostics, first difference at byte \(common)")
            }
        }
        print("WAT real-world: \(identical)/\(names.count) printed modules re-encode byte-identically")
        for failure in failures { print("  \(failure)") }
        #expect(!names.isEmpty)
        #expect(failures.isEmpty)
    }
}
