import Foundation
import Wasm

/// `clifford-bench wasm [FILE.wasm] [--iterations N] [--grow-to MB]`: decodes (and re-encodes) a module
/// binary and prints the best and median times. Without a file it takes the largest module of
/// `$CLIFFORD_CORPUS/realworld` (or ../shared/corpus/realworld). `--grow-to` first appends copies of the
/// module's function bodies until the binary reaches that many megabytes, to time a module of that size.
func runWasmBenchmark(arguments: [String]) {
    var path: String?
    var iterations = 20
    var growTo: Double?
    var index = 0
    while index < arguments.count {
        if arguments[index] == "--iterations", index + 1 < arguments.count {
            iterations = max(1, Int(arguments[index + 1]) ?? iterations)
            index += 2
        } else if arguments[index] == "--grow-to", index + 1 < arguments.count {
            growTo = Double(arguments[index + 1])
            index += 2
        } else {
            path = arguments[index]
            index += 1
        }
    }
    guard let file = path ?? largestRealWorldModule() else {
        print("wasm: no input (give a .wasm path or set CLIFFORD_CORPUS)")
        return
    }
    guard let data = FileManager.default.contents(atPath: file) else {
        print("wasm: cannot read \(file)")
        return
    }
    var bytes = [UInt8](data)
    if let growTo {
        do {
            bytes = try grown(bytes, toMegabytes: growTo)
        } catch {
            print("wasm: \(file): \(error)")
            return
        }
    }
    var decodeTimes: [Double] = []
    var encodeTimes: [Double] = []
    var decodeCPU: [Double] = []
    var encodeCPU: [Double] = []
    var instructions = 0
    for _ in 0..<iterations {
        let startCPU = threadCPUMilliseconds()
        let start = ContinuousClock.now
        let decoded: DecodedModule
        do {
            decoded = try Module.decode(bytes)
        } catch {
            print("wasm: \(file): \(error)")
            return
        }
        let middle = ContinuousClock.now
        let middleCPU = threadCPUMilliseconds()
        let encoded = decoded.module.encode()
        let end = ContinuousClock.now
        let endCPU = threadCPUMilliseconds()
        decodeTimes.append(milliseconds(middle - start))
        encodeTimes.append(milliseconds(end - middle))
        decodeCPU.append(middleCPU - startCPU)
        encodeCPU.append(endCPU - middleCPU)
        instructions = decoded.module.functions.reduce(0) { $0 + $1.body.count }
        precondition(encoded.bytes.count > 0)
    }
    let megabytes = Double(bytes.count) / 1_000_000
    print("wasm: \(file)")
    print("  \(bytes.count) bytes, \(instructions) instructions, \(iterations) iterations")
    report("decode (binary -> module + offsets), wall", decodeTimes, megabytes)
    report("decode (binary -> module + offsets), thread CPU", decodeCPU, megabytes)
    report("encode (module -> binary + offsets), wall", encodeTimes, megabytes)
    report("encode (module -> binary + offsets), thread CPU", encodeCPU, megabytes)
}

/// CPU time of the calling thread, which a machine shared with other jobs disturbs less than wall time.
private func threadCPUMilliseconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return Double(time.tv_sec) * 1000 + Double(time.tv_nsec) / 1e6
}

/// The module with its defined functions repeated (same types, new indices) until it reaches the size.
private func grown(_ bytes: [UInt8], toMegabytes target: Double) throws(DecodeError) -> [UInt8] {
    var module = try Module.decode(bytes).module
    let original = module.functions
    var result = bytes
    while Double(result.count) < target * 1_000_000, !original.isEmpty {
        module.functions.append(contentsOf: original)
        result = module.encode().bytes
    }
    return result
}

private func milliseconds(_ duration: Duration) -> Double {
    let (seconds, attoseconds) = duration.components
    return Double(seconds) * 1000 + Double(attoseconds) / 1e15
}

private func report(_ label: String, _ times: [Double], _ megabytes: Double) {
    let sorted = times.sorted()
    let best = sorted[0]
    let median = sorted[sorted.count / 2]
    print(
        "  \(label): best \(String(format: "%.1f", best)) ms, median \(String(format: "%.1f", median)) ms, "
            + "\(String(format: "%.0f", megabytes / (best / 1000))) MB/s")
}
