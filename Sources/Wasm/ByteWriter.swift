/// An append-only byte buffer with the binary format's primitive encodings (minimal LEB128).
public struct ByteWriter: Sendable {
    public var bytes: [UInt8] = []

    public init() {}

    @inline(__always)
    public var count: Int { bytes.count }

    @inline(__always)
    public mutating func byte(_ value: UInt8) {
        bytes.append(value)
    }

    @inline(__always)
    public mutating func unsigned(_ value: UInt32) {
        unsigned64(UInt64(value))
    }

    @inline(__always)
    public mutating func unsigned(_ value: Int) {
        unsigned64(UInt64(value))
    }

    public mutating func unsigned64(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    public mutating func signed(_ value: Int64) {
        var value = value
        while true {
            let byte = UInt8(truncatingIfNeeded: value) & 0x7f
            value >>= 7
            if (value == 0 && byte & 0x40 == 0) || (value == -1 && byte & 0x40 != 0) {
                bytes.append(byte)
                return
            }
            bytes.append(byte | 0x80)
        }
    }

    public mutating func fixed32(_ value: UInt32) {
        for shift in stride(from: UInt32(0), to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> shift)) }
    }

    public mutating func fixed64(_ value: UInt64) {
        for shift in stride(from: UInt64(0), to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> shift)) }
    }

    public mutating func name(_ string: String) {
        var string = string
        string.withUTF8 { utf8 in
            unsigned(utf8.count)
            bytes.append(contentsOf: utf8)
        }
    }

    public mutating func append(_ data: [UInt8]) {
        bytes.append(contentsOf: data)
    }

    /// Inserts the minimal LEB128 of `size` at `position`, returning how many bytes were inserted.
    @discardableResult
    public mutating func insertSize(_ size: Int, at position: Int) -> Int {
        var encoded = ByteWriter()
        encoded.unsigned(size)
        bytes.insert(contentsOf: encoded.bytes, at: position)
        return encoded.count
    }

    /// The number of bytes of the minimal unsigned LEB128 of `value`.
    public static func unsignedSize(_ value: UInt64) -> Int {
        var value = value
        var count = 1
        while value >= 0x80 {
            value >>= 7
            count += 1
        }
        return count
    }
}
