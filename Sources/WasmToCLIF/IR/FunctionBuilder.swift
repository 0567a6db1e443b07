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

    init(function: IRFunction) {
        self.function = function
    }

    var currentBlock: Block? { position }

    mutating func createBlock() -> Block {
        let block = function.makeBlock()
        ssa.declareBlock(block)
        status.append(.empty)
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

    /// Builds an instruction at the end of the current block; returns its index.
    @discardableResult
    mutating func build(_ instruction: Instruction, resultTypes: [CLIFType]) -> Int32 {
        ensureInsertedBlock()
        let block = position!
        var instruction = instruction
        instruction.sourceLocation = sourceLocation
        let index = function.appendInstruction(instruction, resultTypes: resultTypes, to: block)
        let destinations = function.instructions[Int(index)].destinations
        switch instruction.opcode.format {
        case .jump:
            if let target = destinations.first { ssa.declarePredecessor(target.block, index) }
        case .brif:
            if destinations.count == 2 {
                ssa.declarePredecessor(destinations[0].block, index)
                if destinations[0].block != destinations[1].block {
                    ssa.declarePredecessor(destinations[1].block, index)
                }
            }
        case .branchTable, .tryCall, .tryCallIndirect:
            var seen = Set<Block>()
            for destination in destinations where seen.insert(destination.block).inserted {
                ssa.declarePredecessor(destination.block, index)
            }
        default:
            break
        }
        if instruction.opcode.info.isTerminator {
            status[Int(block.number)] = .filled
        }
        return index
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
}
