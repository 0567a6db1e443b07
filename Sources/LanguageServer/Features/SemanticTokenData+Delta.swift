import JSON

/// `full/delta`: one edit between two versions' data, found on the packed bytes.
extension SemanticTokenData {
    /// The single edit (common prefix and suffix kept) that turns `old` into `new`, counted in
    /// integers; `insert` is the first byte of the inserted integers in `new.bytes`. Nil when equal.
    /// LEB128 writes each value one way only, so integers are equal exactly when their bytes are.
    public static func difference(from old: SemanticTokenData, to new: SemanticTokenData)
        -> (start: Int, deleteCount: Int, insertOffset: Int, insertCount: Int)? {
        old.bytes.withUnsafeBufferPointer { before in
            new.bytes.withUnsafeBufferPointer { after in
                // The common prefix: whole integers whose bytes agree.
                var prefix = 0
                var offset = 0
                var index = 0
                while index < before.count && index < after.count && before[index] == after[index] {
                    if before[index] < 0x80 {
                        prefix += 1
                        offset = index + 1
                    }
                    index += 1
                }
                if prefix == old.count && prefix == new.count { return nil }
                // The common suffix, from the ends, never reaching into the prefix.
                var suffix = 0
                var beforeEnd = before.count
                var afterEnd = after.count
                while suffix < old.count - prefix && suffix < new.count - prefix {
                    let beforeStart = Self.start(of: before, endingAt: beforeEnd)
                    let afterStart = Self.start(of: after, endingAt: afterEnd)
                    guard beforeEnd - beforeStart == afterEnd - afterStart,
                          UnsafeBufferPointer(rebasing: before[beforeStart..<beforeEnd])
                            .elementsEqual(UnsafeBufferPointer(rebasing: after[afterStart..<afterEnd]))
                    else { break }
                    suffix += 1
                    beforeEnd = beforeStart
                    afterEnd = afterStart
                }
                return (prefix, old.count - prefix - suffix, offset, new.count - prefix - suffix)
            }
        }
    }

    /// The first byte of the integer whose last byte is at `end - 1`.
    private static func start(of bytes: UnsafeBufferPointer<UInt8>, endingAt end: Int) -> Int {
        var start = end - 1
        while start > 0 && bytes[start - 1] >= 0x80 { start -= 1 }
        return start
    }

    /// `limit` integers from byte `offset` on (all by default) as a JSON array, written straight
    /// from the packed bytes when the answer is serialized.
    public func json(from offset: Int = 0, count limit: Int? = nil) -> JSONValue {
        let data = self
        let total = min(limit ?? count, count)
        return .integers(JSONIntegers(count: total) { body in
            data.forEach(from: offset, limit: total) { body(Int64($0)) }
        })
    }
}
