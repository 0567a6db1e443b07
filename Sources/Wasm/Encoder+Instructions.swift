extension ByteWriter {
    /// Writes one instruction: its opcode (choosing the second encoding where the immediates ask for
    /// it) and its immediates.
    public mutating func instruction(_ instruction: Instruction) {
        let tables = OpcodeTables.shared
        let raw = Int(instruction.opcode.rawValue)
        var code = tables.codes[raw]
        let kind = tables.kinds[raw]
        switch kind {
        case .castType:
            if case .refType(let type) = instruction.immediates, type.nullable { code += 1 }
        case .selectTypes:
            if case .selectTypes(let types) = instruction.immediates, types != nil { code += 1 }
        default:
            break
        }
        let prefix = tables.prefixes[raw]
        if prefix != 0 {
            byte(prefix)
            unsigned(code)
        } else {
            byte(UInt8(truncatingIfNeeded: code))
        }
        switch kind {
        case .none:
            break
        case .zeroByte:
            byte(0)
        case .lane:
            if case .index(let lane) = instruction.immediates { byte(UInt8(truncatingIfNeeded: lane)) }
        default:
            immediates(instruction.immediates)
        }
    }

    mutating func immediates(_ immediates: Immediates) {
        switch immediates {
        case .none:
            break
        case .index(let index):
            unsigned(index)
        case .indexPair(let first, let second):
            unsigned(first)
            unsigned(second)
        case .blockType(let type):
            blockType(type)
        case .labelTable(let labels, let defaultLabel):
            unsigned(labels.count)
            for label in labels { unsigned(label) }
            unsigned(defaultLabel)
        case .memArg(let memArg):
            self.memArg(memArg)
        case .memArgLane(let memArg, let lane):
            self.memArg(memArg)
            byte(lane)
        case .i32(let value):
            signed(Int64(value))
        case .i64(let value):
            signed(value)
        case .f32(let bits):
            fixed32(bits)
        case .f64(let bits):
            fixed64(bits)
        case .v128(let value):
            fixed64(value.low)
            fixed64(value.high)
        case .heapType(let type):
            heapType(type)
        case .refType(let type):
            heapType(type.heapType)
        case .branchOnCast(let label, let from, let to):
            byte((from.nullable ? 1 : 0) | (to.nullable ? 2 : 0))
            unsigned(label)
            heapType(from.heapType)
            heapType(to.heapType)
        case .selectTypes(let types):
            if let types {
                unsigned(types.count)
                for type in types { valueType(type) }
            }
        case .resume(let type, let tag, let handlers):
            unsigned(type)
            if let tag { unsigned(tag) }
            unsigned(handlers.count)
            for handler in handlers {
                if let label = handler.label {
                    byte(0x00)
                    unsigned(handler.tag)
                    unsigned(label)
                } else {
                    byte(0x01)
                    unsigned(handler.tag)
                }
            }
        case .tryTable(let type, let catches):
            blockType(type)
            unsigned(catches.count)
            for clause in catches {
                byte(clause.kind.rawValue)
                if let tag = clause.tag { unsigned(tag) }
                unsigned(clause.label)
            }
        }
    }

    /// The memory index is written (with flag bit 6) only when it is not 0.
    public mutating func memArg(_ memArg: MemArg) {
        if memArg.memory == 0 {
            unsigned(memArg.alignLog2)
        } else {
            unsigned(memArg.alignLog2 | 0x40)
            unsigned(memArg.memory)
        }
        unsigned64(memArg.offset)
    }

    public mutating func constExpr(_ expression: ConstExpr) {
        for instruction in expression.instructions { self.instruction(instruction) }
    }
}
