import CLIF

/// Builds one CLIF function the way cranelift-frontend's `FunctionBuilder` does: blocks enter the
/// layout when their first instruction is added, branches declare predecessors, terminators fill
/// their block, and variables are resolved by the `SSABuilder`.
public struct FunctionBuilder: Sendable {
    enum BlockStatus: UInt8, Sendable { case empty, partial, filled }

    var function: IRFunction
    var ssa = SSABuilder()
    var status: [BlockStatus] = []
    var variableTypes: [CLIFType] = []
    var position: Block?
    /// The source location given to new instructions.
    var sourceLocation: UInt32?
    /// Runtime-specific decisions noted so far (see `RuntimeDecision`).
    var decisions: [RuntimeDecision] = []
    /// Per block: the `br_table` being built that last declared it a predecessor.
    var declaredBy: [Int32] = []
    /// The catch handlers in scope, outermost first; calls made while any are in scope become
    /// `try_call`s whose exception tables list them innermost first.
    var exceptionHandlers: [ExceptionHandler] = []
    /// The alias region of the spills and reloads of a stack slot (Wasmtime's `stack_map_region`).
    var stackMapRegion: (@Sendable (_ slot: UInt32) -> AliasRegionKey)?

    init(function: IRFunction) {
        self.function = function
        // Large functions with many locals get several definitions per instruction (uses fill
        // whole single-predecessor chains); sized so that it is at most half full at about four.
        let wanted = Swift.max(256, 8 * function.capacityHint)
        ssa.definitions = DefinitionTable(capacityLog2: Swift.min(24, Int.bitWidth - (wanted - 1).leadingZeroBitCount))
    }

    var currentBlock: Block? { position }

    mutating func createBlock() -> Block {
        let block = function.makeBlock()
        ssa.declareBlock(block)
        status.append(.empty)
        declaredBy.append(-1)
        return block
    }

    mutating func setCold(_ block: Block) {
        function.blockIsCold[Int(block.number)] = true
    }

    mutating func switchToBlock(_ block: Block) {
        position = block
    }

    mutating func sealBlock(_ block: Block) {
        ssa.sealBlock(&function, block)
        handleSideEffects()
    }

    mutating func sealAllBlocks() {
        ssa.sealAllBlocks(&function)
        handleSideEffects()
    }

    mutating func declareVariable(_ type: CLIFType) -> Variable {
        variableTypes.append(type)
        ssa.declareVariable()
        return Variable(UInt32(variableTypes.count - 1))
    }

    mutating func useVariable(_ variable: Variable) -> Value {
        ensureInsertedBlock()
        let value = ssa.useVariable(&function, variable, type: variableTypes[Int(variable.index)], in: position!)
        handleSideEffects()
        return value
    }

    mutating func defineVariable(_ variable: Variable, _ value: Value) {
        ssa.defineVariable(variable, value, in: position!)
    }

    func type(of value: Value) -> CLIFType { function.type(of: value) }

    mutating func ensureInsertedBlock() {
        guard let block = position else { return }
        if status[Int(block.number)] == .empty {
            function.appendBlockToLayout(block)
            status[Int(block.number)] = .partial
        }
    }

    mutating func appendBlockParamsForFunctionParams(_ block: Block) {
        for param in function.signature.params {
            _ = function.appendBlockParam(block, param.type)
        }
    }

    func blockParams(_ block: Block) -> [Value] { function.blockParams[Int(block.number)] }

    /// Whether the current block can never run: sealed, not the entry, and without predecessors.
    var isUnreachable: Bool {
        guard let block = position else { return true }
        let isEntry = function.layout.first == block
        return !isEntry && ssa.isSealed(block) && !ssa.hasPredecessors(block)
    }

    func isPristine(_ block: Block) -> Bool { status[Int(block.number)] == .empty }
    func isFilled(_ block: Block) -> Bool { status[Int(block.number)] == .filled }

    mutating func handleSideEffects() {
        guard !ssa.blocksWithAddedInstructions.isEmpty else { return }
        for block in ssa.blocksWithAddedInstructions where status[Int(block.number)] == .empty {
            status[Int(block.number)] = .partial
        }
        ssa.blocksWithAddedInstructions.removeAll(keepingCapacity: true)
    }

    /// Builds an instruction at the end of the current block; returns its index. Its results
    /// come from the opcode's constraints, or from the callee's signature for calls.
    @discardableResult
    mutating func build(_ instruction: consuming Instruction) -> Int32 {
        ensureInsertedBlock()
        let block = position!
        instruction.sourceLocation = sourceLocation
        let shape = instruction.opcode.shape
        let format = shape.format
        let isTerminator = shape.isTerminator
        let index = function.appendInstruction(consume instruction, to: block)
        switch format {
        case .jump, .brif, .branchTable, .tryCall, .tryCallIndirect:
            declarePredecessors(of: index, format: format)
        default:
            break
        }
        if isTerminator {
            status[Int(block.number)] = .filled
        }
        return index
    }

    mutating func declarePredecessors(of index: Int32, format: InstructionFormat) {
        let destinations = function.instructions[Int(index)].destinations
        switch format {
        case .jump:
            if let target = destinations.first { ssa.declarePredecessor(target.block, index) }
        case .brif:
            if destinations.count == 2 {
                ssa.declarePredecessor(destinations[0].block, index)
                if destinations[0].block != destinations[1].block {
                    ssa.declarePredecessor(destinations[1].block, index)
                }
            }
        default:
            for destination in destinations where declaredBy[Int(destination.block.number)] != index {
                declaredBy[Int(destination.block.number)] = index
                ssa.declarePredecessor(destination.block, index)
            }
        }
    }

    /// Retargets the edges of `instruction` from `old` to `new`.
    mutating func changeJumpDestination(_ instruction: Int32, from old: Block, to new: Block) {
        for d in function.instructions[Int(instruction)].destinations.indices
        where function.instructions[Int(instruction)].destinations[d].block == old {
            ssa.removePredecessor(old, instruction)
            function.instructions[Int(instruction)].destinations[d].block = new
            ssa.declarePredecessor(new, instruction)
        }
    }

    /// The finished function after Cranelift's pre-print passes; the builder is left empty.
    mutating func finish() -> CLIF.Function {
        var built = IRFunction(name: function.name, signature: function.signature, capacity: 0)
        swap(&built, &function)
        if !ssa.stackMapValues.isEmpty {
            built.insertSafepointSpills(stackMapValues: ssa.stackMapValues, region: stackMapRegion)
        }
        built.eliminateUnreachableCode()
        built.removeConstantPhis()
        return built.makeFunction()
    }
}

/// A `try_table` catch clause in scope: the block that receives exceptions of `tag` (nil: any).
struct ExceptionHandler: Sendable, Hashable {
    var tag: UInt32?
    var block: Block
}
