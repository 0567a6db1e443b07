import CLIF

/// cranelift-frontend's safepoint spiller (`frontend/safepoints.rs`), run when the builder
/// finishes a function that has values needing stack maps (GC references): a backwards liveness
/// analysis over the blocks in DFS post order finds the values live across each call; each such
/// value gets a stack slot, is stored right after its definition, reloaded right before each use,
/// and listed in the `stack_map` of every call it is live across. Instructions are created in the
/// pass's own order so that values and slots get Cranelift's numbers.
extension IRFunction {
    mutating func insertSafepointSpills(stackMapValues: Set<UInt32>) {
        var liveness = SafepointLiveness(self, stackMapValues: stackMapValues)
        liveness.solve(self)
        var spiller = SafepointSpiller(liveness: liveness)
        spiller.rewrite(&self)
    }

    /// The blocks reachable from the entry in DFS post order (Cranelift's `Dfs`, which visits the
    /// successors of the terminator in order).
    func postOrder() -> [Block] {
        guard let entry = layout.first else { return [] }
        var seen = [Bool](repeating: false, count: blockCount)
        var stack: [(exit: Bool, block: Block)] = [(false, entry)]
        var order: [Block] = []
        while let (exit, block) = stack.popLast() {
            if exit {
                order.append(block)
                continue
            }
            guard !seen[Int(block.number)] else { continue }
            seen[Int(block.number)] = true
            stack.append((true, block))
            for successor in successors(of: block).reversed() { stack.append((false, successor)) }
        }
        return order
    }

    /// The blocks the terminator of `block` may branch to, in order.
    func successors(of block: Block) -> [Block] {
        let last = lastInstruction[Int(block.number)]
        guard last >= 0 else { return [] }
        return instructions[Int(last)].destinations.map(\.block)
    }

    /// The values an instruction uses: its arguments, then its branch arguments.
    func usedValues(_ index: Int32) -> [Value] {
        let instruction = instructions[Int(index)]
        var values = Array(instruction.arguments)
        for destination in instruction.destinations {
            for argument in destination.arguments {
                if case .value(let value) = argument { values.append(value) }
            }
        }
        return values
    }

    /// The instructions of `block` in order.
    func orderedInstructions(_ block: Block) -> [Int32] {
        Array(instructionIndices(of: block))
    }

    /// Adds an instruction that is in no block yet; `relink` places it.
    mutating func makeDetachedInstruction(_ instruction: consuming Instruction, block: Block) -> Int32 {
        let index = Int32(instructions.count)
        instruction.results = makeResults(instruction, index: index)
        instructions.append(consume instruction)
        instructionBlock.append(Int32(block.number))
        nextInstruction.append(-1)
        return index
    }

    /// Makes `order` the instruction list of `block`.
    mutating func relink(_ block: Block, _ order: [Int32]) {
        let b = Int(block.number)
        firstInstruction[b] = order.first ?? -1
        lastInstruction[b] = order.last ?? -1
        blockInstructionCount[b] = Int32(order.count)
        for (position, index) in order.enumerated() {
            instructionBlock[Int(index)] = Int32(b)
            nextInstruction[Int(index)] = position + 1 < order.count ? order[position + 1] : -1
        }
    }

    static func isSafepoint(_ opcode: Opcode) -> Bool {
        let properties = opcode.info.properties
        return properties.contains(.call) && !properties.contains(.return)
    }
}

/// Which stack-map values are live where (`LivenessAnalysis`): live-in and live-out sets per block
/// of the post order, solved to a fixed point, then the live set at each safepoint.
struct SafepointLiveness {
    let stackMapValues: Set<UInt32>
    let postOrder: [Block]
    var indexOf: [Int]
    var predecessors: [[Int]]
    var liveIns: [Set<UInt32>]
    var liveOuts: [Set<UInt32>]
    /// The values live across each safepoint instruction, sorted by number.
    var safepoints: [Int32: [UInt32]] = [:]
    var liveAcrossAnySafepoint: Set<UInt32> = []

    init(_ function: IRFunction, stackMapValues: Set<UInt32>) {
        self.stackMapValues = stackMapValues
        postOrder = function.postOrder()
        indexOf = [Int](repeating: -1, count: function.blockCount)
        for (index, block) in postOrder.enumerated() { indexOf[Int(block.number)] = index }
        predecessors = [[Int]](repeating: [], count: postOrder.count)
        liveIns = [Set<UInt32>](repeating: [], count: postOrder.count)
        liveOuts = [Set<UInt32>](repeating: [], count: postOrder.count)
        for (index, block) in postOrder.enumerated() {
            for successor in function.successors(of: block) where indexOf[Int(successor.number)] >= 0 {
                predecessors[indexOf[Int(successor.number)]].append(index)
            }
        }
    }

    /// The live set at the top of block `index`, given its live-out set; records safepoints when asked.
    mutating func processBlock(_ function: IRFunction, _ index: Int, record: Bool) -> Set<UInt32> {
        let block = postOrder[index]
        var live = liveOuts[index]
        for instruction in function.orderedInstructions(block).reversed() {
            for result in function.instructions[Int(instruction)].results { live.remove(result.number) }
            if record && IRFunction.isSafepoint(function.instructions[Int(instruction)].opcode) {
                let sorted = live.sorted()
                liveAcrossAnySafepoint.formUnion(sorted)
                safepoints[instruction] = sorted
            }
            for value in function.usedValues(instruction) {
                let resolved = function.resolveAliases(value)
                if stackMapValues.contains(resolved.number) { live.insert(resolved.number) }
            }
        }
        for parameter in function.blockParams[Int(block.number)] { live.remove(parameter.number) }
        return live
    }

    mutating func solve(_ function: IRFunction) {
        var pending = Array((0..<postOrder.count).reversed())
        var queued = Set(pending)
        while let index = pending.popLast() {
            guard queued.remove(index) != nil else { continue }
            for successor in function.successors(of: postOrder[index]) {
                let successorIndex = indexOf[Int(successor.number)]
                if successorIndex >= 0 { liveOuts[index].formUnion(liveIns[successorIndex]) }
            }
            let before = liveIns[index].count
            liveIns[index].formUnion(processBlock(function, index, record: false))
            if liveIns[index].count != before {
                for predecessor in predecessors[index] {
                    pending.append(predecessor)
                    queued.insert(predecessor)
                }
            }
        }
        for index in postOrder.indices { _ = processBlock(function, index, record: true) }
    }
}

/// Stack slots for the values live across safepoints and the spills and reloads around them
/// (`SafepointSpiller`): slots are reused through one free list per size once a value's
/// definition is passed, walking each block backwards.
struct SafepointSpiller {
    let liveness: SafepointLiveness
    var slots: [UInt32: UInt32] = [:]
    var freeSlots: [UInt32: [UInt32]] = [:]

    init(liveness: SafepointLiveness) {
        self.liveness = liveness
    }

    mutating func slot(_ function: inout IRFunction, for value: UInt32) -> UInt32 {
        if let existing = slots[value] { return existing }
        let size = UInt32(function.valueTypes[Int(value)].bytes)
        let slot: UInt32
        if let reused = freeSlots[size]?.popLast() {
            slot = reused
        } else {
            function.stackSlots.append(StackSlotData(kind: .explicitSlot, size: size,
                                                     alignShift: UInt8(size.trailingZeroBitCount)))
            slot = UInt32(function.stackSlots.count - 1)
        }
        slots[value] = slot
        return slot
    }

    func spillFlags(_ function: inout IRFunction, slot: UInt32) -> MemFlags {
        var flags = MemFlags.trusted
        flags.region = function.region(AliasRegionKey.stack(slot: slot))
        return flags
    }

    mutating func rewrite(_ function: inout IRFunction) {
        for index in liveness.postOrder.indices {
            let block = liveness.postOrder[index]
            for value in liveness.liveOuts[index].filter(liveness.liveAcrossAnySafepoint.contains).sorted() {
                _ = slot(&function, for: value)
            }
            var order = function.orderedInstructions(block)
            var position = order.count - 1
            while position >= 0 {
                let instruction = order[position]
                var after = position + 1
                for result in function.instructions[Int(instruction)].results {
                    for spill in spill(&function, result, block: block) {
                        order.insert(spill, at: after)
                        after += 1
                    }
                }
                if let live = liveness.safepoints[instruction] {
                    for value in live {
                        let slot = slot(&function, for: value)
                        let type = function.valueTypes[Int(value)]
                        function.instructions[Int(instruction)].stackMap.append(StackMapEntry(type: type, slot: slot, offset: 0))
                    }
                }
                var reloads: [Int32] = []
                var replaced: [Value] = []
                var replacedAny = false
                for value in function.usedValues(instruction) {
                    let resolved = function.resolveAliases(value)
                    if liveness.liveAcrossAnySafepoint.contains(resolved.number) {
                        let (address, load) = reload(&function, resolved, block: block)
                        reloads += [address, load]
                        replaced.append(function.firstResult(of: load))
                        replacedAny = true
                    } else {
                        replaced.append(resolved)
                    }
                }
                if replacedAny { overwriteUses(&function, instruction, with: replaced) }
                order.insert(contentsOf: reloads, at: position)
                position -= 1
            }
            var top = 0
            for parameter in function.blockParams[Int(block.number)] {
                for spill in spill(&function, parameter, block: block) {
                    order.insert(spill, at: top)
                    top += 1
                }
            }
            function.relink(block, order)
        }
    }

    /// The store of a value that has a slot, right after its definition; its slot is free above.
    mutating func spill(_ function: inout IRFunction, _ value: Value, block: Block) -> [Int32] {
        guard let slot = slots[value.number] else { return [] }
        let flags = spillFlags(&function, slot: slot)
        let address = function.makeDetachedInstruction(
            Instruction(built: Op.named("stack_addr"), controllingType: .i64, immediates: .stackSlot(slot, offset: 0)), block: block)
        let store = function.makeDetachedInstruction(
            Instruction(built: Op.store, controllingType: function.type(of: value),
                        arguments: ValueList(value, function.firstResult(of: address)), immediates: .memory(flags, offset: 0)),
            block: block)
        freeSlots[UInt32(function.type(of: value).bytes), default: []].append(slot)
        return [address, store]
    }

    /// The reload of a value right before a use.
    mutating func reload(_ function: inout IRFunction, _ value: Value, block: Block) -> (Int32, Int32) {
        let type = function.type(of: value)
        let slot = slot(&function, for: value.number)
        let flags = spillFlags(&function, slot: slot)
        let address = function.makeDetachedInstruction(
            Instruction(built: Op.named("stack_addr"), controllingType: .i64, immediates: .stackSlot(slot, offset: 0)), block: block)
        let load = function.makeDetachedInstruction(
            Instruction(built: Op.load, controllingType: type, arguments: ValueList(function.firstResult(of: address)),
                        immediates: .memory(flags, offset: 0)), block: block)
        return (address, load)
    }

    /// Replaces the used values of an instruction, in `usedValues` order.
    func overwriteUses(_ function: inout IRFunction, _ instruction: Int32, with values: [Value]) {
        var next = 0
        for index in function.instructions[Int(instruction)].arguments.indices {
            function.instructions[Int(instruction)].arguments[index] = values[next]
            next += 1
        }
        for d in function.instructions[Int(instruction)].destinations.indices {
            for a in function.instructions[Int(instruction)].destinations[d].arguments.indices {
                if case .value = function.instructions[Int(instruction)].destinations[d].arguments[a] {
                    function.instructions[Int(instruction)].destinations[d].arguments[a] = .value(values[next])
                    next += 1
                }
            }
        }
    }
}
