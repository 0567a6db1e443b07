import SourceText

/// An SSA value, written `v<number>`.
public struct Value: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var number: UInt32
    public init(_ number: UInt32) { self.number = number }
    public static func < (lhs: Value, rhs: Value) -> Bool { lhs.number < rhs.number }
    public var description: String { "v\(number)" }
}

/// A basic block, written `block<number>`.
public struct Block: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var number: UInt32
    public init(_ number: UInt32) { self.number = number }
    public static func < (lhs: Block, rhs: Block) -> Bool { lhs.number < rhs.number }
    public var description: String { "block\(number)" }
}

/// The kinds of numbered entities a function declares or references.
public enum EntityKind: UInt8, Hashable, Sendable {
    case value, block, stackSlot, dynamicStackSlot, dynamicType, globalValue, region, signature,
         functionRef, constant, exceptionTag, tryCallReturn, tryCallException

    /// The text before the number (`gv` in `gv3`).
    public var prefix: String {
        switch self {
        case .value: "v"
        case .block: "block"
        case .stackSlot: "ss"
        case .dynamicStackSlot: "dss"
        case .dynamicType: "dt"
        case .globalValue: "gv"
        case .region: "region"
        case .signature: "sig"
        case .functionRef: "fn"
        case .constant: "const"
        case .exceptionTag: "tag"
        case .tryCallReturn: "ret"
        case .tryCallException: "exn"
        }
    }
}

/// A numbered entity such as `gv3` or `block2`.
public struct EntityRef: Hashable, Sendable, CustomStringConvertible {
    public var kind: EntityKind
    public var number: UInt32
    public init(_ kind: EntityKind, _ number: UInt32) {
        self.kind = kind
        self.number = number
    }
    public var description: String { kind.prefix + String(number) }
}

/// One place in the text where an entity is defined or used: what hover, go-to-definition and
/// references read. Stored in 16 bytes because a function holds several per instruction.
public struct EntityMention: Hashable, Sendable {
    private var start: UInt32
    private var length: UInt32
    private var number: UInt32
    private var kind: EntityKind
    public var isDefinition: Bool

    public init(entity: EntityRef, range: TextRange, isDefinition: Bool) {
        self.start = UInt32(truncatingIfNeeded: range.start)
        self.length = UInt32(truncatingIfNeeded: range.length)
        self.number = entity.number
        self.kind = entity.kind
        self.isDefinition = isDefinition
    }

    public var entity: EntityRef { EntityRef(kind, number) }
    public var range: TextRange { TextRange(start: Int(start), end: Int(start) + Int(length)) }
}

/// The thing a comment or a verifier error belongs to, as Cranelift's `AnyEntity` names it.
public enum EntityLocation: Hashable, Sendable, CustomStringConvertible {
    case function
    case entity(EntityRef)
    case stackLimit
    /// An instruction, by block index in layout order and index within the block.
    case instruction(block: Int, index: Int)

    public var description: String {
        switch self {
        case .function: "function"
        case .entity(let entity): entity.description
        case .stackLimit: "stack_limit"
        case .instruction(let block, let index): "inst(\(block):\(index))"
        }
    }
}
