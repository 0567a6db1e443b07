extension Opcode {
    /// The table row of this instruction.
    @inlinable
    public var info: InstructionInfo { InstructionTable.entries[Int(rawValue)] }

    /// The text name, e.g. `i32.add`.
    public var name: String { info.name }

    /// The instruction with this text name.
    public init?(name: some StringProtocol) {
        guard let opcode = OpcodeIndex.shared.byName[String(name)] else { return nil }
        self = opcode
    }

    /// The instruction with this single-byte opcode.
    @inlinable
    public init?(byte: UInt8) {
        let raw = OpcodeIndex.shared.singleByte[Int(byte)]
        guard raw != OpcodeIndex.missing else { return nil }
        self.init(rawValue: raw)
    }

    /// The instruction with this prefix byte and sub-opcode. The second encodings of `ref.test`,
    /// `ref.cast` (nullable) and `select` (typed, `0x1c`) map to the same instruction.
    @inlinable
    public init?(prefix: UInt8, code: UInt32) {
        let index = OpcodeIndex.shared
        let table: [UInt16]
        switch prefix {
        case 0xfb: table = index.gcPrefix
        case 0xfc: table = index.miscPrefix
        case 0xfd: table = index.simdPrefix
        case 0xfe: table = index.atomicPrefix
        default: return nil
        }
        guard code < table.count, table[Int(code)] != OpcodeIndex.missing else { return nil }
        self.init(rawValue: table[Int(code)])
    }
}

/// Reverse lookups of the instruction table, built once from it.
public struct OpcodeIndex: Sendable {
    public static let missing = UInt16.max
    public static let shared = OpcodeIndex()

    public let byName: [String: Opcode]
    public let singleByte: [UInt16]
    public let gcPrefix: [UInt16]
    public let miscPrefix: [UInt16]
    public let simdPrefix: [UInt16]
    public let atomicPrefix: [UInt16]

    init() {
        var byName: [String: Opcode] = [:]
        var single = [UInt16](repeating: Self.missing, count: 256)
        var prefixed: [UInt8: [UInt16]] = [:]
        for entry in InstructionTable.entries {
            byName[entry.name] = entry.opcode
            var codes = [entry.code]
            if entry.immediates == .castType || entry.immediates == .selectTypes { codes.append(entry.code + 1) }
            for code in codes {
                if let prefix = entry.prefix {
                    var table = prefixed[prefix] ?? []
                    if table.count <= Int(code) {
                        table.append(contentsOf: repeatElement(Self.missing, count: Int(code) + 1 - table.count))
                    }
                    table[Int(code)] = entry.opcode.rawValue
                    prefixed[prefix] = table
                } else {
                    single[Int(code)] = entry.opcode.rawValue
                }
            }
        }
        self.byName = byName
        self.singleByte = single
        self.gcPrefix = prefixed[0xfb] ?? []
        self.miscPrefix = prefixed[0xfc] ?? []
        self.simdPrefix = prefixed[0xfd] ?? []
        self.atomicPrefix = prefixed[0xfe] ?? []
    }
}
