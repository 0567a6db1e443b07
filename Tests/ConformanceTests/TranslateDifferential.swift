import CLIF
import Foundation
import TestSupport
import Wasm
import WasmToCLIF

/// Compares clifford's translation of a module with `wasmtime compile -O opt-level=0 --emit-clif`,
/// function by function, after setting aside the `regionN = …` preamble lines (the released
/// Wasmtime names them differently from the disas goldens).
struct TranslateDifferential {
    let wasmtime: String
    /// `wasm-tools`, used to strip custom sections when Wasmtime cannot write a function's file
    /// (names with `/` make `--emit-clif` fail); code offsets are unchanged since names come last.
    var wasmTools: String?
    var identical = 0
    var total = 0
    var modules = 0
    var skippedModules = 0
    var differences: [String] = []
    var unsupported: [String: Int] = [:]
    var verifierFailures = 0

    init(wasmtime: String) {
        self.wasmtime = wasmtime
    }

    static func normalise(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { line in
                !line.hasPrefix(";; Intermediate Representation")
                    && !(line.hasPrefix("    region") && line.contains(" = "))
            }
            .joined(separator: "\n").trimmingWhitespace()
    }

    /// Compares one module; `label` names it in the difference list.
    mutating func compare(_ bytes: [UInt8], label: String, flags: [String] = []) {
        let directory = NSTemporaryDirectory() + "clifford-diff-\(getpid())-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let input = directory + "/module.wasm"
        _ = FileManager.default.createFile(atPath: input, contents: Data(bytes))
        let wasmtimeFlags = flags.filter { $0 != "--stripped" }
        let result = TranslateSupport.run(wasmtime, ["compile", "-O", "opt-level=0"] + wasmtimeFlags
                                          + ["--emit-clif", directory, input, "-o", directory + "/module.cwasm"])
        guard result.status == 0 else {
            if let wasmTools, !flags.contains("--stripped") {
                let stripped = directory + "/stripped.wasm"
                if TranslateSupport.run(wasmTools, ["strip", "-a", input, "-o", stripped]).status == 0,
                   let data = FileManager.default.contents(atPath: stripped), [UInt8](data) != bytes {
                    compare([UInt8](data), label: label + " (names stripped)", flags: flags + ["--stripped"])
                    return
                }
            }
            skippedModules += 1
            return
        }
        guard let decoded = try? Module.decode(bytes) else {
            differences.append("\(label): clifford cannot decode a module Wasmtime compiles")
            return
        }
        modules += 1
        var tunables = Tunables()
        _ = tunables.apply(flags: wasmtimeFlags)
        for translated in ModuleTranslator.translate(decoded, bytes: bytes, tunables: tunables) {
            total += 1
            guard let data = FileManager.default.contents(atPath: directory + "/" + translated.fileName) else {
                differences.append("\(label) \(translated.symbol): Wasmtime wrote no \(translated.fileName)")
                continue
            }
            guard let function = translated.function, translated.diagnostics.isEmpty else {
                let message = translated.diagnostics.first?.message ?? "no CLIF"
                unsupported[message, default: 0] += 1
                continue
            }
            if let error = Verifier.verify(function).first {
                verifierFailures += 1
                differences.append("\(label) \(translated.symbol): fails the CLIF verifier: \(error.diagnostic.message)")
            }
            let expected = Self.normalise(String(decoding: data, as: UTF8.self))
            let printed = Self.normalise(Printer.print(function))
            if printed == expected {
                identical += 1
            } else {
                differences.append("\(label) \(translated.symbol): " + TranslateSupport.firstDifference(printed, expected))
            }
        }
    }

    func report(_ name: String) {
        print("translate differential \(name): \(identical)/\(total) functions identical in \(modules) modules (\(skippedModules) modules Wasmtime rejects, \(verifierFailures) functions failing clifford's CLIF verifier)")
        for (message, count) in unsupported.sorted(by: { $0.value > $1.value }).prefix(15) {
            print("  \(count)× \(message)")
        }
        let limit = Int(TestEnvironment.environment("CLIFFORD_SHOW") ?? "20") ?? 20
        for difference in differences.prefix(limit) { print("  DIFF " + difference) }
    }
}
