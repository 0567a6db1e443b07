import CLIF
import Wasm

/// Every runtime-specific decision of the translator: calling convention, how globals, memories,
/// tables and calls reach the runtime's data structures, and how traps are raised. The translator
/// handles the Wasm operand stack, control flow and pure arithmetic; anything that touches the
/// runtime goes through these hooks. `WasmtimeEnvironment` reproduces Wasmtime 49; a custom runtime
/// implements its own. Hooks that return nil mean "not supported by this environment", which the
/// translator reports as a diagnostic on the instruction.
public protocol TranslationEnvironment {
    /// The module being translated.
    var info: ModuleInfo { get }
    /// The CLIF signature of a function of this Wasm type.
    func signature(of type: FunctionType) -> Signature
    /// The CLIF name of defined function `definedIndex`.
    func functionName(definedIndex: Int) -> FunctionName
    /// The CLIF type that holds values of a reference type.
    func referenceType(_ type: RefType) -> CLIFType
    /// Whether values of this Wasm type are references a moving collector must find and update on
    /// the stack, so they are spilled around calls and listed in stack maps; `includingBottom`
    /// also counts the uninhabited bottom types (as Wasmtime does for function parameters).
    func needsStackMap(_ type: ValueType, includingBottom: Bool) -> Bool
    /// Called before anything else of a function is built: declare preamble entities.
    mutating func beginFunction(_ builder: inout FunctionBuilder)
    /// Called after the locals are declared, before the first operator.
    mutating func beforeBody(_ builder: inout FunctionBuilder) throws(TranslationFailure)
    /// Called at each loop header.
    mutating func loopHeader(_ builder: inout FunctionBuilder) throws(TranslationFailure)
    /// Called before each `return` (explicit or at the end of the body).
    mutating func beforeReturn(_ builder: inout FunctionBuilder) throws(TranslationFailure)

    mutating func trap(_ builder: inout FunctionBuilder, _ code: TrapCode)
    /// Guards emitted before an integer division or remainder (signed: the overflow case too).
    mutating func guardDivision(_ builder: inout FunctionBuilder, signed: Bool, remainder: Bool, _ lhs: Value, _ rhs: Value)
    /// Guards emitted before a trapping float-to-int conversion.
    mutating func guardFloatToInt(_ builder: inout FunctionBuilder, _ type: CLIFType, _ value: Value, signed: Bool) throws(TranslationFailure)
    /// A float rounding operation (`ceil`, `floor`, `trunc`, `nearest`).
    mutating func round(_ builder: inout FunctionBuilder, _ opcode: CLIF.Opcode, _ value: Value) throws(TranslationFailure) -> Value

    mutating func globalGet(_ builder: inout FunctionBuilder, _ global: UInt32) throws(TranslationFailure) -> Value
    mutating func globalSet(_ builder: inout FunctionBuilder, _ global: UInt32, _ value: Value) throws(TranslationFailure)

    /// The native address and flags of a memory access, after any bounds check; nil when the
    /// access always traps (the rest of the block is then unreachable).
    mutating func memoryAddress(_ builder: inout FunctionBuilder, memory: UInt32, index: Value, offset: UInt64,
                                accessSize: UInt8) throws(TranslationFailure) -> (flags: MemFlags, address: Value)?
    mutating func memorySize(_ builder: inout FunctionBuilder, memory: UInt32) throws(TranslationFailure) -> Value
    mutating func memoryGrow(_ builder: inout FunctionBuilder, memory: UInt32, delta: Value) throws(TranslationFailure) -> Value

    /// A direct call; nil when the call always traps. With `tail`, a tail call (no results).
    mutating func call(_ builder: inout FunctionBuilder, function: UInt32, arguments: [Value], tail: Bool) throws(TranslationFailure) -> [Value]?
    /// An indirect call through a table; nil when the rest is unreachable.
    mutating func callIndirect(_ builder: inout FunctionBuilder, table: UInt32, type: UInt32, callee: Value,
                               arguments: [Value], tail: Bool) throws(TranslationFailure) -> [Value]?
    /// `ref.test`: an i32 that is 1 when `value` (of Wasm type `operand`) belongs to `target`.
    mutating func referenceTest(_ builder: inout FunctionBuilder, _ value: Value, operand: RefType,
                                target: RefType) throws(TranslationFailure) -> Value
    /// Any other runtime operator (tables, references, bulk memory, atomics, GC, exceptions):
    /// pops its operands from `stack` and pushes its results. Returns false when the rest of the
    /// block is unreachable afterwards.
    mutating func translateOther(_ builder: inout FunctionBuilder, _ instruction: Wasm.Instruction,
                                 stack: inout [Value]) throws(TranslationFailure) -> Bool
}
