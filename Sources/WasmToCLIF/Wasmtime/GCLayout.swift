import Wasm

/// Where the pieces of a GC struct sit under Wasmtime 49's default collector (the copying
/// collector): every field at its natural alignment after the 16-byte header, the whole object
/// rounded up to 16 bytes.
struct GCStructLayout: Sendable, Hashable {
    /// The object size in bytes, header included.
    var size: UInt32
    /// The byte offset of each field from the start of the object.
    var fieldOffsets: [UInt32]
    /// The header's reserved bits: the collector's inline trace information.
    var reservedBits: UInt32
}

/// Where the pieces of a GC array sit: the header, the 32-bit length, then the elements.
struct GCArrayLayout: Sendable, Hashable {
    /// The size of an empty array, which is also the offset of its first element.
    var baseSize: UInt32
    var elementSize: UInt32
    var elementsAreGCReferences: Bool
    /// The header's reserved bits: the collector's inline trace information.
    var reservedBits: UInt32
}

/// The copying collector's object layout (`CopyingTypeLayouts` and `InlineTraceInfo` in
/// Wasmtime's `gc/copying.rs`).
enum GCLayout {
    static let headerSize: UInt32 = 16
    static let alignment: UInt32 = 16
    static let arrayLengthOffset: UInt32 = 16
    static let kindOffset: Int32 = 0
    static let typeIndexOffset: Int32 = 4
    /// The `object_size` field right after the common 8-byte header.
    static let objectSizeOffset: Int32 = 8
    /// Room for the forwarding reference the collector writes while copying.
    static let minimumObjectSize: UInt32 = headerSize + 4

    static let structKind: UInt32 = 0xB000_0000
    static let arrayKind: UInt32 = 0xA800_0000

    private static let inlineBit: UInt32 = 1 << 1
    private static let arrayBit: UInt32 = 1 << 2
    private static let elementsAreReferencesBit: UInt32 = 1 << 3
    private static let bitmapShift: UInt32 = 3
    private static let bitmapSlots: UInt32 = 23

    /// Bytes a value of this storage type takes inside a GC object.
    static func byteSize(_ storage: StorageType) -> UInt32 {
        switch storage {
        case .i8: 1
        case .i16: 2
        case .value(let type):
            switch type {
            case .i32, .f32, .ref: 4
            case .i64, .f64: 8
            case .v128: 16
            }
        }
    }

    /// The layout of a struct with these fields; `traced` says whether a field holds a GC
    /// reference the collector follows (any, extern or exn hierarchy, not `i31`).
    static func structLayout(_ fields: [FieldType], traced: (StorageType) -> Bool) -> GCStructLayout {
        var size = headerSize
        var offsets: [UInt32] = []
        offsets.reserveCapacity(fields.count)
        var bitmap: UInt32 = 0
        var inline = true
        for field in fields {
            let bytes = byteSize(field.storage)
            size = (size + bytes - 1) & ~(bytes - 1)
            offsets.append(size)
            if traced(field.storage) {
                let slot = (size - headerSize) / 4
                if slot < bitmapSlots { bitmap |= 1 << slot } else { inline = false }
            }
            size += bytes
        }
        size = max(size, minimumObjectSize)
        size = (size + alignment - 1) & ~(alignment - 1)
        let reserved = inline ? inlineBit | bitmap << bitmapShift : 0
        return GCStructLayout(size: size, fieldOffsets: offsets, reservedBits: reserved)
    }

    /// The layout of an array of elements of this storage type.
    static func arrayLayout(_ element: StorageType, traced: Bool) -> GCArrayLayout {
        let bytes = byteSize(element)
        let afterLength = arrayLengthOffset + 4
        let base = (afterLength + bytes - 1) & ~(bytes - 1)
        let reserved = inlineBit | arrayBit | (traced ? elementsAreReferencesBit : 0)
        return GCArrayLayout(baseSize: base, elementSize: bytes, elementsAreGCReferences: traced, reservedBits: reserved)
    }
}
