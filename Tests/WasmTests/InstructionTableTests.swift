import Testing
import Wasm

@Suite struct InstructionTableTests {
    @Test func entriesAreIndexedByOpcode() {
        #expect(InstructionTable.entries.count == Opcode.allCases.count)
        for (index, entry) in InstructionTable.entries.enumerated() {
            #expect(Int(entry.opcode.rawValue) == index, "\(entry.name) is out of place")
        }
    }

    @Test func namesAndEncodingsAreUnique() {
        var names = Set<String>()
        var encodings = Set<[UInt32]>()
        for entry in InstructionTable.entries {
            #expect(names.insert(entry.name).inserted, "duplicate name \(entry.name)")
            let key = (entry.prefix.map { [UInt32($0)] } ?? []) + [entry.code]
            #expect(encodings.insert(key).inserted, "duplicate encoding of \(entry.name)")
        }
    }

    @Test func lookupsFindEveryEntry() {
        for entry in InstructionTable.entries {
            #expect(Opcode(name: entry.name) == entry.opcode)
            if let prefix = entry.prefix {
                #expect(Opcode(prefix: prefix, code: entry.code) == entry.opcode)
            } else {
                #expect(Opcode(byte: UInt8(entry.code)) == entry.opcode)
            }
        }
    }

    @Test func secondEncodingsMapToTheSameInstruction() {
        #expect(Opcode(byte: 0x1c) == .select)
        #expect(Opcode(prefix: 0xfb, code: 0x15) == .refTest)
        #expect(Opcode(prefix: 0xfb, code: 0x17) == .refCast)
        #expect(Opcode(byte: 0xff) == nil)
        #expect(Opcode(prefix: 0xfd, code: 0x200) == nil)
        #expect(Opcode(name: "i32.bogus") == nil)
    }

    @Test func knownRows() {
        #expect(Opcode.i32Add.info.code == 0x6a)
        #expect(Opcode.i32Load.info.naturalAlignmentLog2 == 2)
        #expect(Opcode.v128Load64Lane.info.naturalAlignmentLog2 == 3)
        #expect(Opcode.i32x4RelaxedDotI8x16I7x16AddS.info.code == 0x113)
        #expect(Opcode.tryTable.info.structure == .opensBlock)
        #expect(Opcode.delegate.info.structure == .closesBlock)
        #expect(Opcode.memoryInit.info.immediates == .dataAndMemory)
        #expect(Opcode.atomicFence.info.immediates == .zeroByte)
    }
}

@Suite struct InstructionLayoutTests {
    /// Bodies are large arrays of instructions; keep an instruction within 24 bytes.
    @Test func instructionsStayCompact() {
        #expect(MemoryLayout<Instruction>.stride <= 24)
    }
}
