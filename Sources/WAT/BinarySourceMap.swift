import SourceText
import Wasm

/// Binary offsets and text ranges of the items of one compiled module, searchable both ways:
/// the encoder's offset map joined with the lowering's source map by item identity. Nothing is
/// precomputed; each query searches the two maps.
public struct BinarySourceMap: Sendable {
    public let sourceMap: SourceMap
    public let offsets: OffsetMap

    init(sourceMap: SourceMap, offsets: OffsetMap) {
        self.sourceMap = sourceMap
        self.offsets = offsets
    }

    /// The text range of the innermost item encoded at `offset`.
    public func range(atOffset offset: Int) -> (item: ModuleItem, range: TextRange)? {
        guard let item = offsets.item(at: offset), let range = sourceMap.range(of: item) else { return nil }
        return (item, range)
    }

    /// The innermost item whose text contains `position`, with its binary offset: an instruction
    /// when the position is inside a function body, otherwise the smallest enclosing item.
    public func offset(atTextPosition position: Int) -> (item: ModuleItem, offset: Int)? {
        var best: (range: TextRange, item: ModuleItem)?
        for (item, range) in sourceMap.itemRanges where range.contains(position) && offsets.offset(of: item) != nil {
            if best == nil || range.length < best!.range.length { best = (range, item) }
        }
        if case .functionBody(let function)? = best?.item {
            for index in 0..<sourceMap.instructionCount(function: function) {
                let item = ModuleItem.instruction(function: function, index: index)
                guard let range = sourceMap.range(of: item), range.contains(position) else { continue }
                if offsets.offset(of: item) != nil && range.length <= best!.range.length { best = (range, item) }
            }
        }
        guard let best, let offset = offsets.offset(of: best.item) else { return nil }
        return (best.item, offset)
    }
}
