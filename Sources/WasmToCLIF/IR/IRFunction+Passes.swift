import CLIF

/// The passes Cranelift's `Context::optimize` runs before Wasmtime prints CLIF at opt-level none:
/// unreachable-block removal, constant-phi removal, then alias resolution (done in `makeFunction`).
extension IRFunction {
    /// The blocks reachable from the entry, following the branches of each block in layout.
    func reachableBlocks() -> [Bool] {
        var reachable = Array(repeating: false, count: blockCount)
        guard let entry = layout.first else { return reachable }
        var stack = [entry]
        reachable[Int(entry.number)] = true
        while let block = stack.popLast() {
            var instruction = firstInstruction[Int(block.number)]
            while instruction >= 0 {
                let destinations = instructions[Int(instruction)].destinations
                for index in destinations.indices where !reachable[Int(destinations[index].block.number)] {
                    reachable[Int(destinations[index].block.number)] = true
                    stack.append(destinations[index].block)
                }
                instruction = nextInstruction[Int(instruction)]
            }
        }
        return reachable
    }

    mutating func eliminateUnreachableCode() {
        let reachable = reachableBlocks()
        guard layout.contains(where: { !reachable[Int($0.number)] }) else { return }
        var kept: [Block] = []
        kept.reserveCapacity(layout.count)
        for block in layout {
            if reachable[Int(block.number)] {
                kept.append(block)
            } else {
                let b = Int(block.number)
                var instruction = firstInstruction[b]
                while instruction >= 0 {
                    instructionBlock[Int(instruction)] = -1
                    instruction = nextInstruction[Int(instruction)]
                }
                firstInstruction[b] = -1
                lastInstruction[b] = -1
                blockInstructionCount[b] = 0
                blockInLayout[b] = false
            }
        }
        layout = kept
    }

    /// Removes block parameters that receive one and the same value on every incoming edge.
    /// The lattice per parameter is kept in one array by value number: `absent` (not a parameter
    /// being solved), `none` (no incoming value yet), `many`, or the one value's number.
    mutating func removeConstantPhis() {
        guard let entry = layout.first else { return }
        guard layout.contains(where: { $0 != entry && !blockParams[Int($0.number)].isEmpty }) else { return }
        let absent = UInt32.max, none = UInt32.max - 1, many = UInt32.max - 2
        func join(_ a: UInt32, _ b: UInt32) -> UInt32 {
            if a == none { return b }
            if b == none { return a }
            if a == many || b == many { return many }
            return a == b ? a : many
        }
        var state = Array(repeating: absent, count: valueTypes.count)
        struct Edge {
            var instruction: Int32
            var destination: Int32
            var block: UInt32
            var argumentStart: Int32
            var argumentCount: Int32
        }
        var edges: [Edge] = []
        var edgeArguments: [UInt32] = []
        for block in layout {
            if block != entry {
                for param in blockParams[Int(block.number)] { state[Int(param.number)] = none }
            }
            var instruction = firstInstruction[Int(block.number)]
            while instruction >= 0 {
                let destinations = instructions[Int(instruction)].destinations
                for d in destinations.indices where !destinations[d].arguments.isEmpty {
                    let start = edgeArguments.count
                    for argument in destinations[d].arguments {
                        if case .value(let value) = argument {
                            edgeArguments.append(resolveAliases(value).number)
                        } else {
                            edgeArguments.append(many)
                        }
                    }
                    edges.append(Edge(instruction: instruction, destination: Int32(d), block: destinations[d].block.number,
                                      argumentStart: Int32(start), argumentCount: Int32(edgeArguments.count - start)))
                }
                instruction = nextInstruction[Int(instruction)]
            }
        }
        var changed = true
        while changed {
            changed = false
            for edge in edges {
                let block = Int(edge.block)
                for index in 0..<min(blockParams[block].count, Int(edge.argumentCount)) {
                    let formal = Int(blockParams[block][index].number)
                    let actual = edgeArguments[Int(edge.argumentStart) + index]
                    let incoming: UInt32
                    if actual == many {
                        incoming = many
                    } else {
                        let known = state[Int(actual)]
                        incoming = known == absent ? actual : known
                    }
                    let old = state[formal] == absent ? none : state[formal]
                    let new = join(old, incoming)
                    if new != old {
                        state[formal] = new
                        changed = true
                    }
                }
            }
        }
        func isOne(_ value: Value) -> Bool { state[Int(value.number)] < many }
        var originalFormals: [[Value]?] = Array(repeating: nil, count: blockCount)
        var anyEdited = false
        for block in layout where block != entry {
            let formals = blockParams[Int(block.number)]
            guard formals.contains(where: isOne) else { continue }
            anyEdited = true
            originalFormals[Int(block.number)] = formals
            for formal in formals.reversed() where isOne(formal) {
                removeBlockParam(formal)
                changeToAlias(formal, Value(state[Int(formal.number)]))
            }
        }
        guard anyEdited else { return }
        for edge in edges {
            guard let formals = originalFormals[Int(edge.block)] else { continue }
            let arguments = instructions[Int(edge.instruction)].destinations[Int(edge.destination)].arguments
            var kept: [BlockArg] = []
            kept.reserveCapacity(arguments.count)
            for (index, argument) in arguments.enumerated() {
                if index < formals.count, isOne(formals[index]) { continue }
                kept.append(argument)
            }
            instructions[Int(edge.instruction)].destinations[Int(edge.destination)].arguments = kept
        }
    }

    /// The finished CLIF function: layout order, aliases resolved, preamble entities numbered.
    /// Moves the instructions out, so the function is left without them.
    mutating func makeFunction() -> CLIF.Function {
        var result = CLIF.Function(name: name, signature: signature)
        result.regions = regions.enumerated().map { Declared(number: UInt32($0.offset), data: $0.element) }
        result.globalValues = globalValues.enumerated().map { Declared(number: UInt32($0.offset), data: $0.element) }
        result.signatures = signatures.enumerated().map { Declared(number: UInt32($0.offset), data: $0.element) }
        result.functionRefs = functionRefs.enumerated().map { Declared(number: UInt32($0.offset), data: $0.element) }
        result.constants = constants.enumerated().map { Declared(number: UInt32($0.offset), data: $0.element) }
        result.stackSlots = stackSlots.enumerated().map { Declared(number: UInt32($0.offset), data: $0.element) }
        if let stackLimit { result.stackLimit = Declared(number: 0, data: stackLimit) }
        result.valueTypes = valueTypes
        var params: [[BlockParam]] = []
        params.reserveCapacity(layout.count)
        for block in layout { params.append(blockData(block)) }
        if aliasCount > 0 {
            let definitions = valueDefinitions
            for block in layout {
                var index = firstInstruction[Int(block.number)]
                while index >= 0 {
                    Self.resolveArguments(&instructions[Int(index)], definitions)
                    index = nextInstruction[Int(index)]
                }
            }
        }
        var moved = instructions.take(blocks: layout, first: firstInstruction, next: nextInstruction,
                                      counts: blockInstructionCount)
        var blocks: [BlockData] = []
        blocks.reserveCapacity(layout.count)
        for (position, block) in layout.enumerated() {
            var taken: [Instruction] = []
            swap(&taken, &moved[position])
            blocks.append(BlockData(block: block, params: params[position], isCold: blockIsCold[Int(block.number)],
                                    instructions: taken))
        }
        result.blocks = blocks
        return result
    }

    func blockData(_ block: Block) -> [BlockParam] {
        blockParams[Int(block.number)].map { BlockParam(value: $0, type: valueTypes[Int($0.number)]) }
    }

    /// The value behind a chain of aliases, with the definitions given explicitly.
    static func resolve(_ value: Value, _ definitions: [ValueDefinition]) -> Value {
        var current = value
        var steps = 0
        while case .alias(let target) = definitions[Int(current.number)], steps < definitions.count {
            current = target
            steps += 1
        }
        return current
    }

    static func resolveArguments(_ instruction: inout Instruction, _ definitions: [ValueDefinition]) {
        for index in instruction.arguments.indices {
            let resolved = resolve(instruction.arguments[index], definitions)
            if resolved != instruction.arguments[index] { instruction.arguments[index] = resolved }
        }
        for d in instruction.destinations.indices {
            for a in instruction.destinations[d].arguments.indices {
                if case .value(let value) = instruction.destinations[d].arguments[a] {
                    let resolved = resolve(value, definitions)
                    if resolved != value { instruction.destinations[d].arguments[a] = .value(resolved) }
                }
            }
        }
    }
}
