import CLIF
import SourceText

extension CLIFAnalysis {
    /// The function whose text contains `offset`.
    func function(at offset: Int) -> Function? {
        let functions = clif.functions
        var low = 0
        var high = functions.count - 1
        while low <= high {
            let mid = (low + high) / 2
            guard let range = functions[mid].range else { return functions.first { $0.range?.contains(offset) == true } }
            if offset < range.start {
                high = mid - 1
            } else if offset > range.end {
                low = mid + 1
            } else {
                return functions[mid]
            }
        }
        return nil
    }

    /// The entity mention under the cursor; a cursor just after a name counts as on it.
    func mention(at offset: Int, in function: Function) -> EntityMention? {
        var touching: EntityMention?
        for mention in function.mentions {
            if mention.range.start <= offset && offset < mention.range.end { return mention }
            if mention.range.end == offset { touching = mention }
        }
        return touching
    }

    /// Every mention of `entity` in `function`, in text order.
    func mentions(of entity: EntityRef, in function: Function) -> [EntityMention] {
        function.mentions.filter { $0.entity == entity }.sorted { $0.range.start < $1.range.start }
    }

    /// Where `entity` is defined: a value's defining result or block parameter, a block's
    /// header, a preamble entity's declaration.
    func definitions(of entity: EntityRef, in function: Function) -> [EntityMention] {
        function.mentions.filter { $0.entity == entity && $0.isDefinition }
    }

    /// The instruction whose opcode name covers `offset`.
    func instruction(withOpcodeAt offset: Int, in function: Function) -> Instruction? {
        for block in function.blocks {
            for instruction in block.instructions {
                if let range = instruction.opcodeRange, range.start <= offset && offset <= range.end {
                    return instruction
                }
            }
        }
        return nil
    }

    /// The instruction that defines `value`, or the block that takes it as a parameter.
    func definingSite(of value: Value, in function: Function) -> (instruction: Instruction?, block: BlockData?) {
        for block in function.blocks {
            if block.params.contains(where: { $0.value == value }) { return (nil, block) }
            for instruction in block.instructions where instruction.results.contains(value) {
                return (instruction, block)
            }
        }
        return (nil, nil)
    }

    /// The source text of the line holding `offset`, trimmed.
    func lineText(at offset: Int) -> String {
        let line = file.line(containing: offset)
        return String(file[file.contentRange(ofLine: line)]).trimmingWhitespace()
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var slice = Substring(self)
        while let first = slice.first, first.isWhitespace { slice.removeFirst() }
        while let last = slice.last, last.isWhitespace { slice.removeLast() }
        return String(slice)
    }
}
