#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How one value operand or result of an opcode relates to the instruction's controlling type.
public enum OperandConstraint: Hashable, Sendable {
    /// Exactly the controlling type.
    case same
    /// A fixed type, whatever the controlling type.
    case concrete(CLIFType)
    /// Any member of the set, independent of the controlling type.
    case free(TypeSet)
    case laneOf, asTruthy, halfWidth, doubleWidth, splitLanes, mergeLanes, dynamicToVector
    /// Same lane count and kind, strictly fewer bits per lane.
    case narrower
    /// Same lane count and kind, strictly more bits per lane.
    case wider
}

/// Behaviour flags of an opcode that the verifier and printer ask about.
public struct OpcodeProperties: OptionSet, Hashable, Sendable {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    public static let branch = OpcodeProperties(rawValue: 1 << 0)
    public static let `return` = OpcodeProperties(rawValue: 1 << 1)
    public static let terminatesBlock = OpcodeProperties(rawValue: 1 << 2)
    public static let call = OpcodeProperties(rawValue: 1 << 3)
    public static let canTrap = OpcodeProperties(rawValue: 1 << 4)
    public static let canLoad = OpcodeProperties(rawValue: 1 << 5)
    public static let canStore = OpcodeProperties(rawValue: 1 << 6)
    public static let otherSideEffects = OpcodeProperties(rawValue: 1 << 7)
}

/// One row of the opcode table: everything clifford knows about a CLIF opcode.
public final class OpcodeInfo: Sendable {
    public let name: String
    public let format: InstructionFormat
    /// Constraints of the fixed value operands, in written order.
    public let operands: [OperandConstraint]
    /// Whether a value list follows the fixed operands (calls, `return`).
    public let variadicOperands: Bool
    public let results: [OperandConstraint]
    /// Whether the results come from a signature (calls).
    public let variadicResults: Bool
    /// The types the controlling type variable may take; nil for non-polymorphic opcodes.
    public let controllingTypes: TypeSet?
    /// Whether the controlling type is read from the format's type-variable operand (so the
    /// `.type` suffix may be omitted); otherwise a polymorphic opcode requires the suffix.
    public let typeFromOperand: Bool
    public let properties: OpcodeProperties
    /// A one-line description for hover and completion.
    public let summary: String

    init(name: String, format: InstructionFormat, operands: [OperandConstraint], variadicOperands: Bool = false,
         results: [OperandConstraint], variadicResults: Bool = false, controllingTypes: TypeSet?,
         typeFromOperand: Bool, properties: OpcodeProperties, summary: String) {
        self.name = name
        self.format = format
        self.operands = operands
        self.variadicOperands = variadicOperands
        self.results = results
        self.variadicResults = variadicResults
        self.controllingTypes = controllingTypes
        self.typeFromOperand = typeFromOperand
        self.properties = properties
        self.summary = summary
    }

    public var isPolymorphic: Bool { controllingTypes != nil }
    public var isTerminator: Bool { !properties.isDisjoint(with: [.branch, .return, .terminatesBlock]) }

    /// Index among the value operands of the one that carries the controlling type.
    public var typeVariableOperand: Int {
        switch format {
        case .ternary: 1
        case .atomicCas: 2
        default: 0
        }
    }
}

/// A CLIF opcode: an index into `OpcodeTable.all`.
public struct Opcode: Hashable, Sendable, CustomStringConvertible {
    public let index: UInt8
    public init(index: UInt8) { self.index = index }

    public var info: OpcodeInfo { OpcodeTable.all[Int(index)] }
    public var name: String { info.name }
    public var format: InstructionFormat { info.format }
    public var description: String { info.name }

    /// The opcode named `name`, or nil.
    public init?(named name: String) {
        var bytes = Array(name.utf8)
        guard let opcode = bytes.withUnsafeMutableBufferPointer({ Opcode(utf8: UnsafeBufferPointer($0)) }) else { return nil }
        self = opcode
    }

    /// The opcode spelled by `bytes`, found without building a String (the parser's hot path).
    init?(utf8 bytes: UnsafeBufferPointer<UInt8>) {
        let mask = OpcodeTable.hashTableSize - 1
        var slot = OpcodeTable.hash(bytes) & mask
        while true {
            let entry = OpcodeTable.hashTable[slot]
            if entry == 0 { return nil }
            let candidate = OpcodeTable.nameBytes[Int(entry - 1)]
            if candidate.count == bytes.count && candidate.withUnsafeBufferPointer({ memcmp($0.baseAddress!, bytes.baseAddress!, bytes.count) == 0 }) {
                self.index = entry - 1
                return
            }
            slot = (slot + 1) & mask
        }
    }

    public static let allOpcodes: [Opcode] = (0..<OpcodeTable.all.count).map { Opcode(index: UInt8($0)) }
}

extension Opcode {
    /// Opcodes that passes single out by identity.
    public static let iconst = Opcode(named: "iconst")!
    public static let f128const = Opcode(named: "f128const")!
    public static let sequencePoint = Opcode(named: "sequence_point")!
    public static let getPinnedReg = Opcode(named: "get_pinned_reg")!
    public static let setPinnedReg = Opcode(named: "set_pinned_reg")!
    public static let getFramePointer = Opcode(named: "get_frame_pointer")!
    public static let getReturnAddress = Opcode(named: "get_return_address")!
    public static let bitcast = Opcode(named: "bitcast")!
    public static let store = Opcode(named: "store")!
    public static let istore8 = Opcode(named: "istore8")!
    public static let istore16 = Opcode(named: "istore16")!
    public static let istore32 = Opcode(named: "istore32")!
    public static let extractlane = Opcode(named: "extractlane")!
    public static let insertlane = Opcode(named: "insertlane")!
    public static let shuffle = Opcode(named: "shuffle")!
    public static let `return` = Opcode(named: "return")!
    public static let returnCall = Opcode(named: "return_call")!
    public static let returnCallIndirect = Opcode(named: "return_call_indirect")!
}
