import Foundation
import TestSupport
import Testing
import WAT
import Wasm
import WasmToCLIF
@testable import LanguageServer

/// The language server translates a WAT module from its compiled module model and the encoder's
/// offsets, without decoding the binary it just encoded (the decoded copy would double the
/// module's memory). That must print the very CLIF a translation of the decoded binary prints
/// (what `clifford translate` does): checked on the real-world modules printed as WAT, on a
/// spread of each one's functions.
@Suite struct CompiledModuleTranslationTests {
    @Test func compiledModuleTranslatesAsTheDecodedBinary() throws {
        guard let corpus = TestEnvironment.corpus else {
            print("compiled-module translation: skipped, no corpus ($CLIFFORD_CORPUS)")
            return
        }
        let directory = corpus + "/realworld"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory))?.filter { $0.hasSuffix(".wasm") }.sorted() ?? []
        var compared = 0
        var identical = 0
        var failures: [String] = []
        for name in names {
            guard let data = FileManager.default.contents(atPath: directory + "/" + name),
                  let original = try? Module.decode([UInt8](data)) else {
                failures.append("\(name): cannot decode")
                continue
            }
            let (compiled, diagnostics) = WAT.compile(bytes: Array(original.module.printed().utf8))
            guard diagnostics.isEmpty, let binary = try? Module.decode(compiled.bytes) else {
                failures.append("\(name): printed WAT does not compile")
                continue
            }
            let model = DecodedModule(module: compiled.module, offsets: compiled.map.offsets)
            let environment = WasmtimeEnvironment(info: ModuleInfo(binary.module))
            let count = compiled.module.functions.count
            // About 150 functions per module keep a debug build under a minute.
            for index in stride(from: 0, to: count, by: max(1, count / 150)) {
                let expected = ModuleTranslator.translateFunction(index, decoded: binary, bytes: compiled.bytes, environment: environment)
                let actual = ModuleTranslator.translateFunction(index, decoded: model, bytes: compiled.bytes,
                                                                environment: WasmtimeEnvironment(info: ModuleInfo(compiled.module)))
                compared += 1
                if PrintedTranslation.print(expected)?.text == PrintedTranslation.print(actual)?.text,
                   expected.diagnostics == actual.diagnostics, expected.decisions == actual.decisions {
                    identical += 1
                } else if failures.count < 10 {
                    failures.append("\(name): function \(index) differs")
                }
            }
        }
        print("compiled-module translation: \(identical)/\(compared) functions identical to the decoded binary's")
        for failure in failures { print("  \(failure)") }
        #expect(compared > 0)
        #expect(failures.isEmpty)
    }
}
