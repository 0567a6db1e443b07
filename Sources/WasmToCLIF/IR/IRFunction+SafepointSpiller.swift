import CLIF

/// cranelift-frontend's safepoint spiller (`safepoints.rs`), run when the builder finishes a
/// function that has needs-stack-map values: a backward liveness analysis finds the values live
/// across each call; each such value gets a stack slot (reused by size once its definition is
/// passed), is stored to it after its definition and reloaded before every use, and every call it
/// is live across lists it in its `stack_map`. Blocks are visited in the same post-order and
/// instructions backwards, so new values and slots get Cranelift's numbers.
extension IRFunction {
    /// The targets of the block's last instruction, in Cranelift's `block_successors` order.
    func successors(of block: Block) -> [Block] {
        let last = lastInstruction[Int(block.number)]
        guard last >= 0 else { return [] }
        return instructions[Int(last)].destinations.map(\.block)
    }

    /// Cranelift's `Dfs::post_order_iter`: from the entry, successors pushed in reverse.
    func postOrder() -> [Block] {
        guard let entry = layout.first else { return [] }
        var seen = [Bool](repeating: false, count: blockCount)
        var order: [Block] = []
        var stack: [(enter: Bool, block: Block)] = [(true, entry)]
        while let (enter, block) = stack.popLast() {
            guard enter else {
                order.append(block)
                continue
            }
            guard !seen[Int(block.number)] else { continue }
            seen[Int(block.number)] = true
            stack.append((false, block))
            for successor in successors(of: block).reversed() where !seen[Int(successor.number)] {
                stack.append((true, successor))
            }
        }
        return order
    }

    /// The instructions of `block` in layout order, as a snapshot.
    func instructionList(of block: Block) -> [Int32] {
        var list: [Int32] = []
        list.reserveCapacity(Int(blockInstructionCount[Int(block.number)]))
        for index in instructionIndices(of: block) { list.append(index) }
        return list
    }

    /// Every value an instruction reads, in Cranelift's `inst_values` order: arguments, then
    /// branch arguments per destination, then exception-table contexts.
    func operandValues(of instruction: Int32) -> [Value] {
        let data = instructions[Int(instruction)]
        var values = Array(data.arguments)
        for destination in data.destinations {
            for case .value(let value) in destination.arguments { values.append(value) }
        }
        for case .context(let value) in data.exceptionItems { values.append(value) }
        return values
    }

    /// Whether the instruction is a safepoint: a call that does not return from the function.
    func isSafepoint(_ instruction: Int32) -> Bool {
        let properties = instructions[Int(instruction)].opcode.info.properties
        return properties.contains(.call) && !properties.contains(.return)
    }

    mutating func insertSafepointSpills(stackMapValues: Set<UInt32>, region: (@Sendable (UInt32) -> AliasRegionKey)?) {
        var liveness = SafepointLiveness(function: self, stackMapValues: stackMapValues)
        liveness.solve(self)
        var spiller = SafepointRewriter(liveness: liveness, region: region)
        spiller.rewrite(&self)
    }
}

/// Which needs-stack-map values are live into and out of each block, and across each safepoint.
struct SafepointLiveness {
    let stackMapValues: Set<UInt32>
    let postOrder: [Block]
    /// Post-order index per block number, -1 for blocks the traversal does not reach.
    var index: [Int32]
    var predecessors: [[Int32]]
    var liveIns: [Set<UInt32>]
    var liveOuts: [Set<UInt32>]
    /// The sorted live values at each safepoint instruction.
    var safepoints: [Int32: [UInt32]] = [:]
    var liveAcrossAnySafepoint: Set<UInt32> = []

    init(function: IRFunction, stackMapValues: Set<UInt32>) {
        self.stackMapValues = stackMapValues
        postOrder = function.postOrder()
        index = [Int32](repeating: -1, count: function.blockCount)
        for (position, block) in postOrder.enumerated() { index[Int(block.number)] = Int32(position) }
        predecessors = Array(repeating: [], count: postOrder.count)
        liveIns = Array(repeating: [], count: postOrder.count)
        liveOuts = Array(repeating: [], count: postOrder.count)
        for (position, block) in postOrder.enumerated() {
            for successor in function.successors(of: block) {
                let target = Int(index[Int(successor.number)])
                if target >= 0 { predecessors[target].append(Int32(position)) }
            }
        }
    }

    /// The worklist fixed point of `LivenessAnalysis::run`, then one recording pass per block.
    mutating func solve(_ function: IRFunction) {
        var stack: [Int32] = []
        var needsUpdate = Set<Int32>()
        func push(_ position: Int32) {
            needsUpdate.insert(position)
            stack.append(position)
        }
        for position in postOrder.indices.reversed() { push(Int32(position)) }
        while let popped = stack.popLast() {
            guard needsUpdate.remove(popped) != nil else { continue }
            let position = Int(popped)
            let before = liveIns[position].count
            for successor in function.successors(of: postOrder[position]) {
                let target = Int(index[Int(successor.number)])
                if target >= 0 { liveOuts[position].formUnion(liveIns[target]) }
            }
            let live = process(function, position, record: false)
            liveIns[position].formUnion(live)
            if liveIns[position].count != before {
                for predecessor in predecessors[position] { push(predecessor) }
            }
        }
        for position in postOrder.indices {
            _ = process(function, position, record: true)
        }
    }

    /// Walks one block backwards from its live-out set; returns its live-in set.
    mutating func process(_ function: IRFunction, _ position: Int, record: Bool) -> Set<UInt32> {
        let block = postOrder[position]
        var live = liveOuts[position]
        for instruction in function.instructionList(of: block).reversed() {
            for result in function.instructions[Int(instruction)].results { live.remove(result.number) }
            if record, function.isSafepoint(instruction) {
                let values = live.sorted()
                liveAcrossAnySafepoint.formUnion(values)
                safepoints[instruction] = values
            }
            for value in function.operandValues(of: instruction) {
                let resolved = function.resolveAliases(value).number
                if stackMapValues.contains(resolved) { live.insert(resolved) }
            }
        }
        for param in function.blockParams[Int(block.number)] { live.remove(param.number) }
        return live
    }
}

/// The rewriting half of Cranelift's `SafepointSpiller`: slots, spills, reloads and stack maps.
struct SafepointRewriter {
    let liveness: SafepointLiveness
    let region: (@Sendable (UInt32) -> AliasRegionKey)?
    var slots: [UInt32: UInt32] = [:]
    /// Free slots by size in bytes, reused last-freed first.
    var freeSlots: [UInt32: [UInt32]] = [:]

    init(liveness: SafepointLiveness, region: (@Sendable (UInt32) -> AliasRegionKey)?) {
        self.liveness = liveness
        self.region = region
    }

    mutating func slot(for value: UInt32, in function: inout IRFunction) -> UInt32 {
        if let slot = slots[value] { return slot }
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

    func flags(_ function: inout IRFunction, slot: UInt32) -> MemFlags {
        var flags = MemFlags.trusted
        if let region { flags.region = function.region(region(slot)) }
        return flags
    }

    /// `stack_addr` of the slot, then `store` (spill) or `load` (reload); returns the last
    /// instruction and the loaded value.
    mutating func access(_ function: inout IRFunction, slot: UInt32, store value: Value?, type: CLIFType,
                         place: (inout IRFunction, consuming Instruction) -> Int32) -> (Int32, Value?) {
        let memory = flags(&function, slot: slot)
        let address = place(&function, Instruction(built: Op.named("stack_addr"), controllingType: .i64,
                                                   immediates: .stackSlot(slot, offset: 0)))
        let addressValue = function.firstResult(of: address)
        if let value {
            let store = function.insertInstruction(Instruction(built: Op.store, controllingType: type,
                                                               arguments: ValueList([value, addressValue]),
                                                               immediates: .memory(memory, offset: 0)), after: address)
            return (store, nil)
        }
        let load = function.insertInstruction(Instruction(built: Op.load, controllingType: type, arguments: ValueList(addressValue),
                                                          immediates: .memory(memory, offset: 0)), after: address)
        return (load, function.firstResult(of: load))
    }

    /// Spills `value` after `previous` if it has a slot, then frees the slot.
    mutating func spill(_ function: inout IRFunction, _ value: Value, after previous: Int32?, block: Block) -> Int32? {
        guard let slot = slots[value.number] else { return previous }
        let type = function.type(of: value)
        let (store, _) = access(&function, slot: slot, store: value, type: type) { function, instruction in
            if let previous { return function.insertInstruction(instruction, after: previous) }
            return function.prependInstruction(instruction, to: block)
        }
        freeSlots[UInt32(type.bytes), default: []].append(slot)
        return store
    }

    mutating func rewrite(_ function: inout IRFunction) {
        for (position, block) in liveness.postOrder.enumerated() {
            for value in liveness.liveOuts[position].filter(liveness.liveAcrossAnySafepoint.contains).sorted() {
                _ = slot(for: value, in: &function)
            }
            let list = function.instructionList(of: block)
            for k in list.indices.reversed() {
                let instruction = list[k]
                var last: Int32? = instruction
                for result in function.instructions[Int(instruction)].results {
                    last = spill(&function, result, after: last, block: block)
                }
                if let live = liveness.safepoints[instruction] {
                    var entries: [StackMapEntry] = []
                    for value in live {
                        let slot = slot(for: value, in: &function)
                        entries.append(StackMapEntry(type: function.valueTypes[Int(value)], slot: slot, offset: 0))
                    }
                    function.instructions[Int(instruction)].stackMap += entries
                }
                reloadOperands(&function, instruction, after: k > 0 ? list[k - 1] : nil, block: block)
            }
            var last: Int32?
            for param in function.blockParams[Int(block.number)] {
                last = spill(&function, param, after: last, block: block)
            }
        }
    }

    /// Replaces the operands of `instruction` that live across a safepoint with reloads placed
    /// just before it (after `previous`, or at the top of the block).
    mutating func reloadOperands(_ function: inout IRFunction, _ instruction: Int32, after previous: Int32?, block: Block) {
        var values = function.operandValues(of: instruction).map { function.resolveAliases($0) }
        var last = previous
        var replaced = false
        for position in values.indices where liveness.liveAcrossAnySafepoint.contains(values[position].number) {
            let slot = slot(for: values[position].number, in: &function)
            let (load, loaded) = access(&function, slot: slot, store: nil, type: function.type(of: values[position])) { function, new in
                if let last { return function.insertInstruction(new, after: last) }
                return function.prependInstruction(new, to: block)
            }
            last = load
            values[position] = loaded!
            replaced = true
        }
        guard replaced else { return }
        var next = 0
        for a in function.instructions[Int(instruction)].arguments.indices {
            function.instructions[Int(instruction)].arguments[a] = values[next]
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
