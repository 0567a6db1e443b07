import SourceText
import WAT
import Wasm

extension WATAnalysis {
    /// The Wasm instruction under the cursor: its module, index, binary offset and text range.
    func instruction(at offset: Int) -> (module: Int, item: ModuleItem, binaryOffset: Int, range: TextRange)? {
        guard let moduleIndex = modules.firstIndex(where: { $0.syntax.range.contains(offset) }) else { return nil }
        let compiled = modules[moduleIndex].compiled
        let sourceMap = compiled.map.sourceMap
        guard let function = function(containing: offset, in: compiled) else { return nil }
        // The innermost instruction whose text holds the cursor (folded instructions nest).
        var best: (index: Int, range: TextRange)?
        for index in 0..<sourceMap.instructionCount(function: function) {
            guard let range = sourceMap.range(of: .instruction(function: function, index: index)), range.contains(offset) else { continue }
            if best == nil || range.length <= best!.range.length { best = (index, range) }
        }
        guard let best else { return nil }
        let item = ModuleItem.instruction(function: function, index: best.index)
        guard let binaryOffset = compiled.map.offsets.offset(of: item) else { return nil }
        return (moduleIndex, item, binaryOffset, best.range)
    }

    /// The defined function whose body holds `offset`, by binary search over the bodies, which
    /// follow each other in the text in index order.
    func function(containing offset: Int, in compiled: CompiledModule) -> Int? {
        let sourceMap = compiled.map.sourceMap
        var low = 0
        var high = min(compiled.module.functions.count, sourceMap.functionCount) - 1
        while low <= high {
            let middle = (low + high) / 2
            guard let range = sourceMap.range(of: .functionBody(middle)) ?? sourceMap.range(of: .functionDeclaration(middle)) else {
                return nil
            }
            if offset < range.start { high = middle - 1 } else if offset >= range.end { low = middle + 1 } else { return middle }
        }
        return nil
    }
}

extension WATService {
    /// Hover on a Wasm instruction: its type, the operand stack before it, the CLIF Wasmtime
    /// generates for it with the preamble entities it uses, and the environment's decisions
    /// behind that CLIF.
    func instructionHover(at offset: Int, in analysis: WATAnalysis) -> HoverResult? {
        guard let found = analysis.instruction(at: offset) else { return nil }
        let module = analysis.modules[found.module]
        let name = String(analysis.file[found.range].prefix { !$0.isWhitespace && $0 != ")" })
        var text = "`\(name)` at offset `0x\(String(found.binaryOffset, radix: 16))`"
        if case .instruction(let function, let index) = found.item,
           let facts = module.compiled.module.instructionFacts(function: function, index: index) {
            if let types = facts.types {
                text += " · `\(types)`"
            }
            let stack = facts.stack.map { $0.map { "\($0)" } ?? "⊥" }.joined(separator: " ")
            text += " · stack before: `[\(stack)]`"
        }
        guard let generated = module.generated else {
            return HoverResult(range: found.range, markdown: text + "\n\nNo CLIF: the module has errors.")
        }
        guard let entry = generated.function(forSourceLocation: found.binaryOffset),
              let function = generated.printed(entry, around: found.binaryOffset),
              case let lines = function.lines(forSourceLocation: found.binaryOffset), !lines.isEmpty else {
            return HoverResult(range: found.range, markdown: text
                + "\n\nGenerates no CLIF of its own: the translator only tracks it on its operand or control stack.")
        }
        var clif = function.declarations(usedBy: lines).map { "    " + function.declarationSource[$0] }
        if !clif.isEmpty { clif.append("") }
        clif += lines.map { String(function.file[$0.range]) }
        text += "\n\n```clif\n" + clif.joined(separator: "\n") + "\n```"
        let decisions = function.decisions(forSourceLocation: found.binaryOffset)
        if !decisions.isEmpty {
            text += "\n\n" + decisions.map(\.explanation).joined(separator: "\n\n")
        }
        return HoverResult(range: found.range, markdown: text)
    }

    /// Definition on a Wasm instruction: the CLIF lines generated for it.
    func instructionDefinition(at offset: Int, in analysis: WATAnalysis) -> [TargetLocation] {
        guard let found = analysis.instruction(at: offset), let generated = analysis.modules[found.module].generated else { return [] }
        let uri = GeneratedCLIFDocument.uri(forSource: analysis.uri, module: found.module)
        guard let entry = generated.function(forSourceLocation: found.binaryOffset),
              let function = generated.printed(entry, around: found.binaryOffset) else { return [] }
        return function.lines(forSourceLocation: found.binaryOffset).map {
            TargetLocation(uri: uri, file: function.file, range: $0.range)
        }
    }
}
