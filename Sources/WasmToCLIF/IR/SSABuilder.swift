import CLIF

/// A variable of the SSA builder: a Wasm local, a block result, or an environment cache.
public struct Variable: Hashable, Sendable {
    var index: UInt32
    init(_ index: UInt32) { self.index = index }
}

/// SSA construction after Braun et al., step for step as cranelift-frontend's `ssa.rs` does it, so
/// that block parameters, aliases and zero constants get the same numbers as in Cranelift.
/// Recursion is replaced by an explicit work stack, so deep inputs cannot overflow the call stack.
struct SSABuilder: Sendable {
    struct BlockState: Sendable {
        var predecessors: [Int32] = []
        var sealed = false
        var undefinedVariables: [Variable] = []
        var singlePredecessor: Int32 = -1
    }

    enum Call: Sendable {
        case useVariable(branch: Int32)
        case finishPredecessorsLookup(sentinel: Value, block: Block)
    }

    /// The definition of each variable per block.
    var definitions = DefinitionTable()
    var blocks: [BlockState] = []
    var calls: [Call] = []
    var results: [Value] = []
    /// Blocks into which the builder put instructions (zero constants) on its own.
    var blocksWithAddedInstructions: [Block] = []
    var visitedStamp: [UInt32] = []
    var stamp: UInt32 = 0
    /// Variables whose every value must be in stack maps (`declare_var_needs_stack_map`).
    var stackMapVariables: Set<UInt32> = []
    /// Values (by number) that must be in stack maps when live across a safepoint.
    var stackMapValues: Set<UInt32> = []

    mutating func declareBlock(_ block: Block) {
        while blocks.count <= Int(block.number) {
            blocks.append(BlockState())
            visitedStamp.append(0)
        }
    }

    /// Nothing to prepare per variable: definitions are kept per (variable, block) pair.
    func declareVariable() {}

    mutating func defineVariable(_ variable: Variable, _ value: Value, in block: Block) {
        definitions.set(variable, block, value)
        recordStackMapBinding(variable, value)
    }

    /// A value bound to a needs-stack-map variable needs a stack map too.
    mutating func recordStackMapBinding(_ variable: Variable, _ value: Value) {
        if !stackMapVariables.isEmpty, stackMapVariables.contains(variable.index) {
            stackMapValues.insert(value.number)
        }
    }

    mutating func useVariable(_ function: inout IRFunction, _ variable: Variable, type: CLIFType, in block: Block) -> Value {
        useVariableNonLocal(&function, variable, type: type, block: block)
        return runStateMachine(&function, variable, type: type)
    }

    mutating func useVariableNonLocal(_ function: inout IRFunction, _ variable: Variable, type: CLIFType, block start: Block) {
        if let value = definitions[variable, start] {
            results.append(value)
            return
        }
        let (value, from) = findVariable(&function, variable, type: type, block: start)
        var block = start
        while block != from {
            definitions.set(variable, block, value)
            let predecessor = blocks[Int(block.number)].singlePredecessor
            guard predecessor >= 0 else { break }
            block = Block(UInt32(predecessor))
        }
    }

    mutating func findVariable(_ function: inout IRFunction, _ variable: Variable, type: CLIFType, block start: Block) -> (Value, Block) {
        stamp &+= 1
        if stamp == 0 {
            for i in visitedStamp.indices { visitedStamp[i] = 0 }
            stamp = 1
        }
        var block = start
        while blocks[Int(block.number)].singlePredecessor >= 0 {
            let predecessor = blocks[Int(block.number)].singlePredecessor
            if visitedStamp[Int(block.number)] == stamp { break }
            visitedStamp[Int(block.number)] = stamp
            block = Block(UInt32(predecessor))
            if let value = definitions[variable, block] {
                results.append(value)
                return (value, block)
            }
        }
        let value = function.appendBlockParam(block, type)
        definitions.set(variable, block, value)
        recordStackMapBinding(variable, value)
        if blocks[Int(block.number)].sealed {
            beginPredecessorsLookup(sentinel: value, block: block)
        } else {
            blocks[Int(block.number)].undefinedVariables.append(variable)
            results.append(value)
        }
        return (value, block)
    }

    mutating func declarePredecessor(_ block: Block, _ instruction: Int32) {
        blocks[Int(block.number)].predecessors.append(instruction)
    }

    /// Removes a predecessor as Cranelift's `swap_remove` does (the last one takes its place).
    mutating func removePredecessor(_ block: Block, _ instruction: Int32) {
        guard let index = blocks[Int(block.number)].predecessors.firstIndex(of: instruction) else { return }
        blocks[Int(block.number)].predecessors.swapAt(index, blocks[Int(block.number)].predecessors.count - 1)
        blocks[Int(block.number)].predecessors.removeLast()
    }

    func isSealed(_ block: Block) -> Bool { blocks[Int(block.number)].sealed }

    func hasPredecessors(_ block: Block) -> Bool { !blocks[Int(block.number)].predecessors.isEmpty }

    mutating func sealBlock(_ function: inout IRFunction, _ block: Block) {
        guard !blocks[Int(block.number)].sealed else { return }
        let undefined = blocks[Int(block.number)].undefinedVariables
        blocks[Int(block.number)].undefinedVariables = []
        blocks[Int(block.number)].sealed = true
        let predecessors = blocks[Int(block.number)].predecessors
        if predecessors.count == 1 {
            blocks[Int(block.number)].singlePredecessor = function.instructionBlock[Int(predecessors[0])]
        }
        let count = undefined.count
        for (index, variable) in undefined.enumerated() {
            let params = function.blockParams[Int(block.number)]
            let sentinel = params[params.count - (count - index)]
            beginPredecessorsLookup(sentinel: sentinel, block: block)
            _ = runStateMachine(&function, variable, type: function.type(of: sentinel))
        }
    }

    mutating func sealAllBlocks(_ function: inout IRFunction) {
        var block = 0
        while block < blocks.count {
            sealBlock(&function, Block(UInt32(block)))
            block += 1
        }
    }

    mutating func beginPredecessorsLookup(sentinel: Value, block: Block) {
        calls.append(.finishPredecessorsLookup(sentinel: sentinel, block: block))
        let b = Int(block.number)
        var position = blocks[b].predecessors.count
        while position > 0 {
            position -= 1
            calls.append(.useVariable(branch: blocks[b].predecessors[position]))
        }
    }

    mutating func finishPredecessorsLookup(_ function: inout IRFunction, sentinel: Value, block: Block) -> Value {
        let predecessorCount = blocks[Int(block.number)].predecessors.count
        let first = results.count - predecessorCount
        var unique: Value?
        var disagree = false
        for position in first..<results.count {
            let resolved = function.resolveAliases(results[position])
            if resolved == sentinel { continue }
            if let existing = unique {
                if existing != resolved { disagree = true; break }
            } else {
                unique = resolved
            }
        }
        if !disagree {
            dropResults(predecessorCount)
            let replacement: Value
            if let unique {
                replacement = unique
            } else {
                function.appendBlockToLayout(block)
                blocksWithAddedInstructions.append(block)
                replacement = emitZero(&function, type: function.type(of: sentinel), block: block)
            }
            function.removeBlockParam(sentinel)
            function.changeToAlias(sentinel, replacement)
            return replacement
        }
        for position in 0..<predecessorCount {
            let branch = Int(blocks[Int(block.number)].predecessors[position])
            let value = results[first + position]
            for d in function.instructions[branch].destinations.indices
            where function.instructions[branch].destinations[d].block == block {
                function.instructions[branch].destinations[d].arguments.append(.value(value))
            }
        }
        dropResults(predecessorCount)
        return sentinel
    }

    /// Pops the last `count` lookup results (one by one: `removeLast(_:)` goes through the
    /// generic range replacement).
    mutating func dropResults(_ count: Int) {
        for _ in 0..<min(count, results.count) { results.removeLast() }
    }

    /// A zero of `type` at the top of `block`, without a source location, as Cranelift's `emit_zero`.
    mutating func emitZero(_ function: inout IRFunction, type: CLIFType, block: Block) -> Value {
        func constant(_ opcode: Opcode, _ type: CLIFType, _ immediates: Immediates) -> Instruction {
            Instruction(built: opcode, controllingType: type, immediates: immediates)
        }
        if type == .i128 {
            // The extension goes right after the constant, both at the top of the block.
            let zero = function.prependInstruction(constant(Op.iconst, .i64, .imm64(0)), to: block)
            let extend = Instruction(built: Op.uextend, controllingType: .i128, arguments: ValueList(function.firstResult(of: zero)))
            let extended = function.insertInstruction(extend, after: zero)
            return function.firstResult(of: extended)
        }
        let instruction: Instruction
        if type.isVector {
            let handle = function.constant(Array(repeating: 0, count: type.bytes))
            instruction = constant(Op.vconst, type, .constant(handle))
        } else {
            switch type {
            case .f32: instruction = constant(Op.f32const, .f32, .ieee32(0))
            case .f64: instruction = constant(Op.f64const, .f64, .ieee64(0))
            case .f16: instruction = constant(Op.f16const, .f16, .ieee16(0))
            default: instruction = constant(Op.iconst, type, .imm64(0))
            }
        }
        let index = function.prependInstruction(instruction, to: block)
        return function.firstResult(of: index)
    }

    mutating func runStateMachine(_ function: inout IRFunction, _ variable: Variable, type: CLIFType) -> Value {
        while let call = calls.popLast() {
            switch call {
            case .useVariable(let branch):
                let block = Block(UInt32(function.instructionBlock[Int(branch)]))
                useVariableNonLocal(&function, variable, type: type, block: block)
            case .finishPredecessorsLookup(let sentinel, let block):
                let value = finishPredecessorsLookup(&function, sentinel: sentinel, block: block)
                results.append(value)
            }
        }
        return results.popLast() ?? Value(0)
    }
}
