import CLIF
import Foundation
import Wasm
import WasmToCLIF

/// The single-function figures of `clifford-bench translate`: re-translating and printing one
/// function the way the language server does after an edit (the module's environment built once).
struct SingleFunctionTimer {
    let decoded: DecodedModule
    let bytes: [UInt8]
    let environment: WasmtimeEnvironment

    init(bytes: [UInt8]) throws {
        self.bytes = bytes
        decoded = try Module.decode(bytes)
        environment = WasmtimeEnvironment(info: ModuleInfo(decoded.module), tunables: Tunables())
    }

    /// The defined index of the function with the most instructions.
    var largest: Int {
        let functions = decoded.module.functions
        return functions.indices.max { functions[$0].body.count < functions[$1].body.count } ?? 0
    }

    /// Translates and prints function `index`; the size of the printed CLIF in bytes.
    @discardableResult
    func run(_ index: Int) -> Int {
        let function = ModuleTranslator.translateFunction(index, decoded: decoded, bytes: bytes, environment: environment)
        guard let clif = function.function else { return 0 }
        return Printer.print(clif).utf8.count
    }

    /// Translation alone and printing alone of function `index`, each the median of `iterations`.
    func split(_ index: Int, iterations: Int) -> (translate: TranslateTimes, print: TranslateTimes) {
        var clif: CLIF.Function?
        let translate = TranslateTimes.measure(iterations) {
            clif = ModuleTranslator.translateFunction(index, decoded: decoded, bytes: bytes, environment: environment).function
        }
        let print = TranslateTimes.measure(iterations) {
            if let clif { _ = Printer.print(clif) }
        }
        return (translate, print)
    }
}

/// `clifford-bench translate --largest [--iterations N]`: for every module of the corpus's
/// `realworld/` folder, its largest function's translate + print time (median, wall / thread CPU),
/// then translation and printing on their own.
func runLargestFunctionBenchmark(iterations: Int) throws {
    let corpus = ProcessInfo.processInfo.environment["CLIFFORD_CORPUS"] ?? "../shared/corpus"
    let directory = corpus + "/realworld"
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
        print("translate --largest: cannot list \(directory) (set CLIFFORD_CORPUS)")
        return
    }
    let runs = max(iterations, 20)
    print("largest function of each real-world module: translate + print (translate, print); medians of \(runs) runs, wall / thread CPU in ms")
    for name in names.filter({ $0.hasSuffix(".wasm") }).sorted() {
        guard let data = FileManager.default.contents(atPath: directory + "/" + name) else { continue }
        let timer = try SingleFunctionTimer(bytes: [UInt8](data))
        let index = timer.largest
        let size = timer.run(index)
        let both = TranslateTimes.measure(runs) { timer.run(index) }
        let (translate, printing) = timer.split(index, iterations: runs)
        let instructions = timer.decoded.module.functions[index].body.count
        print("  \(name) #\(index) (\(instructions) instructions, \(size) bytes of CLIF): \(both.formatted(digits: 3))"
              + "  (\(translate.formatted(digits: 3)); \(printing.formatted(digits: 3)))")
    }
}

/// `clifford-bench translate FILE --function N [--iterations K] [--profile]`: re-translates and prints
/// function N (defined index, or `largest`) K times; with `--profile` nothing is timed, for `perf record`.
func runOneFunctionBenchmark(_ file: String, function: String, iterations: Int, profile: Bool) throws {
    guard let data = FileManager.default.contents(atPath: file) else {
        print("translate: cannot read \(file)")
        return
    }
    let timer = try SingleFunctionTimer(bytes: [UInt8](data))
    let index = function == "largest" ? timer.largest : (Int(function) ?? -1)
    guard index >= 0, index < timer.decoded.module.functions.count else {
        print("translate --function: no defined function \(function)")
        return
    }
    if profile {
        var printed = 0
        for _ in 0..<iterations { printed += timer.run(index) }
        print("translate --function \(index) --profile: \(printed) bytes of CLIF in \(iterations) runs")
        return
    }
    let both = TranslateTimes.measure(iterations) { timer.run(index) }
    let (translate, printing) = timer.split(index, iterations: iterations)
    print("function #\(index) (\(timer.decoded.module.functions[index].body.count) instructions), medians of \(iterations) runs, wall / thread CPU in ms")
    print("  translate + print  \(both.formatted(digits: 3))")
    print("  translate          \(translate.formatted(digits: 3))")
    print("  print              \(printing.formatted(digits: 3))")
}
