import Foundation
import SourceText
import WAT
import Wasm

/// `clifford-bench validate [FILE.wasm | FILE.wat] [--iterations N] [--wasm-tools PATH]`: validates a
/// module (decode or parse + lower, then validate) and times `wasm-tools validate` on the same file in
/// the same run. Without a file it takes the largest module of the real-world corpus.
func runValidationBenchmark(_ arguments: [String]) throws {
    var path: String?
    var iterations = 10
    var wasmTools = ProcessInfo.processInfo.environment["CLIFFORD_TOOLS"].map { $0 + "/wasm-tools" }
    var index = 0
    while index < arguments.count {
        switch arguments[index] {
        case "--iterations" where index + 1 < arguments.count:
            iterations = max(1, Int(arguments[index + 1]) ?? iterations)
            index += 2
        case "--wasm-tools" where index + 1 < arguments.count:
            wasmTools = arguments[index + 1]
            index += 2
        default:
            path = arguments[index]
            index += 1
        }
    }
    guard let file = path ?? largestRealWorldModule() else {
        print("validate: no input (give a .wasm path or set CLIFFORD_CORPUS)")
        return
    }
    guard let data = FileManager.default.contents(atPath: file) else {
        print("validate: cannot read \(file)")
        return
    }
    let bytes = [UInt8](data)
    if file.hasSuffix(".wat") {
        try benchmarkText(file, bytes, iterations: iterations, wasmTools: wasmTools)
        return
    }
    var decodeTimes: [Double] = []
    var validateTimes: [Double] = []
    var errorCount = 0
    var instructions = 0
    var decodeCPU = 0.0
    var validateCPU = 0.0
    for iteration in 0...iterations {
        let cpuStart = cpuMilliseconds(RUSAGE_SELF)
        let start = ContinuousClock.now
        let decoded = try Module.decode(bytes)
        let cpuMiddle = cpuMilliseconds(RUSAGE_SELF)
        let middle = ContinuousClock.now
        let errors = decoded.module.validate()
        let end = ContinuousClock.now
        if iteration > 0 {
            decodeCPU += cpuMiddle - cpuStart
            validateCPU += cpuMilliseconds(RUSAGE_SELF) - cpuMiddle
        }
        decodeTimes.append(validationMilliseconds(middle - start))
        validateTimes.append(validationMilliseconds(end - middle))
        errorCount = errors.count
        instructions = decoded.module.functions.reduce(0) { $0 + $1.body.count }
    }
    // The first run warms caches and is left out.
    decodeTimes.removeFirst()
    validateTimes.removeFirst()
    let totals = zip(decodeTimes, validateTimes).map { $0 + $1 }
    print("validate: \(file)")
    print("  \(bytes.count) bytes, \(instructions) instructions, \(errorCount) errors, \(iterations) iterations")
    print("  clifford decode:            median \(validationFormat(median(decodeTimes))) ms, best \(validationFormat(decodeTimes.min() ?? 0)) ms")
    print("  clifford validate:          median \(validationFormat(median(validateTimes))) ms, best \(validationFormat(validateTimes.min() ?? 0)) ms")
    print("  clifford decode + validate: median \(validationFormat(median(totals))) ms, best \(validationFormat(totals.min() ?? 0)) ms")
    let count = Double(iterations)
    print("  clifford CPU time per run: decode \(validationFormat(decodeCPU / count)) ms, validate \(validationFormat(validateCPU / count)) ms")
    guard let tool = wasmTools, FileManager.default.isExecutableFile(atPath: tool) else {
        print("  wasm-tools validate: not measured (pass --wasm-tools PATH or set CLIFFORD_TOOLS)")
        return
    }
    var oracleTimes: [Double] = []
    var startupTimes: [Double] = []
    let empty = NSTemporaryDirectory() + "clifford-bench-empty-\(getpid()).wasm"
    _ = FileManager.default.createFile(atPath: empty, contents: Data([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]))
    defer { try? FileManager.default.removeItem(atPath: empty) }
    var oracleCPU = 0.0
    for iteration in 0...iterations {
        let before = cpuMilliseconds(RUSAGE_CHILDREN)
        oracleTimes.append(try timeProcess(tool, ["validate", file]))
        if iteration > 0 { oracleCPU += cpuMilliseconds(RUSAGE_CHILDREN) - before }
        startupTimes.append(try timeProcess(tool, ["validate", empty]))
    }
    oracleTimes.removeFirst()
    startupTimes.removeFirst()
    print("  wasm-tools validate (whole process): median \(validationFormat(median(oracleTimes))) ms, best \(validationFormat(oracleTimes.min() ?? 0)) ms")
    print("  wasm-tools validate of an empty module (process start-up): median \(validationFormat(median(startupTimes))) ms")
    print("  wasm-tools validate CPU time per run (user + system, all threads): \(validationFormat(oracleCPU / count)) ms")
    print("  ratio clifford decode + validate / wasm-tools validate, wall: \(validationFormat(median(totals) / median(oracleTimes))), CPU: \(validationFormat((decodeCPU + validateCPU) / max(oracleCPU, 0.001)))")
    print("  ratio clifford validate alone / wasm-tools validate, wall: \(validationFormat(median(validateTimes) / median(oracleTimes))), CPU: \(validationFormat(validateCPU / max(oracleCPU, 0.001)))")
}

/// Parse + lower + validate of a `.wat` file against `wasm-tools validate` of the same text.
private func benchmarkText(_ file: String, _ bytes: [UInt8], iterations: Int, wasmTools: String?) throws {
    var parseTimes: [Double] = []
    var validateTimes: [Double] = []
    var errorCount = 0
    for _ in 0...iterations {
        let start = ContinuousClock.now
        let parsed = WAT.parseModule(bytes: bytes)
        let lowered = WAT.lower(parsed.syntax)
        let middle = ContinuousClock.now
        let errors = lowered.module.validate()
        let end = ContinuousClock.now
        parseTimes.append(validationMilliseconds(middle - start))
        validateTimes.append(validationMilliseconds(end - middle))
        errorCount = errors.count + parsed.diagnostics.count + lowered.diagnostics.count
    }
    parseTimes.removeFirst()
    validateTimes.removeFirst()
    let totals = zip(parseTimes, validateTimes).map { $0 + $1 }
    print("validate (text): \(file)")
    print("  \(bytes.count) bytes, \(errorCount) diagnostics, \(iterations) iterations")
    print("  clifford parse + lower:             median \(validationFormat(median(parseTimes))) ms")
    print("  clifford validate:                  median \(validationFormat(median(validateTimes))) ms")
    print("  clifford parse + lower + validate:  median \(validationFormat(median(totals))) ms, best \(validationFormat(totals.min() ?? 0)) ms")
    guard let tool = wasmTools, FileManager.default.isExecutableFile(atPath: tool) else { return }
    var oracleTimes: [Double] = []
    for _ in 0...iterations { oracleTimes.append(try timeProcess(tool, ["validate", file])) }
    oracleTimes.removeFirst()
    print("  wasm-tools validate (whole process): median \(validationFormat(median(oracleTimes))) ms")
}

private func timeProcess(_ tool: String, _ arguments: [String]) throws -> Double {
    validationMilliseconds(try runSilently(tool, arguments))
}

private func median(_ values: [Double]) -> Double {
    guard !values.isEmpty else { return 0 }
    return values.sorted()[values.count / 2]
}

private func validationMilliseconds(_ duration: Duration) -> Double {
    let (seconds, attoseconds) = duration.components
    return Double(seconds) * 1000 + Double(attoseconds) / 1e15
}

private func validationFormat(_ value: Double) -> String {
    String(format: "%.2f", value)
}

/// User + system CPU time of this process or of its finished children, in milliseconds.
private func cpuMilliseconds(_ who: __rusage_who) -> Double {
    var usage = rusage()
    getrusage(__rusage_who_t(who.rawValue), &usage)
    let user = Double(usage.ru_utime.tv_sec) * 1000 + Double(usage.ru_utime.tv_usec) / 1000
    let system = Double(usage.ru_stime.tv_sec) * 1000 + Double(usage.ru_stime.tv_usec) / 1000
    return user + system
}
