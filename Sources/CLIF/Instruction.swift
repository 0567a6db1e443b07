import SourceText

/// An argument passed along a control-flow edge.
public enum BlockArg: Hashable, Sendable, CustomStringConvertible {
    case value(Value)
    /// `retN`: the N-th return value of the `try_call` ending the block.
    case tryCallReturn(UInt32)
    /// `exnN`: the N-th exception payload of the `try_call` ending the block.
    case tryCallException(UInt32)

    public var description: String {
        switch self {
        case .value(let value): value.description
        case .tryCallReturn(let index): "ret\(index)"
        case .tryCallException(let index): "exn\(index)"
        }
    }
}

/// A branch target with its arguments: `block3(v1, v2)`.
public struct BlockCall: Hashable, Sendable, CustomStringConvertible {
    public var block: Block
    public var arguments: [BlockArg]
    public init(_ block: Block, _ arguments: [BlockArg] = []) {
        self.block = block
        self.arguments = arguments
    }
    public var description: String {
        arguments.isEmpty ? block.description : block.description + "(" + arguments.map(\.description).joined(separator: ", ") + ")"
    }
}

/// One entry after the normal-return target of a `try_call`'s exception table. `tag` and
/// `default` entries take the next destination in order.
public enum ExceptionTableItem: Hashable, Sendable {
    case tag(UInt32)
    case `default`
    case context(Value)
}

/// A stack-map entry attached to a call: `i32 @ ss0+4`.
public struct StackMapEntry: Hashable, Sendable {
    public var type: CLIFType
    public var slot: UInt32
    public var offset: UInt32
    public init(type: CLIFType, slot: UInt32, offset: UInt32) {
        self.type = type
        self.slot = slot
        self.offset = offset
    }
}

/// A debug tag written `<1, ss0>` before an instruction.
public enum DebugTag: Hashable, Sendable, CustomStringConvertible {
    case user(UInt32)
    case stackSlot(UInt32)
    public var description: String {
        switch self {
        case .user(let value): String(value)
        case .stackSlot(let slot): "ss\(slot)"
        }
    }
}

/// The 16 lane-selector bytes of a `shuffle`, stored inline.
public struct ShuffleMask: Hashable, Sendable {
    public var low: UInt64
    public var high: UInt64

    /// From 16 bytes, least significant first.
    public init(bytes: [UInt8]) {
        var low: UInt64 = 0
        var high: UInt64 = 0
        for (index, byte) in bytes.prefix(16).enumerated() {
            if index < 8 { low |= UInt64(byte) << UInt64(8 * index) } else { high |= UInt64(byte) << UInt64(8 * (index - 8)) }
        }
        self.low = low
        self.high = high
    }

    /// The 16 bytes, least significant first.
    public var bytes: [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(16)
        for index in 0..<16 {
            let word: UInt64 = index < 8 ? low : high
            let shift = UInt64(8 * (index % 8))
            result.append(UInt8(truncatingIfNeeded: word >> shift))
        }
        return result
    }
}

/// The immediate operands of an instruction, by format. Plain data (no references), so
/// instructions copy and free cheaply.
public enum Immediates: Hashable, Sendable {
    case none
    case imm64(Int64)
    case ieee16(UInt16)
    case ieee32(UInt32)
    case ieee64(UInt64)
    /// A constant-pool entry (`vconst`, `f128const`).
    case constant(UInt32)
    case globalValue(UInt32)
    case uimm8(UInt8)
    /// The 16 mask bytes of a `shuffle`.
    case shuffleMask(ShuffleMask)
    case intCC(IntCC)
    case floatCC(FloatCC)
    case functionRef(UInt32)
    case signatureRef(UInt32)
    /// `try_call` (with its callee) and `try_call_indirect` (nil callee) and the signature of
    /// the exception table; the instruction's `exceptionItems` and destinations hold the rest.
    case exceptionTable(callee: UInt32?, signature: UInt32)
    case memory(MemFlags, offset: Int32)
    case atomicRmw(MemFlags, AtomicRmwOp)
    case stackSlot(UInt32, offset: Int32)
    case dynamicStackSlot(UInt32)
    case trapCode(TrapCode)
    case exceptionHandler(Block, index: Int64)
}

/// One CLIF instruction: what the parser reads and the translator builds.
public struct Instruction: Sendable {
    public var opcode: Opcode
    /// The controlling type (`.invalid` for non-polymorphic opcodes).
    public var controllingType: CLIFType
    public var results: ValueList
    /// Value operands: the fixed ones, then the value list (call arguments, return values).
    public var arguments: ValueList
    /// Branch targets: `jump` 1, `brif` then/else, `br_table` default then table,
    /// `try_call` normal return then handlers.
    public var destinations: [BlockCall]
    public var immediates: Immediates
    /// The `@xxxx` source location, if any.
    public var sourceLocation: UInt32?
    /// Debug tags, stack map and exception items, which few instructions have: kept out of line
    /// so that copying an instruction stays cheap.
    private var extras: InstructionExtras?

    public var debugTags: [DebugTag] {
        get { extras?.debugTags ?? [] }
        set { updateExtras { $0.debugTags = newValue } }
    }
    public var stackMap: [StackMapEntry] {
        get { extras?.stackMap ?? [] }
        set { updateExtras { $0.stackMap = newValue } }
    }
    /// The entries after the normal-return target of a `try_call`'s exception table.
    public var exceptionItems: [ExceptionTableItem] {
        get { extras?.exceptionItems ?? [] }
        set { updateExtras { $0.exceptionItems = newValue } }
    }

    /// Whether the instruction carries debug tags (without building an array).
    public var hasDebugTags: Bool { !(extras?.debugTags.isEmpty ?? true) }
    /// Whether the instruction has debug tags, a stack map or exception items.
    var hasExtras: Bool { extras != nil }

    private mutating func updateExtras(_ change: (inout InstructionExtras.Storage) -> Void) {
        var storage = extras?.storage ?? InstructionExtras.Storage()
        change(&storage)
        extras = storage.isEmpty ? nil : InstructionExtras(storage)
    }
    /// The instruction's text (without the source location prefix and comments); nil when built in code.
    public var range: TextRange?
    public var opcodeRange: TextRange?
    /// Indices into the function's `mentions` covering this instruction.
    public var mentions: Range<Int>

    public init(opcode: Opcode, controllingType: CLIFType = .invalid, results: ValueList = [], arguments: ValueList = [],
                destinations: [BlockCall] = [], immediates: Immediates = .none, sourceLocation: UInt32? = nil,
                debugTags: [DebugTag] = [], stackMap: [StackMapEntry] = [], exceptionItems: [ExceptionTableItem] = [],
                range: TextRange? = nil,
                opcodeRange: TextRange? = nil, mentions: Range<Int> = 0..<0) {
        self.opcode = opcode
        self.controllingType = controllingType
        self.results = results
        self.arguments = arguments
        self.destinations = destinations
        self.immediates = immediates
        self.sourceLocation = sourceLocation
        if !debugTags.isEmpty || !stackMap.isEmpty || !exceptionItems.isEmpty {
            extras = InstructionExtras(InstructionExtras.Storage(debugTags: debugTags, stackMap: stackMap, exceptionItems: exceptionItems))
        }
        self.range = range
        self.opcodeRange = opcodeRange
        self.mentions = mentions
    }

    /// Every value the instruction reads: arguments, branch arguments, exception contexts.
    public var usedValues: [Value] {
        var values = Array(arguments)
        for destination in destinations {
            for case .value(let value) in destination.arguments { values.append(value) }
        }
        for case .context(let value) in exceptionItems { values.append(value) }
        return values
    }
}

/// The rarely present parts of an instruction, shared immutably between copies.
final class InstructionExtras: Sendable {
    struct Storage: Sendable {
        var debugTags: [DebugTag] = []
        var stackMap: [StackMapEntry] = []
        var exceptionItems: [ExceptionTableItem] = []
        var isEmpty: Bool { debugTags.isEmpty && stackMap.isEmpty && exceptionItems.isEmpty }
    }
    let storage: Storage
    init(_ storage: Storage) { self.storage = storage }
    var debugTags: [DebugTag] { storage.debugTags }
    var stackMap: [StackMapEntry] { storage.stackMap }
    var exceptionItems: [ExceptionTableItem] { storage.exceptionItems }
}

/// A block parameter `v3: i32`.
public struct BlockParam: Hashable, Sendable {
    public var value: Value
    public var type: CLIFType
    public var range: TextRange?
    public init(value: Value, type: CLIFType, range: TextRange? = nil) {
        self.value = value
        self.type = type
        self.range = range
    }
}

/// A block in layout order with its parameters and instructions.
public struct BlockData: Sendable {
    public var block: Block
    public var params: [BlockParam]
    public var isCold: Bool
    public var instructions: [Instruction]
    /// The header line up to and including its colon.
    public var headerRange: TextRange?
    public var nameRange: TextRange?

    public init(block: Block, params: [BlockParam] = [], isCold: Bool = false, instructions: [Instruction] = [],
                headerRange: TextRange? = nil, nameRange: TextRange? = nil) {
        self.block = block
        self.params = params
        self.isCold = isCold
        self.instructions = instructions
        self.headerRange = headerRange
        self.nameRange = nameRange
    }
}

/// `v7 -> v3`: `alias` names the same value as `target`.
public struct ValueAlias: Hashable, Sendable {
    public var alias: Value
    public var target: Value
    public var range: TextRange?
    public init(alias: Value, target: Value, range: TextRange? = nil) {
        self.alias = alias
        self.target = target
        self.range = range
    }
}
