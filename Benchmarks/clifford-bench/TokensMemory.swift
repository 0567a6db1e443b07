import Foundation
import JSON
import LanguageServer
import SourceText

/// The memory of each step of a `semanticTokens/full` answer, in process: resident memory and
/// its peak (`VmRSS`, `VmHWM`, the peak reset before each step) above what the analysis holds,
/// for the packed data the server keeps and, for comparison, for the plain representation it
/// kept before (a `[UInt32]` beside the tokens, and one `JSONValue` per integer).
struct TokensMemory {
    private typealias Option = @convention(c) (Int32, Int32) -> Int32
    private typealias Trim = @convention(c) (Int) -> Int32
    private let trim: Trim? = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim").map { unsafeBitCast($0, to: Trim.self) }
    private var base = 0
    let size: Double

    init(fileSize: Int) {
        size = Double(fileSize)
        // As the server does: every allocation of 256 KiB or more gets a mapping of its own.
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") {
            _ = unsafeBitCast(symbol, to: Option.self)(-3, 256 * 1024)
        }
    }

    /// Current and peak resident bytes.
    static func resident() -> (current: Int, peak: Int) {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return (0, 0) }
        func kilobytes(_ key: String) -> Int {
            guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(key) }) else { return 0 }
            return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") ?? 0
        }
        return (kilobytes("VmRSS:") * 1024, kilobytes("VmHWM:") * 1024)
    }

    /// Trims the allocator and makes the current resident memory the base of what follows.
    mutating func start() {
        _ = trim?(0)
        base = Self.resident().current
        resetPeak()
    }

    func resetPeak() {
        guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return }
        try? handle.write(contentsOf: Data("5".utf8))
        try? handle.close()
    }

    func mebibytes(_ bytes: Int) -> String { formatted(Double(bytes) / 1_048_576, digits: 1) + " MiB" }

    /// Prints the memory after a step, above the base, then resets the peak for the next step.
    func report(_ step: String) {
        let now = Self.resident()
        print("    \(step): resident +\(mebibytes(now.current - base)), peak during the step +\(mebibytes(now.peak - base))")
        resetPeak()
    }

    var baseDescription: String { "\(mebibytes(base)) (\(formatted(Double(base) / size, digits: 2))× the file)" }

    /// The steps of a full answer as the server takes them now, then as it took them before.
    mutating func measure(_ classify: () -> [SemanticToken], file: SourceFile) {
        start()
        print("  memory of a full answer, above the analysis (\(baseDescription)):")
        print("   packed data (the server now):")
        var data: SemanticTokenData?
        do {
            var tokens = classify()
            report("classify, \(tokens.count) tokens of \(MemoryLayout<SemanticToken>.stride) bytes")
            data = SemanticTokenEncoder.encode(tokens, in: file, encoding: .utf16)
            tokens = []
            report("encode into \(data!.count) integers packed in \(mebibytes(data!.byteCount)); tokens let go")
            var answer: SerializedJSON? = SerializedJSON(["resultId": "1", "data": data!.json()])
            report("answer serialized by json-c, \(mebibytes(answer?.count ?? 0))")
            answer = nil
            report("answer written and let go (the cache keeps the packed data)")
        }
        data = nil
        _ = trim?(0)
        report("packed data let go")
        print("   plain data (the server before):")
        start()
        do {
            let tokens = classify()
            report("classify, \(tokens.count) tokens (kept for range requests)")
            var integers: [UInt32]? = SemanticTokenEncoder.encode(tokens, in: file, encoding: .utf16).integers
            report("encode into a [UInt32] of \(integers!.count) (kept for deltas)")
            var value: JSONValue? = ["resultId": "1", "data": .array(integers!.map { .int(Int64($0)) })]
            report("one JSONValue per integer (\(MemoryLayout<JSONValue>.stride) bytes each)")
            var answer: SerializedJSON? = SerializedJSON(value!)
            report("answer serialized by json-c, \(mebibytes(answer?.count ?? 0))")
            value = nil
            answer = nil
            integers = nil
            _ = trim?(0)
            report("answer written and let go")
            withExtendedLifetime(tokens) {}
        }
    }
}
