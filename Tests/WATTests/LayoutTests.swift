import Testing
import Wasm
@testable import WAT

@Suite struct LayoutTests {
    /// Instruction syntax is most of a parsed module's memory: keep it compact.
    @Test func instructionSyntaxStaysSmall() {
        print("InstructionSyntax: \(MemoryLayout<InstructionSyntax>.stride) bytes, ImmediateSyntax \(MemoryLayout<ImmediateSyntax>.size), IndexSyntax \(MemoryLayout<IndexSyntax>.size), RefTypeSyntax \(MemoryLayout<RefTypeSyntax>.size), MemArgSyntax \(MemoryLayout<MemArgSyntax>.size)")
        #expect(MemoryLayout<InstructionSyntax>.stride <= 32)
    }
}
