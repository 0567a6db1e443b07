/// One instruction of a flat body: the table entry and its decoded, index-resolved immediates.
/// Blocks are not nested: `block` … `end` appear in sequence, as in the binary.
public struct Instruction: Hashable, Sendable {
    // Immediates first: the opcode then fits in the immediates' tail padding (24-byte stride, not 32).
    public var immediates: Immediates
    public var opcode: Opcode

    public init(_ opcode: Opcode, _ immediates: Immediates = .none) {
        self.opcode = opcode
        self.immediates = immediates
    }

    public static let end = Instruction(.end)
    public static let unreachable = Instruction(.unreachable)
}

/// The immediates of an instruction; which case is used follows the table's `ImmediateKind`:
///
/// | kind | case |
/// |---|---|
/// | none, zeroByte | `.none` |
/// | blockType | `.blockType` |
/// | label, function, type, local, global, table, memory, tag, data, element, lane | `.index` |
/// | typeAndTable, memoryPair, dataAndMemory, elementAndTable, tablePair, typeAndField, typeAndCount, typeAndData, typeAndElement, typePair, typeAndTag | `.indexPair` in binary order |
/// | labelTable | `.labelTable` |
/// | memArg | `.memArg`; memArgLane | `.memArgLane` |
/// | i32, i64 | `.i32`, `.i64`; f32, f64 | `.f32`, `.f64` as raw bits |
/// | v128, shuffle | `.v128` (sixteen bytes, little-endian lanes / lane indices) |
/// | heapType | `.heapType`; castType | `.refType` |
/// | branchOnCast | `.branchOnCast`; selectTypes | `.selectTypes`; tryTable | `.tryTable` |
/// | resumeTable, resumeThrowTable | `.resume` |
public enum Immediates: Hashable, Sendable {
    case none
    case index(UInt32)
    case indexPair(UInt32, UInt32)
    case blockType(BlockType)
    /// The targets, then the default target.
    case labelTable([UInt32], default: UInt32)
    case memArg(MemArg)
    case memArgLane(MemArg, lane: UInt8)
    case i32(Int32)
    case i64(Int64)
    /// The IEEE bits, so NaN payloads survive.
    case f32(UInt32)
    /// The IEEE bits, so NaN payloads survive.
    case f64(UInt64)
    case v128(V128)
    case heapType(HeapType)
    case refType(RefType)
    indirect case branchOnCast(label: UInt32, from: RefType, to: RefType)
    /// nil: untyped `select` (`0x1b`); a list, even empty: `select (result ...)` (`0x1c`).
    case selectTypes([ValueType]?)
    indirect case tryTable(BlockType, [Catch])
    /// `resume` (no tag) and `resume_throw` (the tag thrown): the continuation type and handlers.
    indirect case resume(type: UInt32, tag: UInt32?, handlers: [ResumeHandler])
}

/// The type of a block: no values, one result, or a function type index.
public enum BlockType: Hashable, Sendable {
    case empty
    case value(ValueType)
    case type(UInt32)
}

/// A memory access argument.
public struct MemArg: Hashable, Sendable {
    public var memory: UInt32
    /// log2 of the alignment, as in the binary.
    public var alignLog2: UInt32
    public var offset: UInt64

    public init(memory: UInt32 = 0, alignLog2: UInt32, offset: UInt64 = 0) {
        self.memory = memory
        self.alignLog2 = alignLog2
        self.offset = offset
    }
}

/// Sixteen bytes of a `v128.const` or `i8x16.shuffle`, in memory (little-endian) order.
public struct V128: Hashable, Sendable {
    public var low: UInt64
    public var high: UInt64

    public init(low: UInt64, high: UInt64) {
        self.low = low
        self.high = high
    }

    public init(bytes: some Collection<UInt8>) {
        var low: UInt64 = 0
        var high: UInt64 = 0
        for (i, byte) in bytes.prefix(16).enumerated() {
            if i < 8 { low |= UInt64(byte) << (8 * UInt64(i)) } else { high |= UInt64(byte) << (8 * UInt64(i - 8)) }
        }
        self.init(low: low, high: high)
    }

    public var bytes: [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(16)
        for half in [low, high] {
            for shift in stride(from: UInt64(0), to: 64, by: 8) {
                result.append(UInt8(truncatingIfNeeded: half >> shift))
            }
        }
        return result
    }
}

/// One handler of a `resume` table: on a suspension with `tag`, branch to `label` (`(on $tag $l)`),
/// or, with no label, switch to the suspended continuation (`(on $tag switch)`).
public struct ResumeHandler: Hashable, Sendable {
    public var tag: UInt32
    public var label: UInt32?

    public init(tag: UInt32, label: UInt32?) {
        self.tag = tag
        self.label = label
    }
}

/// One clause of a `try_table` catch list.
public struct Catch: Hashable, Sendable {
    /// The clause kind, with its binary code as raw value.
    public enum Kind: UInt8, Hashable, Sendable {
        case `catch` = 0
        case catchRef = 1
        case catchAll = 2
        case catchAllRef = 3

        public var name: String {
            switch self {
            case .catch: "catch"
            case .catchRef: "catch_ref"
            case .catchAll: "catch_all"
            case .catchAllRef: "catch_all_ref"
            }
        }
    }

    public var kind: Kind
    /// The tag; nil for `catch_all` and `catch_all_ref`.
    public var tag: UInt32?
    public var label: UInt32

    public init(kind: Kind, tag: UInt32?, label: UInt32) {
        self.kind = kind
        self.tag = tag
        self.label = label
    }
}
