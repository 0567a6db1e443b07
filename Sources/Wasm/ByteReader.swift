/// A cursor over the bytes of a binary with the format's primitive decodings. Every read checks
/// bounds against `limit` (the end of the current section or body) and throws `DecodeError`.
struct ByteReader {
    let base: UnsafeBufferPointer<UInt8>
    var position: Int
    var limit: Int
    let tables = OpcodeTables.shared
    /// Set when an instruction with a data index (`memory.init`, `data.drop`, `array.new_data`,
    /// `array.init_data`) was read; these are the instructions that need the data-count section.
    var sawDataIndex = false

    init(_ base: UnsafeBufferPointer<UInt8>) {
        self.base = base
        self.position = 0
        self.limit = base.count
    }

    var atEnd: Bool { position >= limit }

    func error(_ message: String, at offset: Int? = nil) -> DecodeError {
        DecodeError(message, at: offset ?? position)
    }

    @inline(__always)
    mutating func byte() throws(DecodeError) -> UInt8 {
        guard position < limit else { throw error(position < base.count ? "unexpected end of section or function" : "unexpected end") }
        let value = base[position]
        position += 1
        return value
    }

    @inline(__always)
    func peek() throws(DecodeError) -> UInt8 {
        guard position < limit else { throw error(position < base.count ? "unexpected end of section or function" : "unexpected end") }
        return base[position]
    }

    @inline(__always)
    mutating func u32() throws(DecodeError) -> UInt32 {
        if let value = shortUnsigned() { return UInt32(value) }
        return UInt32(truncatingIfNeeded: try unsignedSlow(bits: 32))
    }

    @inline(__always)
    mutating func u64() throws(DecodeError) -> UInt64 {
        if let value = shortUnsigned() { return UInt64(value) }
        return try unsignedSlow(bits: 64)
    }

    /// The one- and two-byte LEB128 forms, which are most immediates and need no range checks;
    /// nil (nothing consumed) for anything else.
    @inline(__always)
    mutating func shortUnsigned() -> UInt16? {
        guard position < limit else { return nil }
        let first = base[position]
        if first < 0x80 {
            position += 1
            return UInt16(first)
        }
        guard position + 1 < limit else { return nil }
        let second = base[position + 1]
        guard second < 0x80 else { return nil }
        position += 2
        return UInt16(first & 0x7f) | UInt16(second) << 7
    }

    /// The one- and two-byte signed LEB128 forms, sign-extended; nil (nothing consumed) otherwise.
    @inline(__always)
    mutating func shortSigned() -> Int64? {
        guard position < limit else { return nil }
        let first = base[position]
        if first < 0x80 {
            position += 1
            // Seven bits: move bit 6 to the sign and shift back.
            return Int64(Int8(bitPattern: first << 1) >> 1)
        }
        guard position + 1 < limit else { return nil }
        let second = base[position + 1]
        guard second < 0x80 else { return nil }
        position += 2
        let raw = UInt16(first & 0x7f) | UInt16(second) << 7
        return Int64(Int16(bitPattern: raw << 2) >> 2)
    }

    mutating func unsignedSlow(bits: Int) throws(DecodeError) -> UInt64 {
        let maxBytes = (bits + 6) / 7
        var result: UInt64 = 0
        var shift: UInt64 = 0
        var count = 0
        while true {
            let current = try byte()
            count += 1
            result |= UInt64(current & 0x7f) << shift
            if count == maxBytes {
                if current & 0x80 != 0 { throw error("integer representation too long", at: position - 1) }
                let meaningful = bits - 7 * (maxBytes - 1)
                if meaningful < 7, current & (0x7f << UInt8(meaningful)) & 0x7f != 0 {
                    throw error("integer too large", at: position - 1)
                }
                return result
            }
            if current & 0x80 == 0 { return result }
            shift += 7
        }
    }

    mutating func signed(bits: Int) throws(DecodeError) -> Int64 {
        let maxBytes = (bits + 6) / 7
        var result: Int64 = 0
        var shift: Int64 = 0
        var count = 0
        while true {
            let current = try byte()
            count += 1
            result |= Int64(current & 0x7f) << shift
            shift += 7
            if count == maxBytes {
                if current & 0x80 != 0 { throw error("integer representation too long", at: position - 1) }
                let meaningful = bits - 7 * (maxBytes - 1)
                let mask = (UInt8(0x7f) >> UInt8(meaningful - 1)) << UInt8(meaningful - 1)
                let high = current & mask
                if high != 0 && high != mask { throw error("integer too large", at: position - 1) }
            } else if current & 0x80 != 0 {
                continue
            }
            if shift < 64 && current & 0x40 != 0 { result |= -1 << shift }
            return result
        }
    }

    @inline(__always)
    mutating func s32() throws(DecodeError) -> Int32 {
        if let value = shortSigned() { return Int32(truncatingIfNeeded: value) }
        return Int32(truncatingIfNeeded: try signed(bits: 32))
    }

    @inline(__always)
    mutating func s64() throws(DecodeError) -> Int64 {
        if let value = shortSigned() { return value }
        return try signed(bits: 64)
    }

    mutating func fixed32() throws(DecodeError) -> UInt32 {
        guard limit - position >= 4 else { position = limit; throw error("unexpected end") }
        var value: UInt32 = 0
        for i in 0..<4 { value |= UInt32(base[position + i]) << (8 * UInt32(i)) }
        position += 4
        return value
    }

    mutating func fixed64() throws(DecodeError) -> UInt64 {
        guard limit - position >= 8 else { position = limit; throw error("unexpected end") }
        var value: UInt64 = 0
        for i in 0..<8 { value |= UInt64(base[position + i]) << (8 * UInt64(i)) }
        position += 8
        return value
    }

    mutating func bytes(_ count: Int) throws(DecodeError) -> [UInt8] {
        guard count <= limit - position else { throw error(limit < base.count ? "unexpected end of section or function" : "unexpected end") }
        let result = Array(base[position..<(position + count)])
        position += count
        return result
    }

    /// A length-prefixed UTF-8 name.
    mutating func name() throws(DecodeError) -> String {
        let start = position
        let length = Int(try u32())
        guard length <= limit - position else { throw error("length out of bounds", at: start) }
        let slice = UnsafeBufferPointer(rebasing: base[position..<(position + length)])
        guard let string = String(validating: slice, as: UTF8.self) else {
            throw error("malformed UTF-8 encoding", at: position)
        }
        position += length
        return string
    }

    /// A vector length, checked against the bytes left (every element takes at least one byte).
    mutating func count() throws(DecodeError) -> Int {
        let start = position
        let value = Int(try u32())
        guard value <= limit - position else { throw error("length out of bounds", at: start) }
        return value
    }
}
