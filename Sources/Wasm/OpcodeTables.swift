/// The instruction table's columns that the decoder and encoder read per instruction, as plain
/// buffers allocated once (no reference counting or lazy-initialisation checks in the hot loops).
/// Built from `InstructionTable.entries`; it is a view of that table, not a second list.
struct OpcodeTables: @unchecked Sendable {
    static let shared = OpcodeTables()

    /// Opcode raw value for each single byte, `OpcodeIndex.missing` when none.
    let singleByte: UnsafeBufferPointer<UInt16>
    /// Opcode raw values per sub-opcode for the prefixes 0xfb...0xfe (index `prefix - 0xfb`).
    let prefixed: UnsafeBufferPointer<UnsafeBufferPointer<UInt16>>
    let kinds: UnsafeBufferPointer<ImmediateKind>
    let structures: UnsafeBufferPointer<BlockStructure>
    let codes: UnsafeBufferPointer<UInt32>
    /// The prefix byte, or 0 for single-byte opcodes.
    let prefixes: UnsafeBufferPointer<UInt8>

    private init() {
        let index = OpcodeIndex.shared
        singleByte = Self.permanent(index.singleByte)
        prefixed = Self.permanent([
            Self.permanent(index.gcPrefix), Self.permanent(index.miscPrefix), Self.permanent(index.simdPrefix),
            Self.permanent(index.atomicPrefix),
        ])
        let entries = InstructionTable.entries
        kinds = Self.permanent(entries.map(\.immediates))
        structures = Self.permanent(entries.map(\.structure))
        codes = Self.permanent(entries.map(\.code))
        prefixes = Self.permanent(entries.map { $0.prefix ?? 0 })
    }

    private static func permanent<T>(_ values: [T]) -> UnsafeBufferPointer<T> {
        let buffer = UnsafeMutableBufferPointer<T>.allocate(capacity: max(values.count, 1))
        _ = buffer.initialize(from: values)
        return UnsafeBufferPointer(rebasing: buffer[0..<values.count])
    }

    @inline(__always)
    static func opcode(_ raw: UInt16) -> Opcode {
        unsafeBitCast(raw, to: Opcode.self)
    }
}
