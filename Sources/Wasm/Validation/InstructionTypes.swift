/// The operand types one instruction pops and pushes at its place in a function, as the validator
/// sees them, e.g. `[i32 i32] -> [i32]`; nil entries are unknown types (unreachable code).
public struct InstructionTypes: Sendable, Equatable, CustomStringConvertible {
    public var parameters: [ValueType?]
    public var results: [ValueType?]

    public init(parameters: [ValueType?], results: [ValueType?]) {
        self.parameters = parameters
        self.results = results
    }

    public var description: String {
        func list(_ types: [ValueType?]) -> String { types.map { $0.map { "\($0)" } ?? "⊥" }.joined(separator: " ") }
        return "[\(list(parameters))] -> [\(list(results))]"
    }
}

extension Module {
    /// The types of instruction `index` of defined function `function`. `stacks` are the operand
    /// stacks before each instruction (`operandStacks(ofFunction:)`). Instructions typed by their
    /// opcode come from the validator's table (memory accesses with their memory's address type),
    /// `block`/`loop`/`if` from their block type, and the others from the validator's own step
    /// replayed for that instruction alone on an empty, unknown stack: what it pushes is the
    /// results, and the stack after the instruction says how many operands it popped. Nil for
    /// `else`/`end`, branches, stack-polymorphic instructions (`unreachable`, `return`, `throw`)
    /// and past the first validation error.
    public func instructionTypes(function: Int, index: Int, stacks: [[ValueType?]],
                                 options: ValidationOptions = ValidationOptions()) -> InstructionTypes? {
        guard function < functions.count, index < stacks.count else { return nil }
        var validator = ModuleValidator(module: self, options: options)
        validator.validateGlobals()
        return instructionTypes(function: function, index: index, before: stacks[index],
                                after: index + 1 < stacks.count ? stacks[index + 1] : nil, validator: validator)
    }

    /// The operand stack before instruction `index` of defined function `function` and the
    /// instruction's types (see `instructionTypes(function:index:stacks:options:)`), from one
    /// validation run that stops right after the instruction: what a hover shows, without the
    /// stacks of the whole function. Nil when the index is out of range or validation fails first.
    public func instructionFacts(function: Int, index: Int, options: ValidationOptions = ValidationOptions())
        -> (stack: [ValueType?], types: InstructionTypes?)?
    {
        guard function < functions.count, index >= 0, index < functions[function].body.count else { return nil }
        var validator = ModuleValidator(module: self, options: options)
        validator.validateGlobals()
        var body = validator.functionValidator(function)
        body.recordsStacks = true
        body.recordedWindow = index..<(index + 2)
        do throws(ValidationError) {
            try validator.validateBody(function, with: &body)
        } catch {}
        guard let before = body.stacks.first else { return nil }
        let after = body.stacks.count > 1 ? body.stacks[1] : nil
        return (before, instructionTypes(function: function, index: index, before: before, after: after, validator: validator))
    }

    func instructionTypes(function: Int, index: Int, before: [ValueType?], after: [ValueType?]?,
                          validator: ModuleValidator) -> InstructionTypes? {
        guard function < functions.count, index < functions[function].body.count else { return nil }
        let instruction = functions[function].body[index]
        var replay = validator.functionValidator(function)
        guard let type = validator.types.functionType(functions[function].typeIndex) else { return nil }
        let declared = functions[function].locals.reduce(0) { $0 + Int($1.count) }
        guard declared <= 50_000 else { return nil }
        replay.locals = type.parameters
        for group in functions[function].locals { replay.locals += repeatElement(group.type, count: Int(group.count)) }
        replay.returnTypes = type.results
        replay.position = index
        do throws(ValidationError) {
            switch replay.signatures[Int(instruction.opcode.rawValue)] {
            case .plain(let parameters, let results):
                return InstructionTypes(parameters: parameters.types, results: results.types)
            case .load(let value):
                return InstructionTypes(parameters: [try replay.memoryAccess(instruction)], results: [value])
            case .store(let value):
                return InstructionTypes(parameters: [try replay.memoryAccess(instruction), value], results: [])
            case .readModifyWrite(let value):
                return InstructionTypes(parameters: [try replay.memoryAccess(instruction), value], results: [value])
            case .compareExchange(let value):
                return InstructionTypes(parameters: [try replay.memoryAccess(instruction), value, value], results: [value])
            case .loadLane:
                return InstructionTypes(parameters: [try replay.memoryAccess(instruction), .v128], results: [.v128])
            case .storeLane:
                return InstructionTypes(parameters: [try replay.memoryAccess(instruction), .v128], results: [])
            case .extractLane(_, let value):
                return InstructionTypes(parameters: [.v128], results: [value])
            case .replaceLane(_, let value):
                return InstructionTypes(parameters: [.v128, value], results: [.v128])
            case .contextual:
                break
            }
            switch instruction.opcode.info.structure {
            case .opensBlock:
                guard case .blockType(let blockType) = instruction.immediates else { return nil }
                let (parameters, results) = try replay.blockSignature(blockType)
                return InstructionTypes(parameters: parameters + (instruction.opcode == .if ? [.i32] : []), results: results)
            case .continuesBlock, .closesBlock:
                return nil
            case .none:
                break
            }
            switch instruction.opcode.info.immediates {
            case .label, .labelTable, .branchOnCast: return nil
            default: break
            }
            // Every pop meets the unknown bottom of the stack; a step that makes the rest of the
            // block unreachable marks the frame.
            replay.frames = [ControlFrame(kind: .function, parameters: [], results: type.results, height: 0, initHeight: 0,
                                          unreachable: false, start: 0)]
            replay.height = 0
            replay.unreachable = true
            try replay.step(instruction)
            guard replay.frames.count == 1, !replay.frames[0].unreachable, let after else { return nil }
            let pushed = replay.operands
            let popped = before.count + pushed.count - after.count
            guard popped >= 0, popped <= before.count, pushed.count <= after.count else { return nil }
            let known = after.suffix(pushed.count)
            return InstructionTypes(parameters: Array(before.suffix(popped)),
                                    results: zip(pushed, known).map { $0 ?? $1 })
        } catch {
            return nil
        }
    }
}

extension TypeList {
    var types: [ValueType?] { Array([first, second, third, fourth].prefix(count)) }
}
