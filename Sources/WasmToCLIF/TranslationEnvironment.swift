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
    /// The address and flags of an atomic access (threads proposal): like `memoryAddress`, after
    /// the runtime's check that the effective address is aligned to `accessSize`.
    mutating func atomicAddress(_ builder: inout FunctionBuilder, memory: UInt32, index: Value, offset: UInt64,
                                accessSize: UInt8) throws(TranslationFailure) -> (flags: MemFlags, address: Value)?
    /// `memory.atomic.wait32/64`: the i32 result (0 woken, 1 not equal, 2 timed out).
    mutating func atomicWait(_ builder: inout FunctionBuilder, memory: UInt32, index: Value, offset: UInt64,
                             expected: Value, timeout: Value) throws(TranslationFailure) -> Value
    /// `memory.atomic.notify`: the i32 count of woken waiters.
    mutating func atomicNotify(_ builder: inout FunctionBuilder, memory: UInt32, index: Value, offset: UInt64,
                               count: Value) throws(TranslationFailure) -> Value
    mutating func memoryGrow(_ builder: inout FunctionBuilder, memory: UInt32, delta: Value) throws(TranslationFailure) -> Value

    /// A direct call; nil when the call always traps. With `tail`, a tail call (no results).
    mutating func call(_ builder: inout FunctionBuilder, function: UInt32, arguments: [Value], tail: Bool) throws(TranslationFailure) -> [Value]?
    /// An indirect call through a table; nil when the rest is unreachable.
    mutating func callIndirect(_ builder: inout FunctionBuilder, table: UInt32, type: UInt32, callee: Value,
                               arguments: [Value], tail: Bool) throws(TranslationFailure) -> [Value]?
    /// `ref.test`: an i32 that is 1 when `value` (of Wasm type `operand`) belongs to `target`.
    mutating func referenceTest(_ builder: inout FunctionBuilder, _ value: Value, operand: RefType,
                                target: RefType) throws(TranslationFailure) -> Value
    /// The type of the value the unwinder hands a `try_table` catch block (the block's one parameter).
    var exceptionPayloadType: CLIFType { get }
    /// The exception reference a catch block receives, from its payload parameter.
    mutating func caughtException(_ builder: inout FunctionBuilder, payload: Value) -> Value
    /// The values of an exception of `tag`, read from the caught exception reference `exception`.
    mutating func exceptionValues(_ builder: inout FunctionBuilder, tag: UInt32, exception: Value) throws(TranslationFailure) -> [Value]
    /// `throw`: raises an exception of `tag` carrying `arguments` to the handlers in scope
    /// (`builder.exceptionHandlers`); the current block ends.
    mutating func throwException(_ builder: inout FunctionBuilder, tag: UInt32, arguments: [Value]) throws(TranslationFailure)
    /// `throw_ref`: raises the exception `exception` to the handlers in scope; the current block ends.
    mutating func throwReference(_ builder: inout FunctionBuilder, _ exception: Value) throws(TranslationFailure)
    /// Any other runtime operator (tables, references, bulk memory, atomics, GC, exceptions):
    /// pops its operands from `stack` and pushes its results. Returns false when the rest of the
    /// block is unreachable afterwards.
    mutating func translateOther(_ builder: inout FunctionBuilder, _ instruction: Wasm.Instruction,
                                 stack: inout [Value]) throws(TranslationFailure) -> Bool
    /// Whether values of this reference type must appear in stack maps when live across a call
    /// (`parameter`: for a function parameter).
    func needsStackMap(_ type: RefType, parameter: Bool) -> Bool

    /// The null continuation reference (`ref.null` of a continuation type).
    mutating func continuationNull(_ builder: inout FunctionBuilder) throws(TranslationFailure) -> Value
    /// Whether a continuation reference is null: the `i8` result of an `icmp`.
    mutating func continuationIsNull(_ builder: inout FunctionBuilder, _ value: Value) throws(TranslationFailure) -> Value
    /// `cont.new`: a continuation of type `type` that will run `function` (a funcref).
    mutating func continuationNew(_ builder: inout FunctionBuilder, function: Value, type: UInt32) throws(TranslationFailure) -> Value
    /// `cont.bind`: `continuation` with `arguments` bound to its first parameters.
    mutating func continuationBind(_ builder: inout FunctionBuilder, continuation: Value,
                                   arguments: [Value]) throws(TranslationFailure) -> Value
    /// `resume`, `resume_throw` and `resume_throw_ref` of a continuation of type `type`: returns the
    /// continuation's results; a suspension to an `(on $tag $label)` clause jumps to its target.
    mutating func resume(_ builder: inout FunctionBuilder, type: UInt32, continuation: Value, payload: ResumePayload,
                         handlers: [ResumeHandlerTarget]) throws(TranslationFailure) -> [Value]
    /// `suspend $tag`: returns the values the resumer passes back.
    mutating func suspend(_ builder: inout FunctionBuilder, tag: UInt32, arguments: [Value]) throws(TranslationFailure) -> [Value]
    /// `switch $type $tag`: hands `arguments` and the current continuation to `continuation`;
    /// returns the values passed when this one is switched to or resumed again.
    mutating func switchTo(_ builder: inout FunctionBuilder, type: UInt32, tag: UInt32, continuation: Value,
                           arguments: [Value]) throws(TranslationFailure) -> [Value]
}

/// What a `resume` passes into the continuation: the values it expects, or an exception to raise
/// at its suspension point: a new one of a tag (`resume_throw`) or a reference (`resume_throw_ref`).
public enum ResumePayload: Sendable {
    case values([Value])
    case throwTag(UInt32, [Value])
    case throwRef(Value)
}

/// One handler clause of a `resume`: the tag it handles and, for `(on $tag $label)`, the block
/// the suspension continues at with the variables that carry the tag's values and the
/// continuation; nil `target` for `(on $tag switch)`.
public struct ResumeHandlerTarget: Sendable {
    public var tag: UInt32
    public var target: Block?
    public var variables: [Variable]

    public init(tag: UInt32, target: Block?, variables: [Variable]) {
        self.tag = tag
        self.target = target
        self.variables = variables
    }
}

/// Runtimes without threads need not implement its hooks.
extension TranslationEnvironment {
    public mutating func atomicAddress(_ builder: inout FunctionBuilder, memory: UInt32, index: Value, offset: UInt64,
                                       accessSize: UInt8) throws(TranslationFailure) -> (flags: MemFlags, address: Value)? {
        throw .notTranslated("atomic memory accesses")
    }

    public mutating func atomicWait(_ builder: inout FunctionBuilder, memory: UInt32, index: Value, offset: UInt64,
                                    expected: Value, timeout: Value) throws(TranslationFailure) -> Value {
        throw .notTranslated("memory.atomic.wait")
    }

    public mutating func atomicNotify(_ builder: inout FunctionBuilder, memory: UInt32, index: Value, offset: UInt64,
                                      count: Value) throws(TranslationFailure) -> Value {
        throw .notTranslated("memory.atomic.notify")
    }
}

/// Runtimes without stack switching need not implement its hooks.
extension TranslationEnvironment {
    public mutating func continuationNull(_ builder: inout FunctionBuilder) throws(TranslationFailure) -> Value {
        throw .notTranslated("null continuation references")
    }

    public mutating func continuationIsNull(_ builder: inout FunctionBuilder, _ value: Value) throws(TranslationFailure) -> Value {
        throw .notTranslated("null test of a continuation reference")
    }

    public mutating func continuationNew(_ builder: inout FunctionBuilder, function: Value,
                                         type: UInt32) throws(TranslationFailure) -> Value {
        throw .notTranslated("cont.new")
    }

    public mutating func continuationBind(_ builder: inout FunctionBuilder, continuation: Value,
                                          arguments: [Value]) throws(TranslationFailure) -> Value {
        throw .notTranslated("cont.bind")
    }

    public mutating func resume(_ builder: inout FunctionBuilder, type: UInt32, continuation: Value, payload: ResumePayload,
                                handlers: [ResumeHandlerTarget]) throws(TranslationFailure) -> [Value] {
        throw .notTranslated("resume")
    }

    public mutating func suspend(_ builder: inout FunctionBuilder, tag: UInt32,
                                 arguments: [Value]) throws(TranslationFailure) -> [Value] {
        throw .notTranslated("suspend")
    }

    public mutating func switchTo(_ builder: inout FunctionBuilder, type: UInt32, tag: UInt32, continuation: Value,
                                  arguments: [Value]) throws(TranslationFailure) -> [Value] {
        throw .notTranslated("switch")
    }
}

extension TranslationEnvironment {
    /// A runtime without a moving or tracing collector keeps no stack maps.
    public func needsStackMap(_ type: RefType, parameter: Bool) -> Bool { false }
}
