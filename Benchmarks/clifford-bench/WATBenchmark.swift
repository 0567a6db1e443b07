import Foundation
import WAT

/// `clifford-bench wat [FILE.wat] [--iterations N] [--wasm-tools PATH]`: WAT → binary with clifford
/// and with `wasm-tools parse` on the same file in the same run, plus clifford's peak memory.
/// Without FILE it prints `$CLIFFORD_CORPUS/realworld/rust-resvg.wasm` with wasm-tools first.
func runWATBenchmark(arguments: [String]) throws {
    var file: String?
    var iterations = 5
    var tool = ProcessInfo.processInfo.environment["CLIFFORD_TOOLS"].map { $0 + "/wasm-tools" }
        ?? FileManager.default.currentDirectoryPath + "/.tools/venv/bin/wasm-tools"
    var index = 0
    while index < arguments.count {
        switch arguments[index] {
        case "--iterations":
            index += 1
            iterations = Int(arguments[index]) ?? iterations
        case "--wasm-tools":
            index += 1
            tool = arguments[index]
        default:
            file = arguments[index]
        }
        index += 1
    }
    let hasTool = FileManager.default.isExecutableFile(atPath: tool)
    if file == nil {
        let corpus = ProcessInfo.processInfo.environment["CLIFFORD_CORPUS"] ?? "../shared/corpus"
        let binary = corpus + "/realworld/rust-resvg.wasm"
        let text = NSTemporaryDirectory() + "/clifford-bench-rust-resvg.wat"
        guard hasTool else {
            print("wat: no input file and no wasm-tools at \(tool) to print \(binary)")
            return
        }
        if !FileManager.default.fileExists(atPath: text) {
            guard runTool(tool, ["print", binary, "-o", text]) == 0 else {
                print("wat: wasm-tools print \(binary) failed")
                return
            }
        }
        file = text
    }
    guard let path = file, let bytes = readWhole(path) else {
        print("wat: cannot read \(file ?? "")")
        return
    }
    print("wat: \(path), \(bytes.count) bytes, \(iterations) iterations")
    reportLiveHeap(of: bytes)

    var times: [Double] = []
    var output: [UInt8] = []
    var diagnosticCount = 0
    for _ in 0..<iterations {
        let start = DispatchTime.now().uptimeNanoseconds
        let (compiled, diagnostics) = WAT.compile(bytes: bytes)
        output = compiled.bytes
        diagnosticCount = diagnostics.count
        times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    let peak = Double(usage.ru_maxrss) / 1024
    let ours = summary(times)
    print(String(format: "clifford WAT.compile(bytes:): best %.3f s, median %.3f s, %.1f MB/s; peak RSS %.0f MB (%.1f× source, all iterations); %d diagnostics",
                 ours.best, ours.median, Double(bytes.count) / ours.best / 1e6, peak, peak * 1024 * 1024 / Double(bytes.count),
                 diagnosticCount))

    guard hasTool else {
        print("wasm-tools: not found at \(tool); comparison skipped")
        return
    }
    let reference = NSTemporaryDirectory() + "/clifford-bench-reference.wasm"
    var toolTimes: [Double] = []
    for _ in 0..<iterations {
        let start = DispatchTime.now().uptimeNanoseconds
        guard runTool(tool, ["parse", path, "-o", reference]) == 0 else {
            print("wasm-tools parse failed")
            return
        }
        toolTimes.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    let theirs = summary(toolTimes)
    let identical = FileManager.default.contents(atPath: reference).map { [UInt8]($0) == output } ?? false
    // A child's peak RSS is not measurable from here (the high-water mark survives fork and exec);
    // measure wasm-tools' memory with `/usr/bin/time -f %M` instead.
    print(String(format: "wasm-tools parse (process, includes start-up): best %.3f s, median %.3f s",
                 theirs.best, theirs.median))
    print(String(format: "speed-up (best vs best): %.2f×; output byte-identical: %@", theirs.best / ours.best,
                 identical ? "yes" : "NO"))
}

/// The source's bytes in one exact-size array, as `clifford parse` holds them.
private func readWhole(_ path: String) -> [UInt8]? {
    guard let handle = fopen(path, "rb") else { return nil }
    defer { fclose(handle) }
    fseek(handle, 0, SEEK_END)
    let size = ftell(handle)
    fseek(handle, 0, SEEK_SET)
    guard size >= 0 else { return nil }
    let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
        count = fread(buffer.baseAddress, 1, size, handle)
    }
    return bytes.count == size ? bytes : nil
}

/// Resident memory after each step of one compile, everything kept alive as `clifford parse`
/// keeps it: where the peak memory goes.
private func reportLiveHeap(of bytes: [UInt8]) {
    func liveMegabytes() -> Double {
        guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = statm.split(separator: " ")
        guard fields.count > 1, let pages = Double(fields[1]) else { return 0 }
        return pages * Double(sysconf(Int32(_SC_PAGESIZE))) / 1_048_576
    }
    let source = Double(bytes.count) / 1_048_576
    let before = liveMegabytes()
    let parsed = WAT.parseModule(bytes: bytes)
    let afterParse = liveMegabytes()
    let lowered = WAT.lower(parsed.syntax)
    let afterLower = liveMegabytes()
    let encoded = lowered.module.encode()
    let afterEncode = liveMegabytes()
    withExtendedLifetime((parsed, lowered, encoded)) {
        print(String(format: "resident: source %.0f MB, before %.0f MB; syntax +%.0f MB; lowered module, names and source map +%.0f MB; binary and offsets +%.0f MB; total %.0f MB (%.1f× source)",
                     source, before, afterParse - before, afterLower - afterParse, afterEncode - afterLower,
                     afterEncode, afterEncode / source))
    }
}

private func summary(_ times: [Double]) -> (best: Double, median: Double) {
    let sorted = times.sorted()
    return (sorted.first ?? 0, sorted.isEmpty ? 0 : sorted[sorted.count / 2])
}

private func runTool(_ tool: String, _ arguments: [String]) -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: tool)
    process.arguments = arguments
    do { try process.run() } catch { return -1 }
    process.waitUntilExit()
    return process.terminationStatus
}
