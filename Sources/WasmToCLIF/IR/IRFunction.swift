import CLIF

/// Where a value of a function under construction comes from.
enum ValueDefinition: Sendable {
    case parameter(block: Int32)
    case result(instruction: Int32)
    /// The value was replaced by another one (Cranelift's `change_to_alias`).
    case alias(Value)
}

/// A CLIF function while it is being built: numbered values, instructions and blocks, and the
/// layout order, numbered exactly as Cranelift's `DataFlowGraph` and `Layout` number them.
/// Storage is flat: one array per kind of entity, and the instructions of a block form a linked
/// list through `nextInstruction` (as in Cranelift's `Layout`), so no block owns an array.
struct IRFunction: Sendable {
    var name: FunctionName
    var signature: Signature

    var valueTypes: [CLIFType] = []
    var valueDefinitions: [ValueDefinition] = []
    /// How many values have been turned into aliases (none: alias resolution can be skipped).
    var aliasCount = 0

    var instructions: InstructionStore
    /// The block holding each instruction, -1 once removed from the layout.
    var instructionBlock: [Int32] = []
    /// The next instruction of the same block, -1 at the end.
    var nextInstruction: [Int32] = []

    var blockParams: [[Value]] = []
    var firstInstruction: [Int32] = []
    var lastInstruction: [Int32] = []
    var blockInstructionCount: [Int32] = []
    var blockIsCold: [Bool] = []
    var blockInLayout: [Bool] = []
    /// Blocks in layout order.
    var layout: [Block] = []

    var regions: [AliasRegionData] = []
    /// The key each region was declared from (nil when declared from its data alone).
    var regionKeys: [AliasRegionKey?] = []
    /// The released Wasmtime's 8-bit id of each region (see `AliasRegionKey.releaseID`).
    var regionReleaseIDs: [UInt8?] = []
    var globalValues: [GlobalValueData] = []
    var signatures: [Signature] = []
    var functionRefs: [ExternalFunctionData] = []
    var constants: [ConstantData] = []
    var stackSlots: [StackSlotData] = []
    var stackLimit: UInt32?
    /// How many instructions the function was expected to get when it was created.
    let capacityHint: Int

    init(name: FunctionName, signature: Signature, capacity: Int = 256) {
        self.name = name
        self.signature = signature
        capacityHint = capacity
        instructions = InstructionStore(capacity: 2 * capacity)
        guard capacity > 0 else { return }
        valueTypes.reserveCapacity(capacity)
        valueDefinitions.reserveCapacity(capacity)
        instructionBlock.reserveCapacity(capacity)
        nextInstruction.reserveCapacity(capacity)
    }

    var blockCount: Int { blockParams.count }

    mutating func makeBlock() -> Block {
        let block = Block(UInt32(blockParams.count))
        blockParams.append([])
        firstInstruction.append(-1)
        lastInstruction.append(-1)
        blockInstructionCount.append(0)
        blockIsCold.append(false)
        blockInLayout.append(false)
        return block
    }

    mutating func makeValue(_ type: CLIFType, _ definition: ValueDefinition) -> Value {
        let value = Value(UInt32(valueTypes.count))
        valueTypes.append(type)
        valueDefinitions.append(definition)
        return value
    }

    func type(of value: Value) -> CLIFType { valueTypes[Int(value.number)] }

    mutating func appendBlockParam(_ block: Block, _ type: CLIFType) -> Value {
        let value = makeValue(type, .parameter(block: Int32(block.number)))
        blockParams[Int(block.number)].append(value)
        return value
    }

    /// Removes a block parameter from its block (the value number stays used).
    mutating func removeBlockParam(_ value: Value) {
        guard case .parameter(let block) = valueDefinitions[Int(value.number)],
              let index = blockParams[Int(block)].lastIndex(of: value) else { return }
        blockParams[Int(block)].remove(at: index)
    }

    mutating func changeToAlias(_ value: Value, _ target: Value) {
        valueDefinitions[Int(value.number)] = .alias(target)
        aliasCount += 1
    }

    func resolveAliases(_ value: Value) -> Value {
        guard aliasCount > 0 else { return value }
        var current = value
        var steps = 0
        while case .alias(let target) = valueDefinitions[Int(current.number)], steps < valueDefinitions.count {
            current = target
            steps += 1
        }
        return current
    }

    mutating func appendBlockToLayout(_ block: Block) {
        guard !blockInLayout[Int(block.number)] else { return }
        blockInLayout[Int(block.number)] = true
        layout.append(block)
    }

    /// The instructions of `block` in order.
    func instructionIndices(of block: Block) -> BlockInstructions {
        BlockInstructions(links: nextInstruction, current: firstInstruction[Int(block.number)])
    }

    /// Creates the result values of an instruction about to get number `index`: from the callee's
    /// signature for calls, otherwise from the opcode's result constraints.
    mutating func makeResults(_ instruction: borrowing Instruction, index: Int32) -> ValueList {
        let shape = instruction.opcode.shape
        var results = ValueList()
        if shape.variadicResults {
            let signature: Int
            switch instruction.immediates {
            case .functionRef(let ref): signature = Int(functionRefs[Int(ref)].signature)
            case .signatureRef(let sig): signature = Int(sig)
            default: return results
            }
            for position in signatures[signature].returns.indices {
                results.append(makeValue(signatures[signature].returns[position].type, .result(instruction: index)))
            }
            return results
        }
        if shape.resultCount > 0 {
            let type = shape.firstResult.resolve(controllingType: instruction.controllingType) ?? .invalid
            results.append(makeValue(type, .result(instruction: index)))
        }
        if shape.resultCount > 1 {
            let type = shape.secondResult.resolve(controllingType: instruction.controllingType) ?? .invalid
            results.append(makeValue(type, .result(instruction: index)))
        }
        return results
    }

    /// Appends an instruction at the end of `block`, creating its result values.
    mutating func appendInstruction(_ instruction: consuming Instruction, to block: Block) -> Int32 {
        let index = Int32(instructions.count)
        instruction.results = makeResults(instruction, index: index)
        instructions.append(consume instruction)
        instructionBlock.append(Int32(block.number))
        nextInstruction.append(-1)
        let b = Int(block.number)
        if lastInstruction[b] >= 0 {
            nextInstruction[Int(lastInstruction[b])] = index
        } else {
            firstInstruction[b] = index
        }
        lastInstruction[b] = index
        blockInstructionCount[b] += 1
        return index
    }

    /// Inserts an instruction before the first instruction of `block`.
    mutating func prependInstruction(_ instruction: consuming Instruction, to block: Block) -> Int32 {
        let index = Int32(instructions.count)
        instruction.results = makeResults(instruction, index: index)
        instructions.append(consume instruction)
        instructionBlock.append(Int32(block.number))
        let b = Int(block.number)
        nextInstruction.append(firstInstruction[b])
        firstInstruction[b] = index
        if lastInstruction[b] < 0 { lastInstruction[b] = index }
        blockInstructionCount[b] += 1
        return index
    }

    /// Inserts an instruction after `previous` in the same block.
    mutating func insertInstruction(_ instruction: consuming Instruction, after previous: Int32) -> Int32 {
        let index = Int32(instructions.count)
        instruction.results = makeResults(instruction, index: index)
        instructions.append(consume instruction)
        let block = instructionBlock[Int(previous)]
        instructionBlock.append(block)
        nextInstruction.append(nextInstruction[Int(previous)])
        nextInstruction[Int(previous)] = index
        if lastInstruction[Int(block)] == previous { lastInstruction[Int(block)] = index }
        blockInstructionCount[Int(block)] += 1
        return index
    }

    func results(of instruction: Int32) -> [Value] { Array(instructions[Int(instruction)].results) }

    func firstResult(of instruction: Int32) -> Value { instructions[Int(instruction)].results[0] }

    /// The constant-pool handle for `bytes`, shared by equal constants as Cranelift's pool does.
    mutating func constant(_ bytes: [UInt8]) -> UInt32 {
        let data = ConstantData(bytes: bytes)
        if let index = constants.firstIndex(of: data) { return UInt32(index) }
        constants.append(data)
        return UInt32(constants.count - 1)
    }

    mutating func region(_ data: AliasRegionData) -> UInt32 {
        for index in regions.indices where regions[index].userID == data.userID && regions[index].description == data.description {
            return UInt32(index)
        }
        let releaseID = AliasRegionKey(userID: data.userID)?.releaseID ?? nil
        if let releaseID, let index = regionReleaseIDs.firstIndex(of: releaseID) { return UInt32(index) }
        regions.append(data)
        regionKeys.append(nil)
        regionReleaseIDs.append(releaseID)
        return UInt32(regions.count - 1)
    }

    /// The region for `key`, declared on first use; its description is built only then.
    mutating func region(_ key: AliasRegionKey) -> UInt32 {
        for index in regionKeys.indices where regionKeys[index] == key { return UInt32(index) }
        let data = key.data
        for index in regions.indices where regions[index] == data {
            regionKeys[index] = key
            return UInt32(index)
        }
        let releaseID = key.releaseID
        if let releaseID, let index = regionReleaseIDs.firstIndex(of: releaseID) { return UInt32(index) }
        regions.append(data)
        regionKeys.append(key)
        regionReleaseIDs.append(releaseID)
        return UInt32(regions.count - 1)
    }

    mutating func importSignature(_ signature: Signature) -> UInt32 {
        signatures.append(signature)
        return UInt32(signatures.count - 1)
    }

    mutating func importFunction(_ data: ExternalFunctionData) -> UInt32 {
        functionRefs.append(data)
        return UInt32(functionRefs.count - 1)
    }

    mutating func createStackSlot(_ data: StackSlotData) -> UInt32 {
        stackSlots.append(data)
        return UInt32(stackSlots.count - 1)
    }

    mutating func createGlobalValue(_ data: GlobalValueData) -> UInt32 {
        globalValues.append(data)
        return UInt32(globalValues.count - 1)
    }
}

/// The instruction indices of one block, following the layout's links.
struct BlockInstructions: Sequence, IteratorProtocol {
    let links: [Int32]
    var current: Int32

    mutating func next() -> Int32? {
        guard current >= 0 else { return nil }
        let result = current
        current = links[Int(current)]
        return result
    }
}
