/// One row of the instruction table.
public struct InstructionInfo: Sendable {
    public let opcode: Opcode
    /// The text-format name, e.g. `i32.add`.
    public let name: String
    /// The prefix byte (`0xfb`, `0xfc`, `0xfd`, `0xfe`), or nil for single-byte opcodes.
    public let prefix: UInt8?
    /// The opcode byte, or the LEB128 sub-opcode after `prefix`.
    public let code: UInt32
    /// The layout of the immediates that follow the opcode.
    public let immediates: ImmediateKind
    /// The proposal that introduced the instruction.
    public let proposal: Proposal
    /// How the instruction takes part in block structure.
    public let structure: BlockStructure

    init(
        _ opcode: Opcode, _ name: String, _ code: UInt8, _ immediates: ImmediateKind = .none,
        _ proposal: Proposal = .mvp, structure: BlockStructure = .none
    ) {
        self.opcode = opcode
        self.name = name
        self.prefix = nil
        self.code = UInt32(code)
        self.immediates = immediates
        self.proposal = proposal
        self.structure = structure
    }

    init(
        _ opcode: Opcode, _ name: String, prefix: UInt8, _ code: UInt32, _ immediates: ImmediateKind = .none,
        _ proposal: Proposal = .mvp, structure: BlockStructure = .none
    ) {
        self.opcode = opcode
        self.name = name
        self.prefix = prefix
        self.code = code
        self.immediates = immediates
        self.proposal = proposal
        self.structure = structure
    }

    /// The natural alignment (log2 of bytes) of a memory access, or nil for other instructions.
    public var naturalAlignmentLog2: UInt32? {
        switch immediates {
        case .memArg(let bytes), .memArgLane(let bytes):
            UInt32(bytes.trailingZeroBitCount)
        default:
            nil
        }
    }
}

/// The immediates an instruction carries, in binary order. Indices are resolved `UInt32`s.
public enum ImmediateKind: Hashable, Sendable {
    case none
    /// `block`, `loop`, `if`, `try`: a block type.
    case blockType
    /// A label depth (`br`, `br_if`, `br_on_null`, `rethrow`, `delegate`, ...).
    case label
    /// `br_table`: label depths and the default label.
    case labelTable
    case function
    case type
    case local
    case global
    case table
    case memory
    case tag
    case data
    case element
    /// `call_indirect`: type index, then table index.
    case typeAndTable
    /// `memory.copy`: destination memory, then source memory.
    case memoryPair
    /// `memory.init`: data index, then memory index.
    case dataAndMemory
    /// `table.init`: element index, then table index.
    case elementAndTable
    /// `table.copy`: destination table, then source table.
    case tablePair
    /// `struct.get` and friends: type index, then field index.
    case typeAndField
    /// `array.new_fixed`: type index, then element count.
    case typeAndCount
    /// `array.new_data`, `array.init_data`: type index, then data index.
    case typeAndData
    /// `array.new_elem`, `array.init_elem`: type index, then element index.
    case typeAndElement
    /// `array.copy`: destination type, then source type.
    case typePair
    /// A memory argument; the associated value is the natural alignment in bytes.
    case memArg(naturalAlignment: UInt32)
    /// A memory argument and a lane index (`v128.load8_lane`, ...).
    case memArgLane(naturalAlignment: UInt32)
    /// A lane index byte.
    case lane
    case i32
    case i64
    case f32
    case f64
    case v128
    /// `i8x16.shuffle`: sixteen lane index bytes.
    case shuffle
    /// `ref.null`: a heap type.
    case heapType
    /// `ref.test`, `ref.cast`: a reference type whose nullability picks the opcode (`code` or `code + 1`).
    case castType
    /// `br_on_cast`, `br_on_cast_fail`: a flags byte, a label and two reference types.
    case branchOnCast
    /// `select`: no types (`0x1b`) or a type vector (`0x1c`).
    case selectTypes
    /// `try_table`: a block type and a catch list.
    case tryTable
    /// `atomic.fence`: one reserved zero byte.
    case zeroByte
    /// `switch`: continuation type index, then tag index.
    case typeAndTag
    /// `resume`, `resume_throw_ref`: continuation type index and a handler table.
    case resumeTable
    /// `resume_throw`: continuation type index, tag index and a handler table.
    case resumeThrowTable
}

/// The proposal an instruction comes from (MVP for the original set).
public enum Proposal: Hashable, Sendable {
    case mvp
    case signExtension
    case saturatingConversions
    case bulkMemory
    case referenceTypes
    case simd
    case relaxedSimd
    case tailCall
    case exceptions
    case legacyExceptions
    case threads
    case functionReferences
    case gc
    case wideArithmetic
    case customDescriptors
    case stackSwitching
}

/// The part an instruction plays in block structure.
public enum BlockStructure: Hashable, Sendable {
    case none
    /// `block`, `loop`, `if`, `try`, `try_table`.
    case opensBlock
    /// `else`, `catch`, `catch_all`: end one arm and start the next.
    case continuesBlock
    /// `end`, `delegate`.
    case closesBlock
}
