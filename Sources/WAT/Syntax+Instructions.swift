import SourceText
import Wasm

/// A memory argument as written: `$mem? offset=N? align=N?`.
public struct MemArgSyntax: Sendable, Hashable {
    /// Boxed: most accesses name no memory, and the box keeps every instruction small.
    private var memoryBox: IndexBox?
    public var offset: UInt64 = 0
    /// log2 of the alignment plus one; zero for the natural alignment.
    private var alignCode: UInt8 = 0

    public init(memory: IndexSyntax? = nil, offset: UInt64 = 0, align: UInt64? = nil) {
        self.memoryBox = memory.map(IndexBox.init)
        self.offset = offset
        self.align = align
    }

    /// The memory written before the offset and alignment, if any.
    public var memory: IndexSyntax? {
        get { memoryBox?.index }
        set { memoryBox = newValue.map(IndexBox.init) }
    }

    /// The alignment in bytes as written (a power of two, which the parser checks), nil for the
    /// natural alignment.
    public var align: UInt64? {
        get { alignCode == 0 ? nil : 1 << UInt64(alignCode - 1) }
        set { alignCode = newValue.map { UInt8($0.trailingZeroBitCount) + 1 } ?? 0 }
    }

    public static func == (lhs: MemArgSyntax, rhs: MemArgSyntax) -> Bool {
        lhs.memory == rhs.memory && lhs.offset == rhs.offset && lhs.align == rhs.align
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(memory)
        hasher.combine(offset)
        hasher.combine(align)
    }
}

/// An immutable boxed index, to keep rarely present indices out of line.
final class IndexBox: Sendable {
    let index: IndexSyntax

    init(_ index: IndexSyntax) {
        self.index = index
    }
}

/// A block's label and type: `$label? (type $t)? (param …)* (result …)*`.
public struct BlockSyntax: Sendable, Hashable {
    public var label: Identifier?
    public var nameAnnotation: String?
    public var type: TypeUseSyntax
}

/// One clause of a `try_table` catch list.
public struct CatchSyntax: Sendable, Hashable {
    public var kind: Catch.Kind
    public var tag: IndexSyntax?
    public var label: IndexSyntax
    public var range: TextRange
}

/// The immediates of an instruction as written, before names become indices. The case follows
/// the instruction table's `ImmediateKind`; omitted optional indices are nil. Large, rarer payloads
/// are boxed (`indirect`) to keep the common instruction small.
public enum ImmediateSyntax: Sendable, Hashable {
    case none
    case index(IndexSyntax?)
    indirect case indexPair(IndexSyntax?, IndexSyntax?)
    indirect case count(IndexSyntax, UInt32)
    indirect case block(BlockSyntax)
    indirect case callIndirect(TypeUseSyntax, table: IndexSyntax?)
    case labelTable([IndexSyntax])
    case memArg(MemArgSyntax)
    case memArgLane(MemArgSyntax, lane: UInt8)
    case lane(UInt8)
    case i32(UInt32)
    case i64(UInt64)
    case f32(UInt32)
    case f64(UInt64)
    case v128(V128)
    case heapType(HeapTypeSyntax)
    case refType(RefTypeSyntax)
    indirect case branchOnCast(IndexSyntax, from: RefTypeSyntax, to: RefTypeSyntax)
    case selectTypes([ValueTypeSyntax]?)
    indirect case tryTable(BlockSyntax, [CatchSyntax])
    /// The optional label repeated after `end`, `else`, `catch`, `catch_all`.
    case endLabel(Identifier?)
}

/// One instruction in flat order (folded forms are unfolded as they are parsed). Kept at 32
/// bytes, since instructions are most of a parsed module's memory: the opcode fills the
/// immediates' padding and the range is stored as 32-bit offsets.
public struct InstructionSyntax: Sendable, Hashable {
    public var immediates: ImmediateSyntax
    public var opcode: Opcode
    private var compactRange: CompactRange

    public init(opcode: Opcode, immediates: ImmediateSyntax, range: TextRange) {
        self.immediates = immediates
        self.opcode = opcode
        self.compactRange = CompactRange(range)
    }

    public var range: TextRange {
        get { compactRange.range }
        set { compactRange = CompactRange(newValue) }
    }
}

/// A branch hint annotation attached to the instruction at `instructionIndex`.
public struct BranchHintSyntax: Sendable, Hashable {
    public var instructionIndex: Int
    public var value: UInt8
    public var range: TextRange
}

/// A sequence of instructions (a function body, an initializer, an offset).
public struct ExpressionSyntax: Sendable, Hashable {
    public var instructions: [InstructionSyntax] = []
    public var branchHints: [BranchHintSyntax] = []
    public var range: TextRange
    /// True when a syntax error was found inside; such a body is encoded as a placeholder.
    public var hasErrors = false
}
