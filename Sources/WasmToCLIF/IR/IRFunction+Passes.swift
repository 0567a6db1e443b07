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
            for instruction in blockInstructions[Int(block.number)] {
                for destination in instructions[Int(instruction)].destinations
                where !reachable[Int(destination.block.number)] {
                    reachable[Int(destination.block.number)] = true
                    stack.append(destination.block)
                }
            }
        }
        return reachable
    }

    mutating func eliminateUnreachableCode() {
        let reachable = reachableBlocks()
        var kept: [Block] = []
        kept.reserveCapacity(layout.count)
        for block in layout {
            if reachable[Int(block.number)] {
                kept.append(block)
            } else {
                for instruction in blockInstructions[Int(block.number)] { instructionBlock[Int(instruction)] = -1 }
                blockInstructions[Int(block.number)] = []
                blockInLayout[Int(block.number)] = false
            }
        }
        layout = kept
    }

    /// Removes block parameters that receive one and the same value on every incoming edge.
    mutating func removeConstantPhis() {
        guard let entry = layout.first else { return }
        enum Abstract: Equatable { case none, one(Value), many }
        func join(_ a: Abstract, _ b: Abstract) -> Abstract {
            switch (a, b) {
            case (.none, _): return b
            case (_, .none): return a
            case (.many, _), (_, .many): return .many
            case (.one(let x), .one(let y)): return x == y ? a : .many
            }
        }
        var state: [Value: Abstract] = [:]
        var edges: [(instruction: Int32, destination: Int, block: Block, args: [Value])] = []
        for block in layout {
            if block != entry {
                for param in blockParams[Int(block.number)] { state[param] = Abstract.none }
            }
            for instruction in blockInstructions[Int(block.number)] {
                for (d, destination) in instructions[Int(instruction)].destinations.enumerated() where !destination.arguments.isEmpty {
                    let args = destination.arguments.map { arg -> Value in
                        if case .value(let value) = arg { return resolveAliases(value) }
                        return Value(UInt32.max)
                    }
                    edges.append((instruction, d, destination.block, args))
                }
            }
        }
        if state.isEmpty { return }
        var changed = true
        while changed {
            changed = false
            for edge in edges {
                let formals = blockParams[Int(edge.block.number)]
                for (formal, actual) in zip(formals, edge.args) {
                    let incoming: Abstract = actual.number == UInt32.max ? .many : (state[actual] ?? .one(actual))
                    let old = state[formal] ?? Abstract.none
                    let new = join(old, incoming)
                    if new != old {
                        state[formal] = new
                        changed = true
                    }
                }
            }
        }
        var editedBlocks = Set<Block>()
        var originalFormals: [Block: [Value]] = [:]
        for block in layout where block != entry {
            let formals = blockParams[Int(block.number)]
            guard formals.contains(where: { if case .one = state[$0] { return true } else { return false } }) else { continue }
            editedBlocks.insert(block)
            originalFormals[block] = formals
            for formal in formals.reversed() {
                if case .one(let replacement) = state[formal] {
                    removeBlockParam(formal)
                    changeToAlias(formal, replacement)
                }
            }
        }
        guard !editedBlocks.isEmpty else { return }
        for edge in edges where editedBlocks.contains(edge.block) {
            let formals = originalFormals[edge.block] ?? []
            var arguments = instructions[Int(edge.instruction)].destinations[edge.destination].arguments
            var kept: [BlockArg] = []
            for (index, argument) in arguments.enumerated() {
                if index < formals.count, case .one = state[formals[index]] { continue }
                kept.append(argument)
            }
            arguments = kept
            instructions[Int(edge.instruction)].destinations[edge.destination].arguments = arguments
        }
    }

    /// The finished CLIF function: layout order, aliases resolved, preamble entities numbered.
    func makeFunction() -> CLIF.Function {
        var result = CLIF.Function(name: name, signature: signature)
        result.regions = regions.enumerated().map { Declared(number: UInt32($0.offset), data: $0.element) }
        result.globalValues = globalValues.enumerated().map { Declared(number: UInt32($0.offset), data: $0.element) }
        result.signatures = signatures.enumerated().map { Declared(number: UInt32($0.offset), data: $0.element) }
        result.functionRefs = functionRefs.enumerated().map { Declared(number: UInt32($0.offset), data: $0.element) }
        result.constants = constants.enumerated().map { Declared(number: UInt32($0.offset), data: $0.element) }
        if let stackLimit { result.stackLimit = Declared(number: 0, data: stackLimit) }
        result.valueTypes = valueTypes
        result.blocks.reserveCapacity(layout.count)
        for block in layout {
            var data = BlockData(block: block, isCold: blockIsCold[Int(block.number)])
            data.params = blockParams[Int(block.number)].map { BlockParam(value: $0, type: valueTypes[Int($0.number)]) }
            data.instructions.reserveCapacity(blockInstructions[Int(block.number)].count)
            for index in blockInstructions[Int(block.number)] {
                var instruction = instructions[Int(index)]
                instruction.arguments = ValueList(instruction.arguments.map(resolveAliases))
                for d in instruction.destinations.indices {
                    for a in instruction.destinations[d].arguments.indices {
                        if case .value(let value) = instruction.destinations[d].arguments[a] {
                            instruction.destinations[d].arguments[a] = .value(resolveAliases(value))
                        }
                    }
                }
                data.instructions.append(instruction)
            }
            result.blocks.append(data)
        }
        return result
    }
}
