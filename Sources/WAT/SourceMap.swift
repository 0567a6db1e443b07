import SourceText
import Wasm

/// Where each item of a lowered module came from in the text: the `TextRange` of every type,
/// import, function, local group, instruction, table, memory, global, export, segment and so on.
public struct SourceMap: Sendable {
    public var itemRanges: [ModuleItem: TextRange] = [:]
    /// Instruction ranges per defined function, parallel to `Function.body` (the final `end`
    /// included).
    public var instructionRanges: [[TextRange]] = []

    public init() {}

    public func range(of item: ModuleItem) -> TextRange? {
        if case .instruction(let function, let index) = item {
            guard function < instructionRanges.count, index < instructionRanges[function].count else { return nil }
            return instructionRanges[function][index]
        }
        return itemRanges[item]
    }
}
