import CJSONC

extension JSONIntegers {
    /// A json-c array whose serializer writes these integers, comma-separated in brackets, into
    /// the output buffer of the message being written; it can be serialized once. The caller
    /// owns the object.
    func makeJSONCObject() -> OpaquePointer? {
        guard let object = json_object_new_array() else { return nil }
        OneShotSerializer.attach({ [self] buffer, _ in write(into: buffer) }, to: object)
        return object
    }

    /// The text goes to json-c's buffer in chunks of about this many bytes.
    static let chunkLength = 64 * 1024

    /// Writes `[a,b,…]` into `buffer`; false when json-c failed.
    private func write(into buffer: UnsafeMutablePointer<printbuf>) -> Bool {
        // Room for one more integer (a sign, 19 digits and a comma) past a full chunk.
        let chunk = UnsafeMutablePointer<UInt8>.allocate(capacity: JSONIntegers.chunkLength + 24)
        defer { chunk.deallocate() }
        var used = 0
        var failed = false
        func flush() {
            if !failed, chunk.withMemoryRebound(to: CChar.self, capacity: used, { printbuf_memappend(buffer, $0, Int32(used)) }) < 0 {
                failed = true
            }
            used = 0
        }
        chunk[0] = UInt8(ascii: "[")
        used = 1
        var first = true
        forEachChunk { values in
            for value in values {
                if used >= JSONIntegers.chunkLength { flush() }
                if first {
                    first = false
                } else {
                    chunk[used] = UInt8(ascii: ",")
                    used += 1
                }
                // Most integers sent in bulk (token positions, lengths, kinds) are small.
                if value >= 0 && value < 10 {
                    chunk[used] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: value)
                    used += 1
                    continue
                }
                if value >= 0 && value < 100 {
                    chunk[used] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: value / 10)
                    chunk[used + 1] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: value % 10)
                    used += 2
                    continue
                }
                if value < 0 {
                    chunk[used] = UInt8(ascii: "-")
                    used += 1
                }
                var magnitude = value.magnitude
                var digits = 1
                var scale: UInt64 = 10
                while magnitude >= scale {
                    digits += 1
                    if digits == 20 { break }
                    scale *= 10
                }
                var end = used + digits
                used = end
                repeat {
                    end -= 1
                    chunk[end] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: magnitude % 10)
                    magnitude /= 10
                } while magnitude > 0
            }
        }
        chunk[used] = UInt8(ascii: "]")
        used += 1
        flush()
        return !failed
    }
}
