import Testing
import CLIF

/// The opcode table: the pinned Cranelift's 163 opcodes over its 36 formats.
@Suite struct OpcodeTableTests {
    @Test func countsAndUniqueness() {
        #expect(OpcodeTable.all.count == 163)
        #expect(Set(OpcodeTable.all.map(\.name)).count == 163)
        #expect(Set(OpcodeTable.all.map(\.format)) == Set(InstructionFormat.allCases))
        #expect(InstructionFormat.allCases.count == 36)
        #expect(OpcodeTable.all.allSatisfy { !$0.summary.isEmpty })
    }

    @Test func lookupByName() {
        #expect(Opcode(named: "iadd")?.format == .binary)
        #expect(Opcode(named: "iadd_imm") == nil)
        #expect(Opcode(named: "global_value") == nil)
        for opcode in Opcode.allOpcodes { #expect(Opcode(named: opcode.name) == opcode) }
    }

    @Test func typeConstraints() {
        let iadd = Opcode(named: "iadd")!.info
        #expect(iadd.typeFromOperand && iadd.isPolymorphic)
        let iconst = Opcode(named: "iconst")!.info
        #expect(!iconst.typeFromOperand && iconst.controllingTypes?.contains(.i64) == true)
        #expect(iconst.controllingTypes?.contains(.i128) == false)
        let load = Opcode(named: "load")!.info
        #expect(!load.typeFromOperand)
        #expect(Opcode(named: "jump")!.info.isTerminator)
        #expect(!Opcode(named: "call")!.info.isTerminator)
        #expect(Opcode(named: "icmp")!.info.results == [.asTruthy])
        #expect(Opcode(named: "uextend")!.info.operands == [.narrower])
    }
}
