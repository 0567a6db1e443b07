extension ByteReader {
    /// Reads one instruction: its opcode through the instruction table, then the immediates its kind names.
    @inline(__always)
    mutating func instruction() throws(DecodeError) -> Instruction {
        let start = position
        let first = try byte()
        let raw: UInt16
        var code = UInt32(first)
        if first >= 0xfb && first <= 0xfe {
            code = try u32()
            let table = tables.prefixed[Int(first - 0xfb)]
            guard code < table.count, table[Int(code)] != OpcodeIndex.missing else { throw error("illegal opcode", at: start) }
            raw = table[Int(code)]
        } else {
            raw = tables.singleByte[Int(first)]
            guard raw != OpcodeIndex.missing else { throw error("illegal opcode", at: start) }
        }
        let opcode = OpcodeTables.opcode(raw)
        switch tables.kinds[Int(raw)] {
        case .none:
            return Instruction(opcode)
        case .label, .function, .type, .local, .global, .table, .memory, .tag, .element:
            return Instruction(opcode, .index(try u32()))
        case .data:
            sawDataIndex = true
            return Instruction(opcode, .index(try u32()))
        case .dataAndMemory, .typeAndData:
            sawDataIndex = true
            let first = try u32()
            return Instruction(opcode, .indexPair(first, try u32()))
        case .typeAndTable, .memoryPair, .elementAndTable, .tablePair, .typeAndField,
            .typeAndCount, .typeAndElement, .typePair, .typeAndTag:
            let first = try u32()
            return Instruction(opcode, .indexPair(first, try u32()))
        case .blockType:
            return Instruction(opcode, .blockType(try blockType()))
        case .labelTable:
            let count = try self.count()
            var labels: [UInt32] = []
            labels.reserveCapacity(count)
            for _ in 0..<count { labels.append(try u32()) }
            return Instruction(opcode, .labelTable(labels, default: try u32()))
        case .memArg:
            return Instruction(opcode, .memArg(try memArg()))
        case .memArgLane:
            let memArg = try memArg()
            return Instruction(opcode, .memArgLane(memArg, lane: try byte()))
        case .lane:
            return Instruction(opcode, .index(UInt32(try byte())))
        case .i32:
            return Instruction(opcode, .i32(try s32()))
        case .i64:
            return Instruction(opcode, .i64(try s64()))
        case .f32:
            return Instruction(opcode, .f32(try fixed32()))
        case .f64:
            return Instruction(opcode, .f64(try fixed64()))
        case .v128, .shuffle:
            let low = try fixed64()
            return Instruction(opcode, .v128(V128(low: low, high: try fixed64())))
        case .heapType:
            return Instruction(opcode, .heapType(try heapType()))
        case .castType:
            let heap = try heapType()
            return Instruction(opcode, .refType(RefType(nullable: code != tables.codes[Int(raw)], heapType: heap)))
        case .branchOnCast:
            let flagsStart = position
            let flags = try byte()
            guard flags <= 3 else { throw error("malformed cast flags", at: flagsStart) }
            let label = try u32()
            let from = try heapType()
            let to = try heapType()
            return Instruction(
                opcode,
                .branchOnCast(
                    label: label, from: RefType(nullable: flags & 1 != 0, heapType: from),
                    to: RefType(nullable: flags & 2 != 0, heapType: to)))
        case .selectTypes:
            guard code != tables.codes[Int(raw)] else { return Instruction(opcode, .selectTypes(nil)) }
            let count = try self.count()
            var types: [ValueType] = []
            for _ in 0..<count { types.append(try valueType()) }
            return Instruction(opcode, .selectTypes(types))
        case .tryTable:
            let type = try blockType()
            let count = try self.count()
            var catches: [Catch] = []
            for _ in 0..<count {
                let kindStart = position
                guard let kind = Catch.Kind(rawValue: try byte()) else { throw error("malformed catch kind", at: kindStart) }
                let tag: UInt32? = kind == .catch || kind == .catchRef ? try u32() : nil
                catches.append(Catch(kind: kind, tag: tag, label: try u32()))
            }
            return Instruction(opcode, .tryTable(type, catches))
        case .resumeTable, .resumeThrowTable:
            let type = try u32()
            let tag: UInt32? = tables.kinds[Int(raw)] == .resumeThrowTable ? try u32() : nil
            let count = try self.count()
            var handlers: [ResumeHandler] = []
            handlers.reserveCapacity(count)
            for _ in 0..<count {
                let kindStart = position
                switch try byte() {
                case 0x00:
                    let handlerTag = try u32()
                    handlers.append(ResumeHandler(tag: handlerTag, label: try u32()))
                case 0x01:
                    handlers.append(ResumeHandler(tag: try u32(), label: nil))
                default:
                    throw error("malformed handle", at: kindStart)
                }
            }
            return Instruction(opcode, .resume(type: type, tag: tag, handlers: handlers))
        case .zeroByte:
            let flagStart = position
            guard try byte() == 0 else { throw error("zero byte expected", at: flagStart) }
            return Instruction(opcode)
        }
    }

    @inline(__always)
    mutating func memArg() throws(DecodeError) -> MemArg {
        let start = position
        let flags = try u32()
        guard flags < 0x80 else { throw error("malformed memop flags", at: start) }
        var memory: UInt32 = 0
        if flags & 0x40 != 0 { memory = try u32() }
        return MemArg(memory: memory, alignLog2: flags & 0x3f, offset: try u64())
    }

    /// Reads instructions up to and including the `end` that closes the expression; no recursion, the
    /// nesting is a counter.
    mutating func expression(
        into instructions: inout [Instruction], offsets: inout [Int]
    ) throws(DecodeError) {
        var depth = 1
        while true {
            if position >= limit { throw error("END opcode expected") }
            offsets.append(position)
            let instruction = try self.instruction()
            let structure = tables.structures[Int(instruction.opcode.rawValue)]
            instructions.append(instruction)
            switch structure {
            case .opensBlock: depth += 1
            case .closesBlock:
                depth -= 1
                if depth == 0 { return }
            default: break
            }
        }
    }

    /// Reads a function body's instructions into `storage` (room for one instruction per byte left,
    /// the most there can be), with their offsets; returns how many were read. On a throw, the
    /// instructions read so far are left initialised and `count` says how many.
    mutating func body(
        into storage: UnsafeMutablePointer<Instruction>, offsets: UnsafeMutablePointer<Int>, count: inout Int
    ) throws(DecodeError) {
        var depth = 1
        while true {
            if position >= limit { throw error("END opcode expected") }
            offsets[count] = position
            let instruction = try self.instruction()
            let structure = tables.structures[Int(instruction.opcode.rawValue)]
            (storage + count).initialize(to: instruction)
            count += 1
            switch structure {
            case .opensBlock: depth += 1
            case .closesBlock:
                depth -= 1
                if depth == 0 { return }
            default: break
            }
        }
    }

    mutating func constExpr() throws(DecodeError) -> ConstExpr {
        var instructions: [Instruction] = []
        var offsets: [Int] = []
        try expression(into: &instructions, offsets: &offsets)
        return ConstExpr(instructions)
    }
}
