import CLIF
import Foundation
import Wasm
import WasmToCLIF

/// `clifford-bench translate [FILE.wasm] [--iterations N] [--wasmtime PATH] [--emit-clif]
/// [--profile] [--dump OUT] [--function N|largest] [--largest]`: decodes a module (default `realworld/c-graphviz.wasm`), translates every function,
/// prints every translation, and re-translates single functions; each step is reported on its own
/// in wall and thread CPU time. With a Wasmtime binary (`--wasmtime`, or `$CLIFFORD_TOOLS/wasmtime`)
/// its whole `-O opt-level=0` compile is timed in the same run, in parallel and on one thread, and
/// with `--emit-clif` its CLIF-writing path too. `--profile` runs decode, translate and print once
/// and reports nothing else, for `valgrind --tool=callgrind`; `--dump` writes every function's printed
/// CLIF to OUT (to check that a change keeps the output byte for byte). `--function` times one
/// function alone (see `runOneFunctionBenchmark`), `--largest` the largest of every real-world module.
func runTranslateBenchmark(_ arguments: [String]) throws {
    var path: String?
    var iterations = 5
    var wasmtime = ProcessInfo.processInfo.environment["CLIFFORD_TOOLS"].map { $0 + "/wasmtime" }
    var emitCLIF = false
    var profile = false
    var dump: String?
    var function: String?
    var eachLargest = false
    var index = 0
    while index < arguments.count {
        switch arguments[index] {
        case "--iterations" where index + 1 < arguments.count:
            iterations = max(1, Int(arguments[index + 1]) ?? iterations)
            index += 1
        case "--wasmtime" where index + 1 < arguments.count:
            wasmtime = arguments[index + 1]
            index += 1
        case "--emit-clif":
            emitCLIF = true
        case "--profile":
            profile = true
        case "--function" where index + 1 < arguments.count:
            function = arguments[index + 1]
            index += 1
        case "--largest":
            eachLargest = true
        case "--dump" where index + 1 < arguments.count:
            dump = arguments[index + 1]
            index += 1
        default:
            path = arguments[index]
        }
        index += 1
    }
    let corpus = ProcessInfo.processInfo.environment["CLIFFORD_CORPUS"] ?? "../shared/corpus"
    let file = path ?? corpus + "/realworld/c-graphviz.wasm"
    if eachLargest { return try runLargestFunctionBenchmark(iterations: iterations) }
    if let function { return try runOneFunctionBenchmark(file, function: function, iterations: iterations, profile: profile) }
    guard let data = FileManager.default.contents(atPath: file) else {
        print("translate: cannot read \(file) (give a .wasm path or set CLIFFORD_CORPUS)")
        return
    }
    let bytes = [UInt8](data)
    if let dump {
        let decoded = try Module.decode(bytes)
        var text = ""
        for function in ModuleTranslator.translate(decoded, bytes: bytes) {
            text += function.symbol + "\n"
            if let clif = function.function { text += Printer.print(clif) }
            for diagnostic in function.diagnostics { text += diagnostic.message + "\n" }
        }
        try text.write(toFile: dump, atomically: false, encoding: .utf8)
        return
    }
    if profile {
        let decoded = try Module.decode(bytes)
        var printed = 0
        for function in ModuleTranslator.translate(decoded, bytes: bytes) {
            if let clif = function.function { printed += Printer.print(clif).utf8.count }
        }
        print("translate --profile: \(printed) bytes of CLIF")
        return
    }

    let decoded = try Module.decode(bytes)
    let count = decoded.module.functions.count
    let decode = try TranslateTimes.measure(iterations) { _ = try Module.decode(bytes) }
    var translated: [TranslatedFunction] = []
    let translate = TranslateTimes.measure(iterations) { translated = ModuleTranslator.translate(decoded, bytes: bytes) }
    var printedBytes = 0
    let printing = TranslateTimes.measure(iterations) {
        printedBytes = 0
        for function in translated {
            if let clif = function.function { printedBytes += Printer.print(clif).utf8.count }
        }
    }
    let both = TranslateTimes.measure(iterations) {
        for function in ModuleTranslator.translate(decoded, bytes: bytes) {
            if let clif = function.function { _ = Printer.print(clif) }
        }
    }
    let incomplete = translated.filter { !$0.isComplete }.count

    // Re-translating one function the way the language server does: the module's environment is
    // built once per analysis, each edited function is translated and printed with it.
    let environment = WasmtimeEnvironment(info: ModuleInfo(decoded.module), tunables: Tunables())
    let functions = decoded.module.functions
    let largest = functions.indices.max { functions[$0].body.count < functions[$1].body.count } ?? 0
    let middle = count / 2
    func retranslate(_ index: Int) {
        let function = ModuleTranslator.translateFunction(index, decoded: decoded, bytes: bytes, environment: environment)
        if let clif = function.function { _ = Printer.print(clif) }
    }
    let one = TranslateTimes.measure(max(iterations, 20)) { retranslate(middle) }
    let oneLargest = TranslateTimes.measure(iterations) { retranslate(largest) }
    let setup = TranslateTimes.measure(max(iterations, 20)) {
        _ = WasmtimeEnvironment(info: ModuleInfo(decoded.module), tunables: Tunables())
    }

    print("translate \(file.split(separator: "/").last ?? ""): \(count) functions, \(incomplete) incomplete, \(printedBytes) bytes of CLIF")
    print("  medians of \(iterations) runs (one-function figures of \(max(iterations, 20))); wall / thread CPU in ms")
    print("  decode                      \(decode)")
    print("  translate all               \(translate)")
    print("  print all                   \(printing)")
    print("  translate + print all       \(both)")
    print("  module setup (environment)  \(setup)")
    print("  one function (#\(middle), \(functions[middle].body.count) instructions)   \(one.formatted(digits: 3))")
    print("  largest function (#\(largest), \(functions[largest].body.count) instructions)   \(oneLargest.formatted(digits: 3))")

    guard let wasmtime, FileManager.default.isExecutableFile(atPath: wasmtime) else {
        print("  wasmtime: not measured (pass --wasmtime PATH or set CLIFFORD_TOOLS)")
        return
    }
    let output = NSTemporaryDirectory() + "clifford-bench-\(getpid())"
    defer { try? FileManager.default.removeItem(atPath: output) }
    let compile = try TranslateTimes.measureProcess(wasmtime, ["compile", "-O", "opt-level=0", "-C", "cache=n",
                                                               file, "-o", output + ".cwasm"], iterations: iterations)
    try? FileManager.default.removeItem(atPath: output + ".cwasm")
    let serial = try TranslateTimes.measureProcess(wasmtime, ["compile", "-O", "opt-level=0", "-C", "cache=n",
                                                              "-C", "parallel-compilation=n",
                                                              file, "-o", output + ".cwasm"], iterations: iterations)
    try? FileManager.default.removeItem(atPath: output + ".cwasm")
    print("  wasmtime compile -O opt-level=0 (whole process; CPU = user + system of all threads)")
    print("    parallel compilation      \(compile)")
    print("    one thread                \(serial)")
    if emitCLIF {
        let emit = try TranslateTimes.measureProcess(wasmtime, ["compile", "-O", "opt-level=0", "-C", "cache=n",
                                                                "--emit-clif", output, file, "-o", output + ".cwasm"],
                                                     iterations: 1)
        try? FileManager.default.removeItem(atPath: output + ".cwasm")
        print("    --emit-clif (one run)     \(emit)")
    }
    print("  clifford translate + print / wasmtime compile: wall \(String(format: "%.2f", both.wall / compile.wall)), CPU \(String(format: "%.2f", both.cpu / compile.cpu))")
}

/// Median wall and CPU times of a measured step, in milliseconds.
struct TranslateTimes: CustomStringConvertible {
    var wall: Double
    var cpu: Double

    var description: String { formatted(digits: 2) }

    func formatted(digits: Int) -> String {
        String(format: "%.\(digits)f / %.\(digits)f", wall, cpu)
    }

    /// Runs `body` once to warm up, then `iterations` times; wall time and this thread's CPU time.
    static func measure(_ iterations: Int, _ body: () throws -> Void) rethrows -> TranslateTimes {
        try body()
        var walls: [Double] = []
        var cpus: [Double] = []
        for _ in 0..<iterations {
            let cpuStart = threadCPU()
            let start = ContinuousClock.now
            try body()
            let elapsed = ContinuousClock.now - start
            cpus.append(threadCPU() - cpuStart)
            walls.append(Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15)
        }
        return TranslateTimes(wall: median(walls), cpu: median(cpus))
    }

    /// Runs a process `iterations` times after one warm-up; wall time and its user + system time.
    static func measureProcess(_ tool: String, _ arguments: [String], iterations: Int) throws -> TranslateTimes {
        var walls: [Double] = []
        var cpus: [Double] = []
        for iteration in 0...iterations {
            let before = childrenCPU()
            let elapsed = try runSilently(tool, arguments)
            guard iteration > 0 else { continue }
            walls.append(Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15)
            cpus.append(childrenCPU() - before)
        }
        return TranslateTimes(wall: median(walls), cpu: median(cpus))
    }

    static func median(_ values: [Double]) -> Double {
        values.isEmpty ? 0 : values.sorted()[values.count / 2]
    }

    static func threadCPU() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) * 1000 + Double(time.tv_nsec) / 1e6
    }

    static func childrenCPU() -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_CHILDREN.rawValue), &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1000
    }
}
