import Foundation
import TestSupport
import Testing
import Wasm

/// clifford's verdict against `wasm-tools validate` on random `wasm-tools smith` modules, on
/// mutations of them (a flipped byte in a function body, two neighbouring instructions swapped) and
/// on smith modules with invalid function bodies (`--allow-invalid-funcs`), so that both valid and
/// invalid modules are compared.
@Suite struct ValidationDifferentialTests {
    static let smithFlags = [
        "--bulk-memory-enabled", "true", "--exceptions-enabled", "true", "--gc-enabled", "true",
        "--custom-page-sizes-enabled", "true", "--memory64-enabled", "true", "--multi-value-enabled", "true",
        "--reference-types-enabled", "true", "--relaxed-simd-enabled", "true",
        "--saturating-float-to-int-enabled", "true", "--sign-extension-ops-enabled", "true",
        "--simd-enabled", "true", "--tail-call-enabled", "true", "--threads-enabled", "true",
        "--wide-arithmetic-enabled", "true", "--extended-const-enabled", "true", "--max-memories", "4",
        "--max-tables", "4", "--compact-imports-enabled", "false",
    ]
    static let seeds = 120
    static let mutationsPerModule = 6

    static func cliffordAccepts(_ bytes: [UInt8]) -> (Bool, String) {
        do {
            let decoded = try Module.decode(bytes)
            // `wasm-tools validate --features all` includes custom descriptors.
            let errors = decoded.module.validate(ValidationOptions(stopsAtFirstError: true, customDescriptors: true))
            if let first = errors.first { return (false, first.message) }
            return (true, "valid")
        } catch {
            return (false, "decode: \(error.message)")
        }
    }

    /// A mutation of a decoded module's bytes: a flipped byte inside a function body, or two
    /// neighbouring non-structural instructions swapped.
    static func mutate(_ bytes: [UInt8], _ decoded: DecodedModule, _ random: inout SeededRandom) -> [UInt8]? {
        let bodies = decoded.offsets.instructionOffsets.enumerated().filter { $0.element.count > 2 }
        guard !bodies.isEmpty else { return nil }
        let (function, offsets) = bodies[random.below(bodies.count)]
        let body = decoded.module.functions[function].body
        var mutated = bytes
        if random.below(2) == 0 {
            let start = offsets[0]
            let end = offsets[offsets.count - 1]
            guard end > start else { return nil }
            let at = start + random.below(end - start)
            mutated[at] ^= UInt8(1 << random.below(8))
            return mutated
        }
        for _ in 0..<8 {
            let i = random.below(offsets.count - 2)
            let a = body[i]
            let b = body[i + 1]
            guard a.opcode.info.structure == .none, b.opcode.info.structure == .none, a != b else { continue }
            let first = Array(bytes[offsets[i]..<offsets[i + 1]])
            let second = Array(bytes[offsets[i + 1]..<offsets[i + 2]])
            mutated.replaceSubrange(offsets[i]..<offsets[i + 2], with: second + first)
            return mutated
        }
        return nil
    }

    @Test func smithAndMutatedModules() throws {
        guard let wasmTools = TestEnvironment.oracle("wasm-tools") else {
            print("validation differential: skipped, wasm-tools not found (set CLIFFORD_TOOLS)")
            return
        }
        let directory = WasmOracle.temporaryDirectory("validation-differential")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var random = SeededRandom(state: 0x5eed_0004)
        var smithTotal = 0
        var smithAgree = 0
        var mutatedTotal = 0
        var mutatedAgree = 0
        var oracleInvalid = 0
        var disagreements: [String] = []
        for seed in 0..<Self.seeds {
            let input = (0..<(256 + random.below(4096))).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            let inputPath = "\(directory)/seed.bin"
            let modulePath = "\(directory)/smith.wasm"
            _ = FileManager.default.createFile(atPath: inputPath, contents: Data(input))
            let generated = try WasmOracle.run(wasmTools, ["smith", inputPath, "-o", modulePath] + Self.smithFlags)
            guard generated.status == 0, let bytes = FileManager.default.contents(atPath: modulePath).map({ [UInt8]($0) })
            else { continue }
            var cases: [(String, [UInt8])] = {
                var list = [("smith \(seed)", bytes)]
                guard let decoded = try? Module.decode(bytes) else { return list }
                for m in 0..<Self.mutationsPerModule {
                    if let mutated = Self.mutate(bytes, decoded, &random) { list.append(("smith \(seed) mutation \(m)", mutated)) }
                }
                return list
            }()
            let invalidFunctions = try WasmOracle.run(
                wasmTools, ["smith", inputPath, "-o", modulePath, "--allow-invalid-funcs", "true"] + Self.smithFlags)
            if invalidFunctions.status == 0, let bytes = FileManager.default.contents(atPath: modulePath) {
                cases.append(("smith \(seed) invalid-funcs mutation", [UInt8](bytes)))
            }
            for (label, candidate) in cases {
                let path = "\(directory)/candidate.wasm"
                _ = FileManager.default.createFile(atPath: path, contents: Data(candidate))
                let oracle = try WasmOracle.run(wasmTools, ["validate", "--features", "all", path]).status == 0
                let (ours, message) = Self.cliffordAccepts(candidate)
                let isMutation = label.contains("mutation")
                if isMutation {
                    mutatedTotal += 1
                    if !oracle { oracleInvalid += 1 }
                } else {
                    smithTotal += 1
                }
                if ours == oracle {
                    if isMutation { mutatedAgree += 1 } else { smithAgree += 1 }
                } else {
                    disagreements.append("\(label): wasm-tools \(oracle ? "valid" : "invalid"), clifford \(message)")
                    let kept = "\(directory)/../clifford-disagreement-\(disagreements.count).wasm"
                    _ = FileManager.default.createFile(atPath: kept, contents: Data(candidate))
                }
            }
        }
        print("validation differential: smith modules same verdict \(smithAgree)/\(smithTotal)")
        print("validation differential: mutated and invalid-function modules same verdict \(mutatedAgree)/\(mutatedTotal) (\(oracleInvalid) invalid per wasm-tools)")
        for line in disagreements.prefix(40) { print("  disagreement: \(line)") }
        #expect(smithTotal > 0)
        #expect(disagreements.isEmpty)
    }
}
