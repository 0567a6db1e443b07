import CLIF
import Wasm

/// The per-operator translation of reachable code (`translate_operator`).
extension FunctionTranslator {
    mutating func translateOperator(_ instruction: Wasm.Instruction) throws(TranslationFailure) {
        let opcode = instruction.opcode
        switch opcode {
        case .localGet:
            let variable = try local(instruction)
            let value = builder.useVariable(variable)
            stack.append(value)
            if Int(variable.index) < localIsNonNull.count, localIsNonNull[Int(variable.index)] { nonNullValues.insert(value) }
        case .localSet:
            var value = try pop()
            if builder.type(of: value).isVector { value = castIfNeeded(value, to: .i8x16) }
            builder.defineVariable(try local(instruction), value)
        case .localTee:
            guard var value = stack.last else { throw .invalid("operand stack underflow") }
            if builder.type(of: value).isVector { value = castIfNeeded(value, to: .i8x16) }
            builder.defineVariable(try local(instruction), value)
        case .globalGet:
            stack.append(try environment.globalGet(&builder, try index(instruction)))
        case .globalSet:
            var value = try pop()
            if builder.type(of: value).isVector { value = castIfNeeded(value, to: .i8x16) }
            try environment.globalSet(&builder, try index(instruction), value)
        case .drop:
            _ = try pop()
        case .nop:
            break
        case .select:
            var (a, b, condition) = try pop3()
            if builder.type(of: a).isVector { a = castIfNeeded(a, to: .i8x16) }
            if builder.type(of: b).isVector { b = castIfNeeded(b, to: .i8x16) }
            let selected = builder.ins1(Op.select, nil, [condition, a, b])
            if case .selectTypes(let types?) = instruction.immediates, case .ref(let type)? = types.first,
               environment.needsStackMap(type, parameter: false), selectOperandsNeedStackMap() {
                builder.declareValueNeedsStackMap(selected)
            }
            stack.append(selected)
        case .unreachable:
            environment.trap(&builder, WasmtimeTrap.unreachable)
            reachable = false
        case .block:
            try translateBlock(try blockType(instruction))
        case .loop:
            try translateLoop(try blockType(instruction))
        case .if:
            try translateIf(try blockType(instruction))
        case .else:
            try translateElse()
        case .end:
            try translateEnd()
        case .br:
            try translateBranch(depth: try index(instruction))
        case .brIf:
            try translateBranchIf(depth: try index(instruction))
        case .brTable:
            guard case .labelTable(let targets, let defaultDepth) = instruction.immediates else { throw .invalid("br_table without targets") }
            try translateBranchTable(targets, default: defaultDepth)
        case .return:
            try translateReturn()
        case .tryTable:
            guard case .tryTable(let type, let catches) = instruction.immediates else { throw .invalid("try_table immediates") }
            try translateTryTable(type, catches)
        case .throw:
            try translateThrow(tag: try index(instruction))
        case .throwRef:
            try translateThrowReference()
        case .call:
            try translateCall(try index(instruction), tail: false)
        case .returnCall:
            try translateCall(try index(instruction), tail: true)
        case .callIndirect, .returnCallIndirect:
            guard case .indexPair(let type, let table) = instruction.immediates else { throw .invalid("call_indirect immediates") }
            try translateCallIndirect(type: type, table: table, tail: opcode == .returnCallIndirect)
        case .i32Const:
            guard case .i32(let value) = instruction.immediates else { throw .invalid("i32.const immediate") }
            stack.append(builder.iconst(.i32, Int64(UInt32(bitPattern: value))))
        case .i64Const:
            guard case .i64(let value) = instruction.immediates else { throw .invalid("i64.const immediate") }
            stack.append(builder.iconst(.i64, value))
        case .f32Const:
            guard case .f32(let bits) = instruction.immediates else { throw .invalid("f32.const immediate") }
            stack.append(builder.f32const(bits))
        case .f64Const:
            guard case .f64(let bits) = instruction.immediates else { throw .invalid("f64.const immediate") }
            stack.append(builder.f64const(bits))
        case .refIsNull:
            let value = try pop()
            stack.append(try isNull(value))
        case .refAsNonNull:
            let value = try pop()
            let null = try isNull(value)
            builder.trapIf(zero: false, null, WasmtimeTrap.nullReference)
            stack.append(value)
            nonNullValues.insert(value)
        case .brOnNull:
            let value = try pop()
            let null = try isNull(value)
            let index = try frameIndex(depth: try index(instruction))
            control[index].markBranchedTo()
            let frame = control[index]
            let inputs = try peek(frame.branchArgumentCount)
            let next = builder.createBlock()
            setBlockParams(frame.branchDestination, inputs)
            builder.brif(null, frame.branchDestination, next)
            builder.sealBlock(next)
            builder.switchToBlock(next)
            stack.append(value)
            nonNullValues.insert(value)
        case .brOnNonNull:
            guard let value = stack.last else { throw .invalid("operand stack underflow") }
            let index = try frameIndex(depth: try index(instruction))
            control[index].markBranchedTo()
            let frame = control[index]
            let inputs = try peek(frame.branchArgumentCount)
            let null = try isNull(value)
            let next = builder.createBlock()
            setBlockParams(frame.branchDestination, inputs)
            builder.brif(null, next, frame.branchDestination)
            _ = try pop()
            builder.sealBlock(next)
            builder.switchToBlock(next)
        case .refTest, .refCast:
            guard case .refType(let target) = instruction.immediates else { throw .invalid("missing cast type") }
            let value = try pop()
            let operand = try operandReferenceType(depth: 0)
            let test = try environment.referenceTest(&builder, value, operand: operand, target: target)
            if opcode == .refTest {
                stack.append(test)
            } else {
                builder.trapIf(zero: true, test, WasmtimeTrap.castFailure)
                stack.append(value)
            }
        case .brOnCast, .brOnCastFail:
            guard case .branchOnCast(let label, let from, let target) = instruction.immediates else {
                throw .invalid("missing br_on_cast immediates")
            }
            guard let value = stack.last else { throw .invalid("operand stack underflow") }
            let test = try environment.referenceTest(&builder, value, operand: from, target: target)
            let index = try frameIndex(depth: label)
            control[index].markBranchedTo()
            let frame = control[index]
            let inputs = try peek(frame.branchArgumentCount)
            let next = builder.createBlock()
            setBlockParams(frame.branchDestination, inputs)
            if opcode == .brOnCast {
                builder.brif(test, frame.branchDestination, next)
            } else {
                builder.brif(test, next, frame.branchDestination)
            }
            builder.sealBlock(next)
            builder.switchToBlock(next)
        case .contNew, .contBind, .suspend, .resume, .resumeThrow, .resumeThrowRef, .switch:
            try translateStackSwitching(instruction)
        case .memorySize:
            stack.append(try environment.memorySize(&builder, memory: try index(instruction)))
        case .memoryGrow:
            let delta = try pop()
            stack.append(try environment.memoryGrow(&builder, memory: try index(instruction), delta: delta))
        default:
            if let access = MemoryAccess.of(opcode) {
                try translateMemoryAccess(access, instruction)
            } else if let (type, kind) = Self.laneMemoryShape(opcode) {
                try translateLaneMemory(instruction, type: type, kind: kind)
            } else if try translateNumeric(opcode) {
                return
            } else if try translateSIMD(instruction) {
                return
            } else if try translateWideArithmetic(opcode) {
                return
            } else if try translateAtomic(instruction) {
                return
            } else {
                let stillReachable = try environment.translateOther(&builder, instruction, stack: &stack)
                if !stillReachable { reachable = false }
                if Self.producesFreshNonNullReference(opcode), let value = stack.last { nonNullValues.insert(value) }
            }
        }
    }

    /// Operators whose result is a new, never-null reference (`ref.func`, `ref.i31`, allocations).
    static func producesFreshNonNullReference(_ opcode: Wasm.Opcode) -> Bool {
        switch opcode {
        case .refFunc, .refI31, .structNew, .structNewDefault, .arrayNew, .arrayNewDefault, .arrayNewFixed,
             .arrayNewData, .arrayNewElem:
            true
        default:
            false
        }
    }

    /// `ref.is_null`: a compare with zero for nullable references, the constant 0 for references
    /// known to be non-null or whose validated operand type is non-nullable. Without operand types, a
    /// reference of unknown nullability in a module that has non-nullable types is not translated
    /// rather than guessed.
    mutating func isNull(_ value: Value) throws(TranslationFailure) -> Value {
        if nonNullValues.contains(value) { return builder.iconst(.i32, 0) }
        // Non-null values also come from operators (`struct.new`, `ref.i31`, `catch_ref`, …), so
        // the validated type is consulted whenever it is known.
        if let operand = try? operandReferenceType(depth: 0) {
            if !operand.nullable { return builder.iconst(.i32, 0) }
        } else if environment.info.usesNonNullableReferences {
            throw .notTranslated("null test of a reference whose nullability is not tracked")
        }
        let type = builder.type(of: value)
        let flag: Value
        if type == .i128 {
            flag = try environment.continuationIsNull(&builder, value)
        } else {
            let zero = builder.iconst(type, 0)
            flag = builder.icmp(.eq, value, zero)
        }
        return builder.convert(Op.uextend, .i32, flag)
    }

    /// Whether either value operand of a `select` has a type whose values need stack maps
    /// (the validated operand types can be narrower than the `select`'s result type).
    mutating func selectOperandsNeedStackMap() -> Bool {
        guard let stacks = validatedStacks(), currentInstruction < stacks.count else { return true }
        let types = stacks[currentInstruction]
        return [2, 3].contains { depth in
            guard depth <= types.count, case .ref(let type)? = types[types.count - depth] else { return false }
            return environment.needsStackMap(type, parameter: false)
        }
    }

    /// The Wasm reference type of the operand `depth` entries below the top of the validator's
    /// operand stack before the current operator.
    mutating func operandReferenceType(depth: Int) throws(TranslationFailure) -> RefType {
        guard let stacks = validatedStacks(), currentInstruction < stacks.count else {
            throw .notTranslated("reference operand whose type is not known")
        }
        let types = stacks[currentInstruction]
        guard depth < types.count, case .ref(let type)? = types[types.count - 1 - depth] else {
            throw .notTranslated("reference operand whose type is not known")
        }
        return type
    }

    func index(_ instruction: Wasm.Instruction) throws(TranslationFailure) -> UInt32 {
        guard case .index(let value) = instruction.immediates else { throw .invalid("missing index immediate") }
        return value
    }

    func local(_ instruction: Wasm.Instruction) throws(TranslationFailure) -> Variable {
        let value = try index(instruction)
        guard Int(value) < localCount else { throw .invalid("local \(value) out of range") }
        return Variable(value)
    }

    var localCount: Int { localVariableCount }

    func blockType(_ instruction: Wasm.Instruction) throws(TranslationFailure) -> BlockType {
        guard case .blockType(let type) = instruction.immediates else { throw .invalid("missing block type") }
        return type
    }
}
