import CLIF
import SourceText

extension CLIFService {
    public func hover(at offset: Int, in analysis: any DocumentAnalysis) -> HoverResult? {
        guard let analysis = analysis as? CLIFAnalysis, let function = analysis.function(at: offset) else { return nil }
        if let mention = analysis.mention(at: offset, in: function) {
            return HoverResult(range: mention.range, markdown: describe(mention.entity, in: function, analysis: analysis))
        }
        if let instruction = analysis.instruction(withOpcodeAt: offset, in: function), let range = instruction.opcodeRange {
            return HoverResult(range: range, markdown: describe(instruction.opcode.info))
        }
        return nil
    }

    /// Format, type constraints and summary of an opcode.
    func describe(_ info: OpcodeInfo) -> String {
        var text = "**\(info.name)** · format `\(info.format.rawValue)`\n\n\(info.summary)"
        if let types = info.controllingTypes {
            text += "\n\nControlling type: \(CLIFService.describe(types))"
            if info.typeFromOperand { text += " (inferred from the operands; a `.type` suffix is optional)" }
        }
        var traits: [String] = []
        if info.properties.contains(.branch) { traits.append("branch") }
        if info.properties.contains(.return) { traits.append("return") }
        if info.properties.contains(.call) { traits.append("call") }
        if info.properties.contains(.canTrap) { traits.append("can trap") }
        if info.properties.contains(.canLoad) { traits.append("loads") }
        if info.properties.contains(.canStore) { traits.append("stores") }
        if info.properties.contains(.otherSideEffects) { traits.append("side effects") }
        if !traits.isEmpty { text += "\n\n" + traits.joined(separator: " · ") }
        return text
    }

    /// A type set in words: its scalar members, and whether vectors of them are allowed.
    static func describe(_ types: TypeSet) -> String {
        var scalars: [String] = []
        for width in 3...7 where types.ints & UInt8(1) << width != 0 { scalars.append("i\(1 << width)") }
        for width in 4...7 where types.floats & UInt8(1) << width != 0 { scalars.append("f\(1 << width)") }
        var text = scalars.map { "`\($0)`" }.joined(separator: ", ")
        if types.lanes & 1 == 0 { text = "vectors of " + text }
        else if types.lanes > 1 { text += ", and vectors of them" }
        if types.dynamicLanes != 0 { text += " (also dynamic vectors)" }
        return text
    }

    func describe(_ entity: EntityRef, in function: Function, analysis: CLIFAnalysis) -> String {
        switch entity.kind {
        case .value:
            let value = Value(entity.number)
            let resolved = function.resolveAlias(value)
            var text = "`\(value): \(function.type(of: resolved))`"
            if resolved != value { text += " (alias of `\(resolved)`)" }
            let site = analysis.definingSite(of: resolved, in: function)
            if let instruction = site.instruction, let range = instruction.range {
                text += "\n\nDefined by:\n```clif\n\(analysis.file[range])\n```"
            } else if let block = site.block {
                text += "\n\nParameter of `\(block.block)`"
            }
            return text
        default:
            guard let definition = analysis.definitions(of: entity, in: function).first else {
                return "`\(entity)` (not declared in this function)"
            }
            return "```clif\n\(analysis.lineText(at: definition.range.start))\n```"
        }
    }
}
