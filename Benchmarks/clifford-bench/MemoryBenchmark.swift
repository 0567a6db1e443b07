import Foundation
import LanguageServer
import SourceText
import WAT
import Wasm
#if canImport(Glibc)
import Glibc
#endif

/// `clifford-bench memory [FILE.wat]`: where a WAT document's analysis keeps its memory, in
/// process: the resident memory each stage adds, read after trimming the allocator: the
/// source file, the syntax tree, the compiled module, the whole analysis the language server
/// keeps (generated CLIF included), and the stages of a re-analysis (their peaks too). Without
/// FILE it prints `$CLIFFORD_CORPUS/realworld/c-graphviz.wasm` as WAT, as `clifford print` does.
func runMemoryBenchmark(_ arguments: [String]) async throws {
    // The allocator as the server sets it up (one arena, large arrays in their own mappings).
    MemoryRelease.configureAllocator()
    guard var bytes = try BenchmarkDocument.wat(suite: "memory", path: arguments.first) else { return }
    let size = Double(bytes.count)
    print("memory: document \(formatted(size / 1_048_576, digits: 1)) MiB")
    let meter = HeapMeter()
    func report(_ label: String, from start: HeapMeter.Reading) {
        let now = meter.read()
        print("  \(label): +\(formatted(Double(now.resident - start.resident) / 1_048_576, digits: 1)) MiB"
            + " (\(formatted(Double(now.resident - start.resident) / size, digits: 2))× the file); process \(formatted(Double(now.resident) / 1_048_576, digits: 0)) MiB")
    }

    let empty = meter.read()
    print("  before: \(formatted(Double(empty.resident) / 1_048_576, digits: 1)) MiB resident")
    // The text's bytes are already resident (in `before`); the file keeps them and adds its line index.
    var start = meter.read()
    let file = SourceFile(utf8: bytes)
    bytes = []
    report("source file's line index (its \(formatted(size / 1_048_576, digits: 1)) MiB of bytes are in `before`)", from: start)
    start = meter.read()
    do {
        let parsed = WAT.parseModule(file)
        report("syntax tree", from: start)
        let lowered = meter.read()
        let compiled = WAT.compile(parsed.syntax)
        report("compiled module (model, names, binary, offsets, source map)", from: lowered)
        withExtendedLifetime(compiled) {}
    }

    start = meter.startPeak()
    let service = WATService()
    let snapshot = DocumentSnapshot(uri: "file:///bench.wat", language: .wat, version: 1, file: file)
    let clock = ContinuousClock.now
    let analysisStart = start
    let analysis = try await service.analyze(snapshot, previous: nil) { _ in
        print("  first analysis until its first diagnostics (before translating): \(meter.describe(since: analysisStart, size: size))")
    }
    let elapsed = ContinuousClock.now - clock
    print("  first analysis, translation included: \(meter.describe(since: start, size: size))")
    report("analysis as the server keeps it, beyond the source (\(formatted(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18, digits: 2)) s)", from: start)
    let total = meter.read()
    let kept = Double(total.resident - empty.resident) + size
    print("  analysis with its source file: \(formatted(kept / 1_048_576, digits: 1)) MiB = \(formatted(kept / size, digits: 2))× the file")
    if let wat = analysis as? WATAnalysis, let generated = wat.modules.first?.generated {
        print("  generated CLIF: \(generated.functions.count) functions, \(generated.lineCount) lines kept as \(formatted(Double(generated.functions.count * MemoryLayout<GeneratedCLIF.FunctionEntry>.stride) / 1024, digits: 0)) KiB of facts")
        let keptText = generated.keptText
        print("  kept printed text of the largest functions: \(keptText.functions) functions, \(formatted(Double(keptText.bytes) / 1_048_576, digits: 1)) MiB")
        let before = meter.read()
        let clock = ContinuousClock.now
        let text = generated.text()
        let elapsed = ContinuousClock.now - clock
        let during = meter.read()
        print("  whole generated text on request: \(formatted(Double(text.count) / 1_048_576, digits: 1)) MiB in \(formatted(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18, digits: 2)) s (+\(formatted(Double(during.resident - before.resident) / 1_048_576, digits: 1)) MiB while it lives)")
    }

    // An edit inside one function: the new analysis is built while the previous one is alive.
    var edited = file.utf8
    if let position = findConstant(in: edited) { edited[position] = edited[position] == UInt8(ascii: "7") ? UInt8(ascii: "8") : UInt8(ascii: "7") }
    let second = DocumentSnapshot(uri: "file:///bench.wat", language: .wat, version: 2, file: SourceFile(utf8: edited))
    // Each stage of the re-analysis with the previous analysis alive: what it keeps and how far
    // resident memory rose while it ran (the kernel's peak, reset before the stage).
    print("  stages of the re-analysis, the previous analysis alive (kept; peak above the start of the stage):")
    do {
        var stage = meter.startPeak()
        let parsed = WAT.parseModule(second.file)
        print("    parse: \(meter.describe(since: stage, size: size))")
        stage = meter.startPeak()
        let compiled = WAT.compile(parsed.syntax)
        print("    lower and encode: \(meter.describe(since: stage, size: size))")
        stage = meter.startPeak()
        let errors = compiled.module.validate()
        print("    validate (\(errors.count) errors): \(meter.describe(since: stage, size: size))")
        withExtendedLifetime((parsed, compiled)) {}
    }
    // The edit as the server applies it, and the fast path's first diagnostics.
    if let position = findConstant(in: file.utf8) {
        let stage = meter.startPeak()
        let digit = file.utf8[position] == UInt8(ascii: "7") ? "8" : "7"
        if let replaced = file.replacing(TextRange(start: position, end: position + 1), with: digit) {
            print("    the edited text (SourceFile.replacing, as didChange does): \(meter.describe(since: stage, size: size))")
            let fast = meter.startPeak()
            let third = DocumentSnapshot(uri: "file:///bench.wat", language: .wat, version: 3, file: replaced)
            _ = try await service.analyze(third, base: AnalysisBase(analysis)) { _ in
                print("    the fast path, until its first diagnostics: \(meter.describe(since: fast, size: size))")
            }
        }
    }
    start = meter.read()
    let whole = meter.startPeak()
    let reanalysed = try await service.analyze(second, previous: analysis)
    print("    the whole re-analysis (translation reused but for one function): \(meter.describe(since: whole, size: size))")
    report("a re-analysis after an edit, both analyses alive (the server now releases the previous one after the fast path)", from: total)
    withExtendedLifetime((analysis, reanalysed)) {}
}

/// The last digit of the middle `i32.const N` in the text.
private func findConstant(in bytes: [UInt8]) -> Int? {
    let needle = Array("i32.const ".utf8)
    var index = bytes.count / 2
    while index + needle.count < bytes.count {
        if bytes[index] == needle[0] && Array(bytes[index..<index + needle.count]) == needle {
            var end = index + needle.count
            while end < bytes.count && bytes[end] >= 0x30 && bytes[end] <= 0x39 { end += 1 }
            if end > index + needle.count { return end - 1 }
        }
        index += 1
    }
    return nil
}

/// Resident memory, read after asking the allocator to give its free pages back (`malloc_trim`),
/// so that it follows what is alive.
final class HeapMeter: Sendable {
    struct Reading {
        var resident: Int
    }

    private typealias Trim = @convention(c) (Int) -> Int32
    private let trim: Trim? = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim").map { unsafeBitCast($0, to: Trim.self) }

    /// Trims, then resets the kernel's peak resident memory (`VmHWM`) to the current one.
    func startPeak() -> Reading {
        let now = read()
        if let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") {
            try? handle.write(contentsOf: Data("5".utf8))
            try? handle.close()
        }
        return now
    }

    /// What a stage begun with `startPeak()` kept, and how far above its start the peak went.
    func describe(since start: Reading, size: Double) -> String {
        var peak = 0
        if let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
           let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
           let kilobytes = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") {
            peak = kilobytes * 1024
        }
        let kept = read().resident - start.resident
        let rise = peak - start.resident
        return "kept +\(formatted(Double(kept) / 1_048_576, digits: 1)) MiB, peak +\(formatted(Double(rise) / 1_048_576, digits: 1)) MiB"
            + " (\(formatted(Double(rise) / size, digits: 2))× the file)"
    }

    func read() -> Reading {
        _ = trim?(0)
        var resident = 0
        if let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) {
            let fields = statm.split(separator: " ")
            if fields.count > 1, let pages = Int(fields[1]) { resident = pages * Int(sysconf(Int32(_SC_PAGESIZE))) }
        }
        return Reading(resident: resident)
    }
}
