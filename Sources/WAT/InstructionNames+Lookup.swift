import SourceText
import Wasm

extension WAT {
    /// The instruction whose text name is the keyword at `range` of `bytes`, found in the
    /// instruction table without building a String (for editors classifying many tokens).
    public static func instruction(named bytes: [UInt8], at range: TextRange) -> Opcode? {
        InstructionNames.shared.lookup(bytes, range)
    }
}
