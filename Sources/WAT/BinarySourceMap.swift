import SourceText
import Wasm

/// Binary offsets and text ranges of the items of one compiled module, searchable both ways:
/// the encoder's offset map joined with the lowering's source map by item identity.
public struct BinarySourceMap: Sendable {
    public let sourceMap: SourceMap
    public let offsets: OffsetMap
    /// Every item that has both a range and an offset, ordered by range start (then longest first).
    let byRange: [(range: TextRange, item: ModuleItem)]

    init(sourceMap: SourceMap, offsets: OffsetMap) {
        self.sourceMap = sourceMap
        self.offsets = offsets
        var entries: [(range: TextRange, item: ModuleItem)] = []
        for (item, range) in sourceMap.itemRanges where offsets.offset(of: item) != nil && !range.isEmpty {
            entries.append((range, item))
        }
        for (function, ranges) in sourceMap.instructionRanges.enumerated() {
            for (index, range) in ranges.enumerated()
            where offsets.offset(of: .instruction(function: function, index: index)) != nil {
                entries.append((range, .instruction(function: function, index: index)))
            }
        }
        entries.sort { $0.range.start != $1.range.start ? $0.range.start < $1.range.start : $0.range.length > $1.range.length }
        byRange = entries
    }

    /// The text range of the innermost item encoded at `offset`.
    public func range(atOffset offset: Int) -> (item: ModuleItem, range: TextRange)? {
        guard let item = offsets.item(at: offset), let range = sourceMap.range(of: item) else { return nil }
        return (item, range)
    }

    /// The innermost item whose text contains `position`, with its binary offset.
    public func offset(atTextPosition position: Int) -> (item: ModuleItem, offset: Int)? {
        var low = 0
        var high = byRange.count
        while low < high {
            let mid = (low + high) / 2
            if byRange[mid].range.start <= position { low = mid + 1 } else { high = mid }
        }
        var best: (range: TextRange, item: ModuleItem)?
        var index = low - 1
        while index >= 0 {
            let entry = byRange[index]
            if entry.range.contains(position) {
                if best == nil || entry.range.length < best!.range.length { best = entry }
                if case .instruction = entry.item { break }
            }
            if case .functionBody = entry.item, entry.range.contains(position) { break }
            index -= 1
        }
        guard let best, let offset = offsets.offset(of: best.item) else { return nil }
        return (best.item, offset)
    }
}
