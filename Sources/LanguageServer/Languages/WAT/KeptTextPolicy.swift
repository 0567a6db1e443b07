import WasmToCLIF

/// Which functions of a generated CLIF document keep their printed text between requests.
/// Printing a function again costs about as much as its body is large (the largest take tens of
/// milliseconds), so the largest bodies keep their text, largest first, while the texts fit in
/// `budget` bytes; functions smaller than `minimumBodySize` are always printed again on demand.
struct KeptTextPolicy: Sendable {
    /// Bytes of kept text (with its line index and located lines) per module.
    var budget: Int = 7 << 20
    /// Bodies smaller than this print again within a millisecond: never kept.
    var minimumBodySize: Int = 4096

    /// Body indices, costliest to print again first (ties in function order).
    func order(bodies: [Range<Int>]) -> [Int] {
        bodies.indices.sorted { bodies[$0].count != bodies[$1].count ? bodies[$0].count > bodies[$1].count : $0 < $1 }
    }

    /// What a kept text of this shape holds in memory; the same sum as `PrintedTranslation.keptBytes`
    /// without building the value.
    static func estimatedBytes(textBytes: Int, lineCount: Int, locatedLines: Int, decisions: Int) -> Int {
        textBytes + (lineCount + 1) * MemoryLayout<UInt32>.stride + locatedLines * MemoryLayout<PrintedTranslation.Line>.stride
            + decisions * MemoryLayout<RuntimeDecision>.stride
    }

    /// The budget left while functions are considered costliest first.
    struct Budget {
        var remaining: Int
        let minimumBodySize: Int

        init(_ policy: KeptTextPolicy) {
            remaining = policy.budget
            minimumBodySize = policy.minimumBodySize
        }

        /// Takes `bytes` from the budget for a body of `bodySize` bytes if it is worth keeping and fits.
        mutating func take(_ bytes: Int, bodySize: Int) -> Bool {
            guard bodySize >= minimumBodySize, bytes <= remaining else { return false }
            remaining -= bytes
            return true
        }
    }
}
