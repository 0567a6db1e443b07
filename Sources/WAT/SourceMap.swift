import SourceText
import Wasm

/// Where each item of a lowered module came from in the text: the `TextRange` of every type,
/// import, function, local group, instruction, table, memory, global, export, segment and so on.
public struct SourceMap: Sendable {
    public var itemRanges: [ModuleItem: TextRange] = [:]
    /// Per defined function, the ranges of its body's instructions. The instruction syntax is
    /// shared with the syntax tree, not copied.
    var bodies: [BodyRanges] = []

    public init() {}

    /// The instruction ranges of one function body, parallel to `Function.body`.
    struct BodyRanges: Sendable {
        var instructions: [InstructionSyntax]
        /// The range of the final `end` (the function's closing parenthesis).
        var end: TextRange
        /// For a placeholder body (`unreachable end`): the range of the whole text body.
        var placeholder: TextRange?

        var count: Int { placeholder == nil ? instructions.count + 1 : 2 }

        func range(_ index: Int) -> TextRange? {
            if let placeholder { return index == 0 ? placeholder : index == 1 ? end : nil }
            if index < instructions.count { return instructions[index].range }
            return index == instructions.count ? end : nil
        }
    }

    /// Number of defined functions with instruction ranges.
    public var functionCount: Int { bodies.count }

    /// Number of instructions (the final `end` included) of defined function `function`.
    public func instructionCount(function: Int) -> Int {
        function < bodies.count ? bodies[function].count : 0
    }

    public func range(of item: ModuleItem) -> TextRange? {
        if case .instruction(let function, let index) = item {
            guard function < bodies.count else { return nil }
            return bodies[function].range(index)
        }
        return itemRanges[item]
    }
}
