/// Which functions of a generated CLIF document keep their printed text between requests, in
/// compact form (`CompactTranslation`). Printing a function again costs about as much as its body
/// is large (the largest take tens of milliseconds) while expanding a compact text costs a small
/// fraction of that, so the largest bodies keep their text, largest first, while the compact
/// texts fit in `budget` bytes; functions smaller than `minimumBodySize` print again within a
/// millisecond and are never kept.
struct KeptTextPolicy: Sendable {
    /// Bytes of compact text (with its packed decisions) per module.
    var budget: Int = 5 << 20
    /// Bodies smaller than this print again within a millisecond: never kept.
    var minimumBodySize: Int = 1024
    /// Printed CLIF compresses about four times: a text whose compact form would not fit even
    /// at this ratio is not compressed at all (at the end of the budget, most would not fit).
    static let bestCompression = 5

    /// Body indices, costliest to print again first (ties in function order).
    func order(bodies: [Range<Int>]) -> [Int] {
        bodies.indices.sorted { bodies[$0].count != bodies[$1].count ? bodies[$0].count > bodies[$1].count : $0 < $1 }
    }

    /// The budget left while functions are considered costliest first.
    struct Budget {
        var remaining: Int
        let minimumBodySize: Int

        init(_ policy: KeptTextPolicy) {
            remaining = policy.budget
            minimumBodySize = policy.minimumBodySize
        }

        /// Whether a text of `textBytes` bytes for a body of `bodySize` bytes is worth compressing
        /// to see if it fits.
        func mayFit(textBytes: Int, bodySize: Int) -> Bool {
            bodySize >= minimumBodySize && textBytes / KeptTextPolicy.bestCompression <= remaining
        }

        /// Takes `bytes` from the budget for a body of `bodySize` bytes if it is worth keeping and fits.
        mutating func take(_ bytes: Int, bodySize: Int) -> Bool {
            guard bodySize >= minimumBodySize, bytes <= remaining else { return false }
            remaining -= bytes
            return true
        }
    }
}
