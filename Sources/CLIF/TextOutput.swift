#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A growing UTF-8 byte buffer that the printer writes into: one allocation that doubles, no
/// uniqueness or copy-on-write checks per byte, and numbers written as digits directly.
struct TextOutput: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int = 4096) {
        self.capacity = max(capacity, 64)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    @inline(__always)
    private mutating func reserve(_ extra: Int) {
        if count + extra > capacity { grow(count + extra) }
    }

    private mutating func grow(_ needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.update(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        reserve(1)
        base[count] = byte
        count += 1
    }

    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        reserve(bytes.count)
        (base + count).update(from: source.assumingMemoryBound(to: UInt8.self), count: bytes.count)
        count += bytes.count
    }

    @inline(__always)
    mutating func append(_ text: StaticString) {
        append(UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { append(UnsafeRawBufferPointer($0)) }
    }

    mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { append($0) }
    }

    mutating func appendSpaces(_ n: Int) {
        guard n > 0 else { return }
        reserve(n)
        (base + count).initialize(repeating: 32, count: n)
        count += n
    }

    mutating func appendDecimal(_ value: UInt64) {
        if value < 10 {
            append(UInt8(truncatingIfNeeded: value) &+ 48)
            return
        }
        var digits = 1
        var limit: UInt64 = 10
        while digits < 20 && value >= limit {
            digits += 1
            limit = limit &* 10
        }
        reserve(digits)
        var position = count + digits
        var rest = value
        while position > count {
            position -= 1
            base[position] = UInt8(truncatingIfNeeded: rest % 10) &+ 48
            rest /= 10
        }
        count += digits
    }

    mutating func appendDecimal(_ value: Int64) {
        if value < 0 { append(UInt8(ascii: "-")) }
        appendDecimal(value.magnitude)
    }

    @inline(__always)
    mutating func appendDecimal(_ value: UInt32) { appendDecimal(UInt64(value)) }

    @inline(__always)
    mutating func appendDecimal(_ value: Int) { appendDecimal(Int64(value)) }

    /// Lowercase hexadecimal, left-padded with zeros to at least `minimumDigits`.
    mutating func appendHex(_ value: UInt64, minimumDigits: Int = 1) {
        let digits = max(minimumDigits, (64 - value.leadingZeroBitCount + 3) / 4)
        reserve(digits)
        var position = count + digits
        var rest = value
        while position > count {
            position -= 1
            let nibble = UInt8(truncatingIfNeeded: rest & 0xF)
            base[position] = nibble < 10 ? nibble &+ 48 : nibble &+ 87
            rest >>= 4
        }
        count += digits
    }

    /// The bytes from `start` on, as a String (they are valid UTF-8: only whole pieces are written).
    func string(from start: Int = 0) -> String {
        String(decoding: UnsafeBufferPointer(start: base + start, count: count - start), as: UTF8.self)
    }

    /// Drops everything written after `position`.
    mutating func truncate(to position: Int) {
        count = min(count, max(0, position))
    }

    func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: base, count: count))
    }
}
