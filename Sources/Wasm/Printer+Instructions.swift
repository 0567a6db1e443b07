extension ModulePrinter {
    /// One instruction: its table name, then its immediates in text order (which differs from binary
    /// order for `memory.init` and `table.init`).
    mutating func instruction(_ instruction: Instruction, label: UInt32?) {
        let raw = Int(instruction.opcode.rawValue)
        out.bytes.append(contentsOf: ModulePrinter.opcodeNames[raw])
        let kind = OpcodeTables.shared.kinds[raw]
        if let label { nameOrAnnotation(labelNames, label) }
        switch (kind, instruction.immediates) {
        case (_, .none):
            break
        case (.function, .index(let index)):
            space()
            reference(index, functionNames)
        case (.local, .index(let index)):
            space()
            reference(index, localNames)
        case (.global, .index(let index)):
            space()
            reference(index, globalNames)
        case (.table, .index(let index)):
            space()
            reference(index, tableNames)
        case (.memory, .index(let index)):
            space()
            reference(index, memoryNames)
        case (.type, .index(let index)):
            space()
            reference(index, typeNames)
        case (.tag, .index(let index)):
            space()
            reference(index, tagNames)
        case (.data, .index(let index)):
            space()
            reference(index, dataNames)
        case (.element, .index(let index)):
            space()
            reference(index, elementNames)
        case (_, .index(let index)):
            out.spaced(UInt64(index))
        case (.typeAndTable, .indexPair(let type, let table)):
            space()
            reference(table, tableNames)
            out.write(" (type ")
            reference(type, typeNames)
            out.write(")")
        case (.dataAndMemory, .indexPair(let data, let memory)):
            space()
            reference(memory, memoryNames)
            space()
            reference(data, dataNames)
        case (.elementAndTable, .indexPair(let element, let table)):
            space()
            reference(table, tableNames)
            space()
            reference(element, elementNames)
        case (.memoryPair, .indexPair(let first, let second)):
            space()
            reference(first, memoryNames)
            space()
            reference(second, memoryNames)
        case (.tablePair, .indexPair(let first, let second)):
            space()
            reference(first, tableNames)
            space()
            reference(second, tableNames)
        case (.typePair, .indexPair(let first, let second)):
            space()
            reference(first, typeNames)
            space()
            reference(second, typeNames)
        case (.typeAndData, .indexPair(let type, let data)):
            space()
            reference(type, typeNames)
            space()
            reference(data, dataNames)
        case (.typeAndElement, .indexPair(let type, let element)):
            space()
            reference(type, typeNames)
            space()
            reference(element, elementNames)
        case (.typeAndTag, .indexPair(let type, let tag)):
            space()
            reference(type, typeNames)
            space()
            reference(tag, tagNames)
        case (_, .indexPair(let first, let second)):
            space()
            reference(first, typeNames)
            out.spaced(UInt64(second))
        case (_, .blockType(let type)):
            blockType(type)
        case (_, .labelTable(let labels, let defaultLabel)):
            for label in labels { out.spaced(UInt64(label)) }
            out.spaced(UInt64(defaultLabel))
        case (_, .memArg(let memArg)):
            self.memArg(memArg, naturalAlignmentLog2: Self.naturalAlignments[raw])
        case (_, .memArgLane(let memArg, let lane)):
            self.memArg(memArg, naturalAlignmentLog2: instruction.opcode.info.naturalAlignmentLog2)
            out.spaced(UInt64(lane))
        case (_, .i32(let value)):
            space()
            out.write(Int64(value))
        case (_, .i64(let value)):
            space()
            out.write(value)
        case (_, .f32(let bits)):
            space()
            out.float(bits: UInt64(bits), exponentBits: 8, mantissaBits: 23)
        case (_, .f64(let bits)):
            space()
            out.float(bits: bits, exponentBits: 11, mantissaBits: 52)
        case (.shuffle, .v128(let value)):
            for byte in value.bytes { out.spaced(UInt64(byte)) }
        case (_, .v128(let value)):
            out.write(" i32x4")
            for lane in 0..<4 {
                let half = lane < 2 ? value.low : value.high
                let word = UInt32(truncatingIfNeeded: half >> (UInt64(lane % 2) * 32))
                let hex = String(word, radix: 16)
                out.write(" 0x" + String(repeating: "0", count: 8 - hex.count) + hex)
            }
        case (_, .heapType(let type)):
            space()
            heapType(type)
        case (_, .refType(let type)):
            space()
            refType(type)
        case (_, .branchOnCast(let label, let from, let to)):
            out.spaced(UInt64(label))
            space()
            refType(from)
            space()
            refType(to)
        case (_, .selectTypes(let types)):
            if let types {
                out.write(" (result")
                for type in types {
                    space()
                    valueType(type)
                }
                out.write(")")
            }
        case (_, .resume(let type, let tag, let handlers)):
            space()
            reference(type, typeNames)
            if let tag {
                space()
                reference(tag, tagNames)
            }
            for handler in handlers {
                out.write(" (on ")
                reference(handler.tag, tagNames)
                if let label = handler.label {
                    out.spaced(UInt64(label))
                } else {
                    out.write(" switch")
                }
                out.write(")")
            }
        case (_, .tryTable(let type, let catches)):
            blockType(type)
            for clause in catches {
                out.write(" (\(clause.kind.name)")
                if let tag = clause.tag {
                    space()
                    reference(tag, tagNames)
                }
                out.spaced(UInt64(clause.label))
                out.write(")")
            }
        }
    }

    /// The instruction names as UTF-8, indexed by opcode (a view of the instruction table).
    static let opcodeNames: [[UInt8]] = InstructionTable.entries.map { Array($0.name.utf8) }
    static let naturalAlignments: [UInt32?] = InstructionTable.entries.map(\.naturalAlignmentLog2)

    mutating func space() {
        out.bytes.append(UInt8(ascii: " "))
    }

    mutating func blockType(_ type: BlockType) {
        switch type {
        case .empty:
            break
        case .value(let value):
            out.write(" (result ")
            valueType(value)
            out.write(")")
        case .type(let index):
            out.write(" (type ")
            reference(index, typeNames)
            out.write(")")
        }
    }

    /// `[memory] [offset=N] [align=N]`, leaving out what is implied.
    mutating func memArg(_ memArg: MemArg, naturalAlignmentLog2: UInt32?) {
        if memArg.memory != 0 {
            space()
            reference(memArg.memory, memoryNames)
        }
        if memArg.offset != 0 {
            out.write(" offset=")
            out.write(memArg.offset)
        }
        if memArg.alignLog2 != naturalAlignmentLog2 {
            out.write(" align=")
            out.write(UInt64(1) << UInt64(min(memArg.alignLog2, 63)))
        }
    }
}
