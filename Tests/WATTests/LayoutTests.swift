import Testing
import Wasm
@testable import WAT

@Suite struct LayoutTests {
    /// Instruction syntax is most of a parsed module's memory: keep it compact.
    @Test func instructionSyntaxStaysSmall() {
        print("InstructionSyntax: \(MemoryLayout<InstructionSyntax>.stride) bytes")
        #expect(MemoryLayout<InstructionSyntax>.stride <= 64)
    }
}
