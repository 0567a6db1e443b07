import CLIF
import Foundation
import Wasm
import WasmToCLIF

/// `clifford-bench translate [FILE.wasm] [--iterations N]`: translates and prints every function of
/// a module (default `realworld/c-graphviz.wasm`), then re-translates a single function, and prints
/// median times. Decoding is measured separately and not included in the translate figure.
func runTranslateBenchmark(_ arguments: [String]) throws {
    var path: String?
    var iterations = 5
    var index = 0
    while index < arguments.count {
        if arguments[index] == "--iterations", index + 1 < arguments.count {
            iterations = max(1, Int(arguments[index + 1]) ?? iterations)
            index += 2
        } else {
            path = arguments[index]
            index += 1
        }
    }
    let corpus = ProcessInfo.processInfo.environment["CLIFFORD_CORPUS"] ?? "../shared/corpus"
    let file = path ?? corpus + "/realworld/c-graphviz.wasm"
    guard let data = FileManager.default.contents(atPath: file) else {
        print("translate: cannot read \(file) (give a .wasm path or set CLIFFORD_CORPUS)")
        return
    }
    let bytes = [UInt8](data)
    let decoded = try Module.decode(bytes)
    let count = decoded.module.functions.count
    var printedBytes = 0
    var incomplete = 0
    let decodeMs = try medianMilliseconds(repetitions: iterations) { _ = try Module.decode(bytes) }
    let translateMs = medianMilliseconds(repetitions: iterations) {
        printedBytes = 0
        incomplete = 0
        for function in ModuleTranslator.translate(decoded, bytes: bytes) {
            if let clif = function.function {
                printedBytes += Printer.print(clif).utf8.count
            }
            if !function.isComplete { incomplete += 1 }
        }
    }
    let translateOnlyMs = medianMilliseconds(repetitions: iterations) {
        _ = ModuleTranslator.translate(decoded, bytes: bytes)
    }
    let largest = decoded.module.functions.indices.max { decoded.module.functions[$0].body.count < decoded.module.functions[$1].body.count } ?? 0
    let middle = count / 2
    let oneMs = medianMilliseconds(repetitions: max(iterations, 20)) {
        for function in ModuleTranslator.translate(decoded, bytes: bytes, only: [middle]) {
            if let clif = function.function { _ = Printer.print(clif) }
        }
    }
    let largestMs = medianMilliseconds(repetitions: iterations) {
        for function in ModuleTranslator.translate(decoded, bytes: bytes, only: [largest]) {
            if let clif = function.function { _ = Printer.print(clif) }
        }
    }
    print("translate \(file.split(separator: "/").last ?? ""): \(count) functions, \(incomplete) incomplete, \(printedBytes) bytes of CLIF")
    print("  decode                   \(formatted(decodeMs)) ms (median of \(iterations))")
    print("  translate all            \(formatted(translateOnlyMs)) ms (median of \(iterations))")
    print("  translate + print all    \(formatted(translateMs)) ms (median of \(iterations))")
    print("  one function (#\(middle), \(decoded.module.functions[middle].body.count) instructions)  \(formatted(oneMs, digits: 3)) ms")
    print("  largest function (#\(largest), \(decoded.module.functions[largest].body.count) instructions)  \(formatted(largestMs, digits: 3)) ms")
}
