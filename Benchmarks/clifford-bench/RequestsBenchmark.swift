import Foundation
import JSON
import LanguageServer
import SourceText
import WAT
import Wasm

/// `clifford-bench requests [FILE.wat] [--requests N]`: the language service's request costs in
/// process, without the protocol: the analysis (median of three), the kept compact CLIF, the byte
/// codec's speed over the whole generated CLIF, and hover, definition and the side-by-side view
/// at N instruction lines spread over the document (the `lsp` suite's targets), each timed by
/// wall clock and by this thread's CPU time. Without FILE it prints
/// `$CLIFFORD_CORPUS/realworld/c-graphviz.wasm` as WAT.
func runRequestsBenchmark(_ arguments: [String]) async throws {
    var path: String?
    var requests = 200
    var index = 0
    while index < arguments.count {
        if arguments[index] == "--requests", index + 1 < arguments.count {
            requests = max(1, Int(arguments[index + 1]) ?? requests)
            index += 2
        } else {
            path = arguments[index]
            index += 1
        }
    }
    guard let bytes = try BenchmarkDocument.wat(suite: "requests", path: path) else { return }
    let file = SourceFile(utf8: bytes)
    print("requests: document \(formatted(Double(bytes.count) / 1_048_576, digits: 1)) MiB, \(file.lineCount) lines")

    let service = WATService()
    let snapshot = DocumentSnapshot(uri: "file:///bench.wat", language: .wat, version: 1, file: file)
    var analysisTimes: [Double] = []
    var analysis: WATAnalysis?
    for _ in 0..<3 {
        analysis = nil
        let (wall, _, result) = try await timedAsync { try await service.analyze(snapshot, previous: nil) }
        analysisTimes.append(wall)
        analysis = result as? WATAnalysis
    }
    guard let analysis, let generated = analysis.modules.first?.generated else {
        print("requests: the document has no generated CLIF")
        return
    }
    print("  full analysis (parse … translate, kept text compressed): median \(formatted(percentile(analysisTimes, 0.5), digits: 0)) ms of 3")
    let kept = generated.keptTextSizes
    print("  kept text: \(kept.functions) of \(generated.functions.count) functions, \(formatted(Double(kept.textBytes) / 1_048_576, digits: 1)) MiB of CLIF kept as \(formatted(Double(kept.compactBytes) / 1_048_576, digits: 2)) MiB")

    let whole = generated.text()
    // The fastest of five runs each: the machine may be shared.
    var (compressWall, compressCPU, compressed) = timed { ByteCodec.compress(whole) }
    var (expandWall, expandCPU, expanded) = timed { ByteCodec.decompress(compressed, count: whole.count) }
    for _ in 0..<4 {
        let compressing = timed { ByteCodec.compress(whole) }
        (compressWall, compressCPU) = (min(compressWall, compressing.wall), min(compressCPU, compressing.cpu))
        let expanding = timed { ByteCodec.decompress(compressed, count: whole.count) }
        (expandWall, expandCPU) = (min(expandWall, expanding.wall), min(expandCPU, expanding.cpu))
        if expanding.result != whole { expanded = nil }
    }
    let megabytes = Double(whole.count) / 1_048_576
    print("  byte codec over the whole generated CLIF, fastest of 5 (\(formatted(megabytes, digits: 1)) MiB → \(formatted(Double(compressed.count) / 1_048_576, digits: 2)) MiB, \(formatted(Double(whole.count) / Double(max(1, compressed.count)), digits: 2))×): compress \(formatted(compressWall, digits: 1)) ms (CPU \(formatted(compressCPU, digits: 1)), \(formatted(megabytes / compressWall * 1000, digits: 0)) MiB/s), expand \(formatted(expandWall, digits: 1)) ms (CPU \(formatted(expandCPU, digits: 1)), \(formatted(megabytes / expandWall * 1000, digits: 0)) MiB/s)\(expanded == whole ? "" : "; ROUND TRIP FAILED")")

    // What compacting the kept functions costs the analysis: compressing the texts of the largest
    // functions (as many as the analysis kept; fastest of three).
    var functionTexts: [ArraySlice<UInt8>] = []
    var functionStart = 0
    let marker = Array(";; Intermediate Representation".utf8)
    for index in whole.indices where whole[index] == 0x3B && (index == 0 || whole[index - 1] == 0x0A)
        && whole[index...].starts(with: marker) {
        if functionStart > 0 { functionTexts.append(whole[functionStart..<index]) }
        functionStart = index
    }
    if functionStart > 0 { functionTexts.append(whole[functionStart...]) }
    let largestTexts = functionTexts.sorted { $0.count > $1.count }.prefix(kept.functions).map { Array($0) }
    var compaction = Double.infinity
    for _ in 0..<3 { compaction = min(compaction, timed { largestTexts.reduce(0) { $0 + ByteCodec.compress($1).count } }.cpu) }
    print("  compressing the \(largestTexts.count) largest functions' CLIF (\(formatted(Double(largestTexts.reduce(0) { $0 + $1.count }) / 1_048_576, digits: 1)) MiB) as the analysis does: \(formatted(compaction, digits: 1)) ms CPU")

    // The generated document must be what `clifford translate` prints for the same text.
    let binary = BenchmarkDocument.siblingBinary
    if FileManager.default.isExecutableFile(atPath: binary) {
        let path = NSTemporaryDirectory() + "clifford-requests-\(getpid()).wat"
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let translated = try LSPClient.run(binary, ["translate", path])
        // The document starts with a header line of its own.
        let body = whole.split(separator: 0x0A, maxSplits: 1, omittingEmptySubsequences: false).last ?? []
        print("  generated document (after its header line) identical to `clifford translate`: \(Array(body) == Array(translated.utf8) ? "yes" : "NO")")
    }

    let targets = benchmarkTargets(in: file, count: requests)
    let requestsByName: [(String, (Int) -> Int)] = [
        ("hover", { offset in service.hover(at: offset, in: analysis)?.markdown.utf8.count ?? 0 }),
        ("definition", { offset in service.definition(at: offset, in: analysis).count }),
        ("side-by-side (clifAtPosition)", { offset in
            guard let found = service.sideBySideCLIF(at: offset, in: analysis) else { return 0 }
            return String(found.file[found.functionRange]).utf8.count
        }),
    ]
    for (name, request) in requestsByName {
        var walls: [Double] = []
        var cpus: [Double] = []
        var empty = 0
        for offset in targets {
            let (wall, cpu, size) = timed { request(offset) }
            walls.append(wall)
            cpus.append(cpu)
            if size == 0 { empty += 1 }
        }
        print("  \(name): wall p50 \(formatted(percentile(walls, 0.5))) p99 \(formatted(percentile(walls, 0.99))) max \(formatted(walls.max() ?? 0)) ms; thread CPU p50 \(formatted(percentile(cpus, 0.5))) p99 \(formatted(percentile(cpus, 0.99))) ms over \(targets.count) (\(empty) empty)")
    }
    // The side-by-side answer carries the function's whole text: its JSON for the largest function.
    var largest: (size: Int, text: String) = (0, "")
    for offset in targets {
        if let found = service.sideBySideCLIF(at: offset, in: analysis), found.functionRange.length > largest.size {
            largest = (found.functionRange.length, String(found.file[found.functionRange]))
        }
    }
    if largest.size > 0 {
        let message: JSONValue = ["jsonrpc": "2.0", "id": 1, "result": ["text": .string(largest.text)]]
        var serialize = Double.infinity
        var parse = Double.infinity
        for _ in 0..<5 {
            let (wall, _, bytes) = timed { message.serializedBytes() }
            serialize = min(serialize, wall)
            parse = min(parse, timed { _ = try? JSONValue.parse(bytes) }.wall)
        }
        print("  side-by-side answer for the largest function (\(largest.size / 1024) KiB of CLIF) as JSON, fastest of 5: serialize \(formatted(serialize)) ms, parse \(formatted(parse)) ms")
    }
    withExtendedLifetime(analysis) {}
}

/// Byte offsets of `count` instruction lines spread evenly over a WAT document: indented lines
/// inside a function that start with a lowercase letter (as the `lsp` suite picks them).
func benchmarkTargets(in file: SourceFile, count: Int) -> [Int] {
    var found: [Int] = []
    var inFunction = false
    for line in 0..<file.lineCount {
        let content = file[file.contentRange(ofLine: line)]
        let trimmed = content.drop { $0 == " " }
        if trimmed.hasPrefix("(func") { inFunction = true; continue }
        if trimmed.hasPrefix("(") { inFunction = trimmed.hasPrefix("(local") ? inFunction : false }
        guard inFunction, let first = trimmed.first, first.isLowercase else { continue }
        found.append(file.lineStarts[line] + content.utf8.count - trimmed.utf8.count)
    }
    let step = max(1, found.count / count)
    return stride(from: 0, to: found.count, by: step).prefix(count).map { found[$0] }
}

/// Wall and thread CPU milliseconds of one call, and its result.
private func timed<T>(_ body: () throws -> T) rethrows -> (wall: Double, cpu: Double, result: T) {
    let cpuStart = TranslateTimes.threadCPU()
    let start = ContinuousClock.now
    let result = try body()
    let elapsed = ContinuousClock.now - start
    return (Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15,
            TranslateTimes.threadCPU() - cpuStart, result)
}

private func timedAsync<T>(_ body: () async throws -> T) async rethrows -> (wall: Double, cpu: Double, result: T) {
    let start = ContinuousClock.now
    let result = try await body()
    let elapsed = ContinuousClock.now - start
    return (Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15, 0, result)
}
