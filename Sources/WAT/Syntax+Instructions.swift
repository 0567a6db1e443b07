import SourceText
import Wasm

/// A memory argument as written: `$mem? offset=N? align=N?`.
public struct MemArgSyntax: Sendable, Hashable {
    public var memory: IndexSyntax?
    public var offset: UInt64 = 0
    /// The alignment in bytes as written, nil for the natural alignment.
    public var align: UInt64?
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
/// the instruction table's `ImmediateKind`; omitted optional indices are nil.
public enum ImmediateSyntax: Sendable, Hashable {
    case none
    case index(IndexSyntax?)
    case indexPair(IndexSyntax?, IndexSyntax?)
    case count(IndexSyntax, UInt32)
    case block(BlockSyntax)
    case callIndirect(TypeUseSyntax, table: IndexSyntax?)
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

/// One instruction in flat order (folded forms are unfolded as they are parsed).
public struct InstructionSyntax: Sendable, Hashable {
    public var opcode: Opcode
    public var immediates: ImmediateSyntax
    public var range: TextRange
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
