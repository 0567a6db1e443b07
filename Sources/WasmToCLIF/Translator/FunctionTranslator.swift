import CLIF
import Wasm

/// Translates one Wasm function body to CLIF the way Wasmtime's `FuncTranslator` and
/// `translate_operator` do, with every runtime decision delegated to the environment.
struct FunctionTranslator<Environment: TranslationEnvironment> {
    var builder: FunctionBuilder
    var environment: Environment
    var stack: [Value] = []
    var control: [ControlFrame] = []
    /// The variables carrying the Wasm values of each control-flow target, by block number.
    var blockParamVariables: [[Variable]] = []
    var reachable = true
    /// Parameters plus declared locals: the valid `local.get` indices.
    var localVariableCount = 0
    /// References known to be non-null (`ref.func` results, values that passed a null check).
    var nonNullValues = Set<Value>()
    /// Whether each local (parameters first) has a non-nullable reference type.
    var localIsNonNull: [Bool] = []
    let body: [Wasm.Instruction]
    let offsets: [Int]
    /// Operators replaced by placeholders because they have no translation yet.
    var unsupported: [UnsupportedOperator] = []
    /// The top of the operand stack before the current operator, and the stack height then.
    var savedTop: [Value] = []
    var savedHeight = 0
    /// Placeholder functions by symbol.
    var placeholders: [String: UInt32] = [:]
    /// The validator's operand stacks (see `validatedStacks`), and how to compute them.
    var operandStacks: [[ValueType?]]?
    /// The index in `body` of the operator being translated.
    var currentInstruction = 0
    var operandStacksProvider: (() -> [[ValueType?]]?)?

    init(environment: Environment, name: FunctionName, signature: Signature, body: [Wasm.Instruction], offsets: [Int]) {
        self.environment = environment
        self.builder = FunctionBuilder(function: IRFunction(name: name, signature: signature, capacity: max(64, body.count)))
        self.body = body
        self.offsets = offsets
    }

    // MARK: Operand stack

    mutating func pop() throws(TranslationFailure) -> Value {
        guard let value = stack.popLast() else { throw .invalid("operand stack underflow") }
        return value
    }

    mutating func pop2() throws(TranslationFailure) -> (Value, Value) {
        let b = try pop()
        let a = try pop()
        return (a, b)
    }

    mutating func pop3() throws(TranslationFailure) -> (Value, Value, Value) {
        let c = try pop()
        let b = try pop()
        let a = try pop()
        return (a, b, c)
    }

    func peek(_ count: Int) throws(TranslationFailure) -> [Value] {
        guard count <= stack.count else { throw .invalid("operand stack underflow") }
        return Array(stack[(stack.count - count)...])
    }

    mutating func popN(_ count: Int) throws(TranslationFailure) {
        guard count <= stack.count else { throw .invalid("operand stack underflow") }
        stack.removeLast(count)
    }

    func frameIndex(depth: UInt32) throws(TranslationFailure) -> Int {
        guard Int(depth) < control.count else { throw .invalid("branch depth \(depth) out of range") }
        return control.count - 1 - Int(depth)
    }

    // MARK: Types

    func clifType(_ type: ValueType) -> CLIFType {
        switch type {
        case .i32: .i32
        case .i64: .i64
        case .f32: .f32
        case .f64: .f64
        case .v128: .i8x16
        case .ref(let ref): environment.referenceType(ref)
        }
    }

    func blockTypeSignature(_ type: BlockType) throws(TranslationFailure) -> (params: [ValueType], results: [ValueType]) {
        switch type {
        case .empty: return ([], [])
        case .value(let result): return ([], [result])
        case .type(let index):
            guard let function = environment.info.functionType(index) else { throw .invalid("block type \(index) is not a function type") }
            return (function.parameters, function.results)
        }
    }

    /// A block for a control-flow target whose Wasm values travel in fresh variables.
    mutating func blockWithParams(_ types: [ValueType]) -> Block {
        let block = builder.createBlock()
        let variables = types.map { type in
            let variable = builder.declareVariable(clifType(type))
            if environment.needsStackMap(type, includingBottom: false) { builder.declareVariableNeedsStackMap(variable) }
            return variable
        }
        setBlockParamVariables(block, variables)
        return block
    }

    mutating func setBlockParamVariables(_ block: Block, _ variables: [Variable]) {
        while blockParamVariables.count <= Int(block.number) { blockParamVariables.append([]) }
        blockParamVariables[Int(block.number)] = variables
    }

    func variables(of block: Block) -> [Variable] {
        Int(block.number) < blockParamVariables.count ? blockParamVariables[Int(block.number)] : []
    }

    /// Defines the target's variables (Wasmtime's `set_block_params`), after casting vectors to `i8x16`.
    mutating func setBlockParams(_ block: Block, _ values: [Value]) {
        let values = canonicalise(values)
        for (variable, value) in zip(variables(of: block), values) {
            builder.defineVariable(variable, value)
        }
    }

    mutating func canonicalise(_ values: [Value]) -> [Value] {
        guard values.contains(where: { isNonCanonicalVector(builder.type(of: $0)) }) else { return values }
        return values.map { isNonCanonicalVector(builder.type(of: $0)) ? bitcast($0, to: .i8x16) : $0 }
    }

    func isNonCanonicalVector(_ type: CLIFType) -> Bool {
        type.isVector && type != .i8x16
    }

    mutating func bitcast(_ value: Value, to type: CLIFType) -> Value {
        var flags = MemFlags()
        flags.littleEndian = true
        return builder.ins1(Op.bitcast, type, [value], immediates: .memory(flags, offset: 0))
    }

    mutating func castIfNeeded(_ value: Value, to type: CLIFType) -> Value {
        builder.type(of: value) == type ? value : bitcast(value, to: type)
    }

    mutating func jump(to block: Block, with values: [Value]) {
        setBlockParams(block, values)
        _ = builder.jump(block)
    }

    mutating func pushBlockParams(_ block: Block) {
        for variable in variables(of: block) {
            stack.append(builder.useVariable(variable))
        }
    }

    // MARK: Function

    /// Translates the whole body. `localCountOffset` is the byte offset of the local-count field,
    /// `localGroupOffsets` that of each local group.
    mutating func translate(locals: [LocalGroup], parameters: [ValueType], localCountOffset: Int,
                            localGroupOffsets: [Int]) throws(TranslationFailureAt) {
        builder.sourceLocation = UInt32(localCountOffset)
        environment.beginFunction(&builder)
        let entry = builder.createBlock()
        builder.appendBlockParamsForFunctionParams(entry)
        builder.switchToBlock(entry)
        builder.sealBlock(entry)
        builder.ensureInsertedBlock()
        let entryParams = builder.blockParams(entry)
        for (index, type) in parameters.enumerated() {
            let variable = builder.declareVariable(clifType(type))
            if environment.needsStackMap(type, includingBottom: true) { builder.declareVariableNeedsStackMap(variable) }
            builder.defineVariable(variable, entryParams[index + 2])
        }
        let exit = builder.createBlock()
        control.append(ControlFrame(kind: .block, destination: exit, paramCount: 0,
                                    resultCount: builder.function.signature.returns.count, originalStackSize: 0))
        for (index, group) in locals.enumerated() {
            builder.sourceLocation = UInt32(index < localGroupOffsets.count ? localGroupOffsets[index] : localCountOffset)
            let type = clifType(group.type)
            let initial: Value?
            switch group.type {
            case .i32: initial = builder.iconst(.i32, 0)
            case .i64: initial = builder.iconst(.i64, 0)
            case .f32: initial = builder.f32const(0)
            case .f64: initial = builder.f64const(0)
            case .v128: initial = builder.vconst(.i8x16, Array(repeating: 0, count: 16))
            case .ref(let ref):
                if ref.nullable {
                    do throws(TranslationFailure) {
                        initial = try refNull(ref.heapType)
                    } catch {
                        throw TranslationFailureAt(failure: error, instruction: nil)
                    }
                } else {
                    initial = nil
                }
            }
            guard group.count <= 50_000 else {
                throw TranslationFailureAt(failure: .invalid("too many locals"), instruction: nil)
            }
            let needsStackMap = environment.needsStackMap(group.type, includingBottom: false)
            for _ in 0..<group.count {
                let variable = builder.declareVariable(type)
                if needsStackMap { builder.declareVariableNeedsStackMap(variable) }
                if let initial { builder.defineVariable(variable, initial) }
            }
        }
        func nonNull(_ type: ValueType) -> Bool {
            if case .ref(let ref) = type { return !ref.nullable }
            return false
        }
        localIsNonNull = parameters.map(nonNull)
        for group in locals {
            localIsNonNull += Array(repeating: nonNull(group.type), count: Int(min(group.count, 50_000)))
        }
        let returnVariables = builder.function.signature.returns.map { builder.declareVariable($0.type) }
        setBlockParamVariables(exit, returnVariables)
        do throws(TranslationFailure) {
            try environment.beforeBody(&builder)
        } catch {
            throw TranslationFailureAt(failure: error, instruction: nil)
        }
        savedTop.reserveCapacity(Self.savedOperandCount)
        for index in body.indices {
            builder.sourceLocation = UInt32(offsets[index])
            currentInstruction = index
            do throws(TranslationFailure) {
                if reachable {
                    saveOperandStackTop()
                    try translateOperator(body[index])
                } else {
                    try translateUnreachableOperator(body[index])
                }
            } catch {
                guard case .notTranslated = error, reachable, recover(fromUnsupported: index, error) else {
                    throw TranslationFailureAt(failure: error, instruction: index)
                }
            }
            if control.isEmpty && index != body.count - 1 {
                throw TranslationFailureAt(failure: .invalid("operators after the end of the function"), instruction: index + 1)
            }
        }
        guard control.isEmpty else {
            throw TranslationFailureAt(failure: .invalid("function body does not end"), instruction: body.isEmpty ? nil : body.count - 1)
        }
        if reachable && !builder.isUnreachable {
            do throws(TranslationFailure) {
                try environment.beforeReturn(&builder)
            } catch {
                throw TranslationFailureAt(failure: error, instruction: body.count - 1)
            }
            let returns = builder.function.signature.returns
            var values = stack
            for (index, value) in values.enumerated() where index < returns.count && returns[index].type.isVector {
                values[index] = castIfNeeded(value, to: returns[index].type)
            }
            builder.returnValues(values)
        }
        stack.removeAll()
    }

    /// The function after Cranelift's pre-print passes.
    mutating func finish() -> CLIF.Function {
        builder.finish()
    }
}

/// A translation failure and the index of the instruction it happened at (nil: the prologue).
struct TranslationFailureAt: Error {
    var failure: TranslationFailure
    var instruction: Int?
}

extension FunctionTranslator {
    /// The null reference of a heap type: a zero of the type that holds such references.
    mutating func refNull(_ heapType: HeapType) throws(TranslationFailure) -> Value {
        let type = environment.referenceType(RefType(nullable: true, heapType: heapType))
        guard type == .i64 || type == .i32 else { throw .notTranslated("null continuation references") }
        return builder.iconst(type, 0)
    }
}
