extension FunctionValidator {
    /// Applies one instruction to the operand and control stacks.
    @inline(__always)
    mutating func step(_ instruction: Instruction) throws(ValidationError) {
        let opcode = instruction.opcode
        if isConstant { try checkConstant(instruction) }
        switch signatures[Int(opcode.rawValue)] {
        case .plain(let parameters, let results):
            if opcode == .i8x16Shuffle { try checkLaneImmediates(instruction) }
            if parameters.count > 0 {
                if parameters.count > 3 { try pop(parameters.fourth) }
                if parameters.count > 2 { try pop(parameters.third) }
                if parameters.count > 1 { try pop(parameters.second) }
                try pop(parameters.first)
            }
            if results.count > 0 {
                operands.append(results.first)
                if results.count > 1 { operands.append(results.second) }
            }
        case .load(let type):
            let address = try memoryAccess(instruction)
            try pop(address)
            push(type)
        case .store(let type):
            let address = try memoryAccess(instruction)
            try pop(type)
            try pop(address)
        case .readModifyWrite(let type):
            let address = try memoryAccess(instruction)
            try pop(type)
            try pop(address)
            push(type)
        case .compareExchange(let type):
            let address = try memoryAccess(instruction)
            try pop(type)
            try pop(type)
            try pop(address)
            push(type)
        case .loadLane:
            let address = try memoryAccess(instruction)
            try pop(.v128)
            try pop(address)
            push(.v128)
        case .storeLane:
            let address = try memoryAccess(instruction)
            try pop(.v128)
            try pop(address)
        case .extractLane(let lanes, let type):
            try checkLane(instruction, below: lanes)
            try pop(.v128)
            push(type)
        case .replaceLane(let lanes, let type):
            try checkLane(instruction, below: lanes)
            try pop(type)
            try pop(.v128)
            push(.v128)
        case .contextual:
            try contextualStep(instruction)
        }
    }

    func checkLane(_ instruction: Instruction, below lanes: UInt8) throws(ValidationError) {
        guard case .index(let lane) = instruction.immediates, lane < UInt32(lanes) else {
            throw fail("invalid lane index")
        }
    }

    func checkLaneImmediates(_ instruction: Instruction) throws(ValidationError) {
        guard instruction.opcode == .i8x16Shuffle, case .v128(let lanes) = instruction.immediates else { return }
        for byte in lanes.bytes where byte >= 32 { throw fail("invalid lane index") }
    }

    /// Checks a memory argument (memory, alignment, offset, lane) and returns the address type.
    func memoryAccess(_ instruction: Instruction) throws(ValidationError) -> ValueType {
        let memArg: MemArg
        var lane: UInt8?
        switch instruction.immediates {
        case .memArg(let m): memArg = m
        case .memArgLane(let m, let l):
            memArg = m
            lane = l
        default: throw fail("malformed memory argument")
        }
        let memory = try memory(memArg.memory)
        let natural = OperatorSignatures.alignments[Int(instruction.opcode.rawValue)]
        if OperatorSignatures.atomic[Int(instruction.opcode.rawValue)] {
            guard memArg.alignLog2 == natural else { throw fail("atomic alignment must be natural alignment") }
        } else if memArg.alignLog2 > natural {
            throw fail("alignment must not be larger than natural")
        }
        let is64 = context.memories[memory].limits.is64
        if !is64, memArg.offset > UInt64(UInt32.max) { throw fail("offset out of range: must be <= 2**32") }
        if let lane {
            let bytes = UInt32(1) << natural
            guard UInt32(lane) < 16 / bytes else { throw fail("invalid lane index") }
        }
        return is64 ? .i64 : .i32
    }

    /// Instructions whose typing depends on immediates or on the module.
    mutating func contextualStep(_ instruction: Instruction) throws(ValidationError) {
        switch instruction.opcode {
        case .nop:
            break
        case .unreachable:
            setUnreachable()
        case .block, .loop, .if, .try:
            guard case .blockType(let blockType) = instruction.immediates else { throw fail("malformed block type") }
            let (parameters, results) = try blockSignature(blockType)
            if instruction.opcode == .if { try pop(.i32) }
            try popAll(parameters)
            let kind: FrameKind =
                switch instruction.opcode {
                case .loop: .loop
                case .if: .if
                case .try: .try
                default: .block
                }
            pushFrame(kind, parameters: parameters, results: results)
        case .tryTable:
            try tryTable(instruction)
        case .else:
            guard frames[frames.count - 1].kind == .if else { throw fail("else found outside of an `if` block") }
            let frame = try popFrame()
            pushFrame(.else, parameters: frame.parameters, results: frame.results)
            frames[frames.count - 1].start = frame.start
        case .end:
            let frame = try popFrame()
            if frame.kind == .if, frame.parameters != frame.results {
                guard frame.parameters.count == frame.results.count,
                    zip(frame.parameters, frame.results).allSatisfy({ types.isSubtype($0, $1) })
                else {
                    throw fail("type mismatch: if without else must leave its parameters as results",
                               related: blockNote(frame))
                }
            }
            if !frames.isEmpty { push(frame.results) }
        case .catch:
            guard case .index(let tagIndex) = instruction.immediates else { throw fail("malformed tag") }
            let kind = frames[frames.count - 1].kind
            guard kind == .try || kind == .catch else { throw fail("catch found outside of a `try` block") }
            let frame = try popFrame()
            let tag = try tag(tagIndex)
            pushFrame(.catch, parameters: [], results: frame.results)
            frames[frames.count - 1].start = frame.start
            push(tag.parameters)
        case .catchAll:
            let kind = frames[frames.count - 1].kind
            guard kind == .try || kind == .catch else { throw fail("catch_all found outside of a `try` block") }
            let frame = try popFrame()
            pushFrame(.catchAll, parameters: [], results: frame.results)
            frames[frames.count - 1].start = frame.start
        case .delegate:
            guard case .index(let depth) = instruction.immediates else { throw fail("malformed label") }
            guard frames[frames.count - 1].kind == .try else { throw fail("delegate found outside of a `try` block") }
            let frame = try popFrame()
            _ = try label(depth)
            push(frame.results)
        case .rethrow:
            guard case .index(let depth) = instruction.immediates else { throw fail("malformed label") }
            let target = try label(depth)
            guard target.kind == .catch || target.kind == .catchAll else {
                throw fail("invalid rethrow label: target was not a `catch` block")
            }
            setUnreachable()
        case .throw:
            guard case .index(let tagIndex) = instruction.immediates else { throw fail("malformed tag") }
            let tag = try tag(tagIndex)
            try popAll(tag.parameters)
            setUnreachable()
        case .throwRef:
            try pop(.ref(RefType(nullable: true, heapType: .abstract(.exn))))
            setUnreachable()
        case .br:
            guard case .index(let depth) = instruction.immediates else { throw fail("malformed label") }
            try popAll(try label(depth).labelTypes)
            setUnreachable()
        case .brIf:
            guard case .index(let depth) = instruction.immediates else { throw fail("malformed label") }
            let types = try label(depth).labelTypes
            try pop(.i32)
            try popAll(types)
            push(types)
        case .brTable:
            try brTable(instruction)
        case .return:
            try popAll(returnTypes)
            setUnreachable()
        case .call, .returnCall:
            guard case .index(let index) = instruction.immediates else { throw fail("malformed function index") }
            guard Int(index) < context.functionTypes.count else {
                throw fail("unknown function \(index): function index out of bounds")
            }
            let type = try functionType(typeIndex: context.functionTypes[Int(index)])
            try call(type, isTail: instruction.opcode == .returnCall, callee: .function(index))
        case .callIndirect, .returnCallIndirect:
            guard case .indexPair(let typeIndex, let tableIndex) = instruction.immediates else {
                throw fail("malformed call_indirect")
            }
            let table = try table(tableIndex)
            let type = try functionType(typeIndex: typeIndex)
            guard types.isSubtype(context.tables[table].elementType, RefType.funcref) else {
                throw fail("type mismatch: indirect calls must go through a table with type <= funcref",
                           related: [ValidationNote("table defined here", at: context.tableItems[table])])
            }
            try pop(context.addressType(ofTable: table))
            try call(type, isTail: instruction.opcode == .returnCallIndirect, callee: .type(typeIndex))
        case .callRef, .returnCallRef:
            guard case .index(let typeIndex) = instruction.immediates else { throw fail("malformed type index") }
            let type = try functionType(typeIndex: typeIndex)
            try pop(.ref(RefType(nullable: true, heapType: .concrete(typeIndex))))
            try call(type, isTail: instruction.opcode == .returnCallRef, callee: .type(typeIndex))
        case .drop:
            _ = try popAny()
        case .select:
            try select(instruction)
        case .localGet, .localSet, .localTee:
            try local(instruction)
        case .globalGet:
            guard case .index(let index) = instruction.immediates else { throw fail("malformed global index") }
            let global = try global(index)
            if isConstant, global.mutable {
                throw fail("constant expression required: global.get of a mutable global",
                           related: [ValidationNote("global defined here", at: context.globalItems[Int(index)])])
            }
            push(global.valueType)
        case .globalSet:
            guard case .index(let index) = instruction.immediates else { throw fail("malformed global index") }
            let global = try global(index)
            guard global.mutable else {
                throw fail("immutable global: global \(index) cannot be modified with global.set",
                           related: [ValidationNote("global defined here", at: context.globalItems[Int(index)])])
            }
            try pop(global.valueType)
        case .memorySize:
            guard case .index(let index) = instruction.immediates else { throw fail("malformed memory index") }
            push(context.addressType(ofMemory: try memory(index)))
        case .memoryGrow:
            guard case .index(let index) = instruction.immediates else { throw fail("malformed memory index") }
            let address = context.addressType(ofMemory: try memory(index))
            try pop(address)
            push(address)
        case .memoryFill:
            guard case .index(let index) = instruction.immediates else { throw fail("malformed memory index") }
            let address = context.addressType(ofMemory: try memory(index))
            try pop(address)
            try pop(.i32)
            try pop(address)
        case .memoryCopy:
            guard case .indexPair(let destination, let source) = instruction.immediates else {
                throw fail("malformed memory index")
            }
            let destinationAddress = context.addressType(ofMemory: try memory(destination))
            let sourceAddress = context.addressType(ofMemory: try memory(source))
            let length: ValueType = destinationAddress == .i64 && sourceAddress == .i64 ? .i64 : .i32
            try pop(length)
            try pop(sourceAddress)
            try pop(destinationAddress)
        case .memoryInit:
            guard case .indexPair(let data, let index) = instruction.immediates else { throw fail("malformed memory.init") }
            let address = context.addressType(ofMemory: try memory(index))
            try dataSegment(data)
            try pop(.i32)
            try pop(.i32)
            try pop(address)
        case .dataDrop:
            guard case .index(let data) = instruction.immediates else { throw fail("malformed data index") }
            try dataSegment(data)
        case .memoryAtomicWait32, .memoryAtomicWait64:
            let address = try memoryAccess(instruction)
            try pop(.i64)
            try pop(instruction.opcode == .memoryAtomicWait32 ? .i32 : .i64)
            try pop(address)
            push(.i32)
        case .atomicFence:
            break
        default:
            try referenceStep(instruction)
        }
    }

    /// What a call names, for the note of a failed tail call.
    enum Callee {
        case function(UInt32)
        case type(UInt32)
    }

    mutating func call(_ type: FunctionType, isTail: Bool, callee: Callee) throws(ValidationError) {
        if isTail {
            guard type.results.count == returnTypes.count,
                zip(type.results, returnTypes).allSatisfy({ types.isSubtype($0, $1) })
            else {
                throw fail("type mismatch: current function requires result type [\(Self.list(returnTypes))] but callee returns [\(Self.list(type.results))]",
                           related: notes(for: callee))
            }
        }
        try popAll(type.parameters)
        if isTail { setUnreachable() } else { push(type.results) }
    }

    func notes(for callee: Callee) -> [ValidationNote] {
        switch callee {
        case .function(let index): functionNote(index)
        case .type(let index): [ValidationNote("function type defined here", at: .type(Int(index)))]
        }
    }

    static func list(_ types: [ValueType]) -> String {
        types.map(\.validationName).joined(separator: " ")
    }

    mutating func brTable(_ instruction: Instruction) throws(ValidationError) {
        guard case .labelTable(let targets, let defaultTarget) = instruction.immediates else {
            throw fail("malformed br_table")
        }
        try pop(.i32)
        let defaultTypes = try label(defaultTarget).labelTypes
        for target in targets {
            let types = try label(target).labelTypes
            guard types.count == defaultTypes.count else {
                throw fail("type mismatch: br_table target labels have different number of types")
            }
            let popped = try pop(types)
            for value in popped { operands.append(value) }
        }
        try popAll(defaultTypes)
        setUnreachable()
    }

    mutating func select(_ instruction: Instruction) throws(ValidationError) {
        guard case .selectTypes(let annotation) = instruction.immediates else { throw fail("malformed select") }
        if let annotation {
            guard annotation.count == 1 else { throw fail("invalid result arity: select takes exactly one type") }
            try checkValueType(annotation[0])
            try pop(.i32)
            try pop(annotation[0])
            try pop(annotation[0])
            push(annotation[0])
            return
        }
        try pop(.i32)
        let first = try popAny()
        let second = try popAny()
        if let first, first.isReference { throw fail("type mismatch: select only takes integral types") }
        if let second, second.isReference { throw fail("type mismatch: select only takes integral types") }
        switch (first, second) {
        case (let a?, let b?):
            guard a == b else {
                throw fail("type mismatch: select operands have different types: \(b.validationName) and \(a.validationName)")
            }
            push(a)
        case (let a?, nil): push(a)
        case (nil, let b?): push(b)
        case (nil, nil): operands.append(nil)
        }
    }

    mutating func local(_ instruction: Instruction) throws(ValidationError) {
        guard case .index(let index) = instruction.immediates else { throw fail("malformed local index") }
        guard Int(index) < locals.count else { throw fail("unknown local \(index): local index out of bounds") }
        let type = locals[Int(index)]
        switch instruction.opcode {
        case .localGet:
            if tracksInitialization, !initialized[Int(index)] { throw fail("uninitialized local: \(index)") }
            push(type)
        case .localSet:
            try pop(type)
            markInitialized(Int(index))
        default:
            try pop(type)
            markInitialized(Int(index))
            push(type)
        }
    }

    mutating func markInitialized(_ index: Int) {
        guard tracksInitialization, !initialized[index] else { return }
        initialized[index] = true
        initStack.append(index)
    }

    mutating func tryTable(_ instruction: Instruction) throws(ValidationError) {
        guard case .tryTable(let blockType, let catches) = instruction.immediates else { throw fail("malformed try_table") }
        let (parameters, results) = try blockSignature(blockType)
        try popAll(parameters)
        let exnref = ValueType.ref(RefType(nullable: false, heapType: .abstract(.exn)))
        for clause in catches {
            var provided: [ValueType] = []
            if let tagIndex = clause.tag { provided = try tag(tagIndex).parameters }
            if clause.kind == .catchRef || clause.kind == .catchAllRef { provided.append(exnref) }
            // The frame is not pushed yet: depth 0 names the enclosing block.
            let expected = try label(clause.label).labelTypes
            guard provided.count == expected.count, zip(provided, expected).allSatisfy({ types.isSubtype($0, $1) }) else {
                throw fail("type mismatch: catch label must be a block expecting [\(Self.list(provided))]")
            }
        }
        pushFrame(.tryTable, parameters: parameters, results: results)
    }
}
