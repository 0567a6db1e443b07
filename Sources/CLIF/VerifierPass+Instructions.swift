import SourceText

/// Which edge of a branch a block call is, for `retN`/`exnN` arguments.
enum BlockCallTarget {
    case normal, exceptionNormalReturn, exception
}

extension VerifierPass {
    mutating func verifyInstruction(block: Int, index: Int) throws {
        let location = EntityLocation.instruction(block: block, index: index)
        let instruction = function.blocks[block].instructions[index]
        let opcode = instruction.opcode
        let info = opcode.info
        // block_integrity
        let isLast = index == function.blocks[block].instructions.count - 1
        if info.isTerminator && !isLast {
            try fatal(location, "a terminator instruction was encountered before the end of \(function.blocks[block].block)")
        }
        if isLast && !info.isTerminator {
            try fatal(.entity(EntityRef(.block, function.blocks[block].block.number)), "block does not end in a terminator instruction")
        }
        // instruction_integrity
        let expectedResults = expectedResultCount(instruction)
        if let expectedResults, expectedResults != instruction.results.count {
            try fatal(location, "expected \(expectedResults) result values, found \(instruction.results.count)")
        }
        try verifyEntityReferences(instruction, location: location, block: block, index: index)
        typecheck(instruction, location: location)
        try immediateConstraints(instruction, location: location)
        try iconstBounds(instruction, location: location)
        if instruction.hasDebugTags && !(info.properties.contains(.call) || opcode == .sequencePoint) {
            try fatal(location, "debug tags present on non-call, non-sequence point instruction")
        }
    }

    func expectedResultCount(_ instruction: Instruction) -> Int? {
        let info = instruction.opcode.info
        if info.variadicResults {
            return function.calledSignature(of: instruction)?.returns.count
        }
        return info.results.count
    }

    mutating func verifyEntityReferences(_ instruction: Instruction, location: EntityLocation, block: Int, index: Int) throws {
        for value in instruction.arguments {
            try verifyArgument(value, location: location, block: block, index: index)
        }
        for destination in instruction.destinations {
            for case .value(let value) in destination.arguments {
                try verifyArgument(value, location: location, block: block, index: index)
            }
        }
        for case .context(let value) in instruction.exceptionItems {
            try verifyArgument(value, location: location, block: block, index: index)
        }
        switch instruction.immediates {
        case .memory(let flags, _), .atomicRmw(let flags, _):
            if let region = flags.region, !regions.contains(region) {
                report(location, "undefined alias region region\(region)")
            }
        default:
            break
        }
        let info = instruction.opcode.info
        switch (info.format, instruction.immediates) {
        case (.jump, _), (.brif, _), (.branchTable, _):
            for destination in instruction.destinations { try verifyBlock(destination.block, location: location) }
        case (.call, .functionRef(let ref)):
            if functionRefs[ref] == nil {
                report(location, "invalid function reference fn\(ref)")
            } else {
                try verifyCalleePatchability(ref, opcode: instruction.opcode, location: location)
            }
        case (.callIndirect, .signatureRef(let sig)):
            if signatures[sig] == nil { try fatal(location, "invalid signature reference sig\(sig)") }
        case (.tryCall, .exceptionTable(let callee, let sig)), (.tryCallIndirect, .exceptionTable(let callee, let sig)):
            if let callee, functionRefs[callee] == nil { report(location, "invalid function reference fn\(callee)") }
            guard let signature = signatures[sig] else { try fatal(location, "invalid signature reference sig\(sig)") }
            for destination in instruction.destinations { try verifyBlock(destination.block, location: location) }
            let callConv: CallConv = signature.callConv
            let supportsExceptions: Set<CallConv> = [.tail, .systemV, .winch, .preserveAll, .appleAarch64]
            if !supportsExceptions.contains(callConv) {
                report(location, "calling convention `\(callConv.rawValue)` of callee does not support exceptions")
            }
        case (.funcAddr, .functionRef(let ref)):
            if functionRefs[ref] == nil { report(location, "invalid function reference fn\(ref)") }
        case (.stackAddr, .stackSlot(let slot, _)):
            if !stackSlots.contains(slot) { report(location, "invalid stack slot ss\(slot)") }
        case (.dynamicStackAddr, .dynamicStackSlot(let slot)):
            if !dynamicStackSlots.contains(slot) { report(location, "invalid dynamic stack slot dss\(slot)") }
        case (.unaryGlobalValue, .globalValue(let gv)):
            if globalValues[gv] == nil { report(location, "invalid global value gv\(gv)") }
        case (.unaryConst, .constant(let number)):
            guard let data = constants[number] else {
                report(location, "invalid constant const\(number)")
                break
            }
            let expected = instruction.opcode == .f128const ? 16 : instruction.controllingType.bytes
            if expected != data.bytes.count {
                try fatal(location, "The instruction expects const\(number) to have a size of \(expected) bytes but it has \(data.bytes.count)")
            }
        case (.exceptionHandlerAddress, .exceptionHandler(let target, let handlerIndex)):
            try verifyBlock(target, location: location)
            try verifyHandlerIndex(target, handlerIndex, location: location)
        default:
            break
        }
        switch instruction.opcode {
        case .getPinnedReg, .setPinnedReg:
            if context.pointerType == nil {
                try fatal(location, "GetPinnedReg/SetPinnedReg need an ISA!")
            } else if !context.enablePinnedReg {
                try fatal(location, "GetPinnedReg/SetPinnedReg cannot be used without enable_pinned_reg")
            }
        case .getFramePointer, .getReturnAddress:
            if context.pointerType == nil {
                try fatal(location, "`get_frame_pointer`/`get_return_address` require an ISA!")
            } else if !context.preserveFramePointers {
                try fatal(location, "`get_frame_pointer`/`get_return_address` cannot be used without enabling `preserve_frame_pointers`")
            }
        case .bitcast:
            try verifyBitcast(instruction, location: location)
        default:
            if let address = addressOperand(instruction) { verifyIsAddress(address, location: location) }
        }
    }

    func addressOperand(_ instruction: Instruction) -> Value? {
        let info = instruction.opcode.info
        let args = instruction.arguments
        switch info.format {
        case .load, .loadNoOffset:
            return info.properties.contains(.canLoad) ? args.first : nil
        case .atomicCas, .atomicRmw:
            return info.properties.isDisjoint(with: [.canLoad, .canStore]) ? nil : args.first
        case .store, .storeNoOffset:
            return info.properties.contains(.canStore) && args.count > 1 ? args[1] : nil
        default:
            return nil
        }
    }

    mutating func verifyIsAddress(_ value: Value, location: EntityLocation) {
        guard let pointer = context.pointerType, isAllowed(value) else { return }
        let width = type(of: value).bits
        if width != pointer.bits {
            report(location, "invalid pointer width (got \(width), expected \(pointer.bits)) encountered \(value)",
                   at: useRange(of: value, at: location))
        }
    }

    mutating func verifyArgument(_ value: Value, location: EntityLocation, block: Int, index: Int) throws {
        let resolved = resolve(value)
        guard let definition = definition(of: resolved) else {
            try fatal(location, "invalid value reference \(value)", at: useRange(of: value, at: location))
        }
        guard dominators.isReachable(block) else { return }
        var related: [RelatedLocation] {
            definitionRange(of: resolved).map { [RelatedLocation(range: $0, message: "\(resolved) is defined here")] } ?? []
        }
        switch definition {
        case .result(let defBlock, let defIndex):
            let dominates = defBlock == block ? defIndex <= index : dominators.dominates(defBlock, block)
            if !dominates {
                try fatal(location, "uses value \(value) from non-dominating \(instructionName(defBlock, defIndex))",
                          at: useRange(of: value, at: location), related: related)
            }
            if defBlock == block && defIndex == index {
                try fatal(location, "uses value \(value) from itself", at: useRange(of: value, at: location), related: related)
            }
        case .param(let defBlock):
            if !dominators.dominates(defBlock, block) {
                try fatal(location, "uses value arg from non-dominating \(function.blocks[defBlock].block)",
                          at: useRange(of: value, at: location), related: related)
            }
        }
    }

    /// Cranelift names instructions `inst<N>` by creation order; ours count in layout order.
    func instructionName(_ block: Int, _ index: Int) -> String {
        var number = 0
        for previous in function.blocks[..<block] { number += previous.instructions.count }
        return "inst\(number + index)"
    }

    mutating func verifyBlock(_ block: Block, location: EntityLocation) throws {
        guard let target = blockIndex[block.number] else { try fatal(location, "invalid block reference \(block)") }
        if target == 0 { try fatal(location, "invalid reference to entry block \(block)") }
    }

    mutating func verifyCalleePatchability(_ ref: UInt32, opcode: Opcode, location: EntityLocation) throws {
        guard let callee = functionRefs[ref], callee.patchable else { return }
        if opcode == .returnCall || opcode == .returnCallIndirect {
            try fatal(location, "patchable funcref cannot be used in a return_call")
        }
        if !callee.colocated { try fatal(location, "patchable call to non-colocated function") }
        if let signature = signatures[callee.signature], !signature.returns.isEmpty {
            try fatal(location, "patchable call cannot occur to a function with return values")
        }
    }

    mutating func verifyHandlerIndex(_ block: Block, _ handlerIndex: Int64, location: EntityLocation) throws {
        if handlerIndex < 0 { try fatal(location, "exception handler index \(handlerIndex) cannot be negative") }
        guard let target = blockIndex[block.number], let terminator = function.blocks[target].instructions.last else {
            try fatal(location, "referenced block \(block) does not have a terminator")
        }
        guard case .exceptionTable = terminator.immediates else {
            try fatal(location, "referenced block \(block) does not end in a try_call")
        }
        if handlerIndex >= Int64(terminator.destinations.count - 1) {
            try fatal(location, "exception handler index \(handlerIndex) is out-of-range")
        }
    }

    mutating func verifyBitcast(_ instruction: Instruction, location: EntityLocation) throws {
        guard let argument = instruction.arguments.first, case .memory(let flags, _) = instruction.immediates else { return }
        let target = instruction.controllingType
        let source = type(of: argument)
        var plain = flags
        plain.bigEndian = false
        plain.littleEndian = false
        if target.bits != source.bits {
            try fatal(location, "The bitcast argument \(argument) has a type of \(source.bits) bits, which doesn't match an expected type of \(target.bits) bits")
        } else if plain != MemFlags() || (flags.bigEndian && flags.littleEndian) {
            try fatal(location, "The bitcast instruction only accepts the `big` or `little` memory flags")
        } else if flags == MemFlags() && target.laneCount != source.laneCount {
            try fatal(location, "Byte order specifier required for bitcast instruction changing lane count")
        }
    }

    mutating func immediateConstraints(_ instruction: Instruction, location: EntityLocation) throws {
        let opcode = instruction.opcode
        switch instruction.immediates {
        case .memory(let flags, _) where opcode == .store || opcode == .istore8 || opcode == .istore16 || opcode == .istore32:
            if flags.readonly { try fatal(location, "A store instruction cannot have the `readonly` MemFlag") }
        case .uimm8(let lane) where opcode == .extractlane || opcode == .insertlane:
            guard let argument = instruction.arguments.first else { return }
            let laneType = type(of: argument)
            if Int(lane) >= laneType.laneCount {
                try fatal(location, "The lane \(lane) does not index into the type \(laneType)")
            }
        case .shuffleMask(let mask) where opcode == .shuffle:
            if let large = mask.bytes.first(where: { $0 >= 32 }) {
                try fatal(location, "shuffle immediate index \(large) is larger than the maximum 31")
            }
        default:
            break
        }
    }

    mutating func iconstBounds(_ instruction: Instruction, location: EntityLocation) throws {
        guard instruction.opcode == .iconst, case .imm64(let raw) = instruction.immediates else { return }
        let bits = instruction.controllingType.bits
        guard bits < 64 else { return }
        let value = UInt64(bitPattern: raw)
        if value & ((1 << UInt64(bits)) - 1) != value {
            try fatal(location, "constant immediate is out of bounds")
        }
    }
}
