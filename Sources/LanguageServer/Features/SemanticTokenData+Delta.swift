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
                // The common suffix: the bytes that agree from the ends hold whole integers,
                // except perhaps the first, which is whole only where the byte before it ends an
                // integer in both (or the data starts there).
                var matched = 0
                while matched < before.count - offset && matched < after.count - offset
                        && before[before.count - 1 - matched] == after[after.count - 1 - matched] { matched += 1 }
                var suffix = 0
                for index in (after.count - matched)..<after.count where after[index] < 0x80 { suffix += 1 }
                if suffix > 0 {
                    let beforeStart = before.count - matched
                    let afterStart = after.count - matched
                    let wholeBefore = beforeStart == 0 || before[beforeStart - 1] < 0x80
                    let wholeAfter = afterStart == 0 || after[afterStart - 1] < 0x80
                    if !(wholeBefore && wholeAfter) { suffix -= 1 }
                }
                suffix = min(suffix, old.count - prefix, new.count - prefix)
                return (prefix, old.count - prefix - suffix, offset, new.count - prefix - suffix)
            }
        }
    }

    /// `limit` integers from byte `offset` on (all by default) as a JSON array, written straight
    /// from the packed bytes when the answer is serialized.
    public func json(from offset: Int = 0, count limit: Int? = nil) -> JSONValue {
        let data = self
        let total = min(limit ?? count, count)
        return .integers(JSONIntegers(count: total) { body in
            withUnsafeTemporaryAllocation(of: Int64.self, capacity: 4096) { buffer in
                data.bytes.withUnsafeBufferPointer { bytes in
                    var index = offset
                    var left = total
                    while left > 0 && index < bytes.count {
                        var filled = 0
                        while filled < buffer.count && left > 0 && index < bytes.count {
                            buffer[filled] = Int64(Self.decode(bytes, &index))
                            filled += 1
                            left -= 1
                        }
                        body(UnsafeBufferPointer(rebasing: buffer[..<filled]))
                    }
                }
            }
        })
    }
}
