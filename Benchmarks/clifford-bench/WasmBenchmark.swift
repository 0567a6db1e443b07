import Foundation
import Wasm

/// `clifford-bench wasm [FILE.wasm] [--iterations N]`: decodes (and re-encodes) a module binary and
/// prints the best and median times. Without a file it takes the largest module of
/// `$CLIFFORD_CORPUS/realworld` (or ../shared/corpus/realworld).
func runWasmBenchmark(arguments: [String]) {
    var path: String?
    var iterations = 20
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
    guard let file = path ?? largestRealWorldModule() else {
        print("wasm: no input (give a .wasm path or set CLIFFORD_CORPUS)")
        return
    }
    guard let data = FileManager.default.contents(atPath: file) else {
        print("wasm: cannot read \(file)")
        return
    }
    let bytes = [UInt8](data)
    var decodeTimes: [Double] = []
    var encodeTimes: [Double] = []
    var instructions = 0
    for _ in 0..<iterations {
        let start = ContinuousClock.now
        let decoded: DecodedModule
        do {
            decoded = try Module.decode(bytes)
        } catch {
            print("wasm: \(file): \(error)")
            return
        }
        let middle = ContinuousClock.now
        let encoded = decoded.module.encode()
        let end = ContinuousClock.now
        decodeTimes.append(milliseconds(middle - start))
        encodeTimes.append(milliseconds(end - middle))
        instructions = decoded.module.functions.reduce(0) { $0 + $1.body.count }
        precondition(encoded.bytes.count > 0)
    }
    let megabytes = Double(bytes.count) / 1_000_000
    print("wasm: \(file)")
    print("  \(bytes.count) bytes, \(instructions) instructions, \(iterations) iterations")
    report("decode (binary -> module + offsets)", decodeTimes, megabytes)
    report("encode (module -> binary + offsets)", encodeTimes, megabytes)
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

private func largestRealWorldModule() -> String? {
    let environment = ProcessInfo.processInfo.environment["CLIFFORD_CORPUS"]
    let candidates = [environment, "../shared/corpus", "/work/shared/corpus"].compactMap { $0 }
    for corpus in candidates {
        let directory = corpus + "/realworld"
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { continue }
        let sized = names.filter { $0.hasSuffix(".wasm") }.compactMap { name -> (String, Int)? in
            let path = directory + "/" + name
            guard let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int else { return nil }
            return (path, size)
        }
        if let largest = sized.max(by: { $0.1 < $1.1 }) { return largest.0 }
    }
    return nil
}
