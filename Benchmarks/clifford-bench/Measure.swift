import Foundation

/// Runs `body` `repetitions` times after one warm-up run and returns the median wall time in ms.
func medianMilliseconds(repetitions: Int, _ body: () throws -> Void) rethrows -> Double {
    try body()
    var samples: [Double] = []
    for _ in 0..<repetitions {
        let start = ContinuousClock.now
        try body()
        let elapsed = ContinuousClock.now - start
        samples.append(Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15)
    }
    samples.sort()
    return samples[samples.count / 2]
}

func formatted(_ value: Double, digits: Int = 2) -> String {
    String(format: "%.\(digits)f", value)
}

/// Runs `tool` with its output discarded and returns the wall time until it exits.
func runSilently(_ tool: String, _ arguments: [String]) throws -> Duration {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: tool)
    process.arguments = arguments
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    let start = ContinuousClock.now
    try process.run()
    process.waitUntilExit()
    return ContinuousClock.now - start
}

/// The largest `.wasm` of the corpus's `realworld/` folder (`$CLIFFORD_CORPUS`, else the usual
/// places), the default input of the decode and validate suites.
func largestRealWorldModule() -> String? {
    let environment = ProcessInfo.processInfo.environment["CLIFFORD_CORPUS"]
    for corpus in [environment, "../shared/corpus", "/work/shared/corpus"].compactMap({ $0 }) {
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
