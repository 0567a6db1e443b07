/// An append-only byte buffer with the binary format's primitive encodings (minimal LEB128).
/// The bytes live in a buffer the writer owns (appends skip the copy-on-write checks of an array);
/// copies of a writer share it, so use one writer per output.
public struct ByteWriter: @unchecked Sendable {
    final class Storage {
        var pointer: UnsafeMutablePointer<UInt8>
        var count = 0
        var capacity: Int

        init(capacity: Int) {
            self.capacity = max(capacity, 64)
            pointer = .allocate(capacity: self.capacity)
        }

        func grow(toAtLeast needed: Int) {
            let newCapacity = max(needed, capacity * 2)
            let newPointer = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
            newPointer.update(from: pointer, count: count)
            pointer.deallocate()
            pointer = newPointer
            capacity = newCapacity
        }

        deinit {
            pointer.deallocate()
        }
    }

    let storage: Storage

    public init(capacity: Int = 1024) {
        storage = Storage(capacity: capacity)
    }

    /// A copy of the bytes written so far.
    public var bytes: [UInt8] { Array(UnsafeBufferPointer(start: storage.pointer, count: storage.count)) }

    @inline(__always)
    public var count: Int { storage.count }

    public mutating func reserveCapacity(_ capacity: Int) {
        if capacity > storage.capacity { storage.grow(toAtLeast: capacity) }
    }

    @inline(__always)
    public mutating func byte(_ value: UInt8) {
        let storage = self.storage
        if storage.count == storage.capacity { storage.grow(toAtLeast: storage.count + 1) }
        storage.pointer[storage.count] = value
        storage.count += 1
    }

    @inline(__always)
    public mutating func unsigned(_ value: UInt32) {
        unsigned64(UInt64(value))
    }

    @inline(__always)
    public mutating func unsigned(_ value: Int) {
        unsigned64(UInt64(value))
    }

    @inline(__always)
    public mutating func unsigned64(_ value: UInt64) {
        if value < 0x80 {
            byte(UInt8(value))
            return
        }
        var value = value
        while value >= 0x80 {
            byte(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        byte(UInt8(value))
    }

    public mutating func signed(_ value: Int64) {
        var value = value
        while true {
            let byte = UInt8(truncatingIfNeeded: value) & 0x7f
            value >>= 7
            if (value == 0 && byte & 0x40 == 0) || (value == -1 && byte & 0x40 != 0) {
                self.byte(byte)
                return
            }
            self.byte(byte | 0x80)
        }
    }

    public mutating func fixed32(_ value: UInt32) {
        for shift in stride(from: UInt32(0), to: 32, by: 8) { byte(UInt8(truncatingIfNeeded: value >> shift)) }
    }

    public mutating func fixed64(_ value: UInt64) {
        for shift in stride(from: UInt64(0), to: 64, by: 8) { byte(UInt8(truncatingIfNeeded: value >> shift)) }
    }

    public mutating func name(_ string: String) {
        var string = string
        string.withUTF8 { utf8 in
            unsigned(utf8.count)
            append(utf8)
        }
    }

    public mutating func append(_ data: [UInt8]) {
        data.withUnsafeBufferPointer { append($0) }
    }

    mutating func append(_ data: UnsafeBufferPointer<UInt8>) {
        guard let base = data.baseAddress, !data.isEmpty else { return }
        if storage.count + data.count > storage.capacity { storage.grow(toAtLeast: storage.count + data.count) }
        UnsafeMutableRawPointer(storage.pointer + storage.count).copyMemory(from: base, byteCount: data.count)
        storage.count += data.count
    }

    /// Inserts the minimal LEB128 of `size` at `position`, returning how many bytes were inserted.
    @discardableResult
    public mutating func insertSize(_ size: Int, at position: Int) -> Int {
        let length = Self.unsignedSize(UInt64(size))
        if storage.count + length > storage.capacity { storage.grow(toAtLeast: storage.count + length) }
        let start = storage.pointer + position
        UnsafeMutableRawPointer(start + length).copyMemory(from: start, byteCount: storage.count - position)
        var value = UInt64(size)
        for index in 0..<length {
            start[index] = UInt8(truncatingIfNeeded: value) & 0x7f | (index == length - 1 ? 0 : 0x80)
            value >>= 7
        }
        storage.count += length
        return length
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
