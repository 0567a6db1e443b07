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
struct IRFunction: Sendable {
    var name: FunctionName
    var signature: Signature

    var valueTypes: [CLIFType] = []
    var valueDefinitions: [ValueDefinition] = []

    var instructions: [Instruction] = []
    /// The block holding each instruction, -1 once removed from the layout.
    var instructionBlock: [Int32] = []

    var blockParams: [[Value]] = []
    var blockInstructions: [[Int32]] = []
    var blockIsCold: [Bool] = []
    var blockInLayout: [Bool] = []
    /// Blocks in layout order.
    var layout: [Block] = []

    var regions: [AliasRegionData] = []
    var globalValues: [GlobalValueData] = []
    var signatures: [Signature] = []
    var functionRefs: [ExternalFunctionData] = []
    var constants: [ConstantData] = []
    var stackLimit: UInt32?

    init(name: FunctionName, signature: Signature) {
        self.name = name
        self.signature = signature
        valueTypes.reserveCapacity(256)
        valueDefinitions.reserveCapacity(256)
        instructions.reserveCapacity(256)
        instructionBlock.reserveCapacity(256)
    }

    var blockCount: Int { blockParams.count }

    mutating func makeBlock() -> Block {
        let block = Block(UInt32(blockParams.count))
        blockParams.append([])
        blockInstructions.append([])
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
        guard case .parameter(let block) = valueDefinitions[Int(value.number)] else { return }
        blockParams[Int(block)].removeAll { $0 == value }
    }

    mutating func changeToAlias(_ value: Value, _ target: Value) {
        valueDefinitions[Int(value.number)] = .alias(target)
    }

    func resolveAliases(_ value: Value) -> Value {
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

    /// Appends an instruction at the end of `block`, creating its result values.
    mutating func appendInstruction(_ instruction: Instruction, resultTypes: [CLIFType], to block: Block) -> Int32 {
        let index = Int32(instructions.count)
        var instruction = instruction
        instruction.results = ValueList(resultTypes.map { makeValue($0, .result(instruction: index)) })
        instructions.append(instruction)
        instructionBlock.append(Int32(block.number))
        blockInstructions[Int(block.number)].append(index)
        return index
    }

    /// Inserts an instruction before the first instruction of `block`.
    mutating func prependInstruction(_ instruction: Instruction, resultTypes: [CLIFType], to block: Block) -> Int32 {
        let index = Int32(instructions.count)
        var instruction = instruction
        instruction.results = ValueList(resultTypes.map { makeValue($0, .result(instruction: index)) })
        instructions.append(instruction)
        instructionBlock.append(Int32(block.number))
        blockInstructions[Int(block.number)].insert(index, at: 0)
        return index
    }

    func results(of instruction: Int32) -> [Value] { Array(instructions[Int(instruction)].results) }

    /// The constant-pool handle for `bytes`, shared by equal constants as Cranelift's pool does.
    mutating func constant(_ bytes: [UInt8]) -> UInt32 {
        let data = ConstantData(bytes: bytes)
        if let index = constants.firstIndex(of: data) { return UInt32(index) }
        constants.append(data)
        return UInt32(constants.count - 1)
    }

    mutating func region(_ data: AliasRegionData) -> UInt32 {
        if let index = regions.firstIndex(of: data) { return UInt32(index) }
        regions.append(data)
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

    mutating func createGlobalValue(_ data: GlobalValueData) -> UInt32 {
        globalValues.append(data)
        return UInt32(globalValues.count - 1)
    }
}
