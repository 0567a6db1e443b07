extension SourceFile {
    /// The file with the bytes of `range` replaced by `replacement`, without re-reading the whole
    /// text: the line index before the change is kept, the changed lines are indexed again and
    /// the later line starts are moved. Nil when `range` does not fall on scalar boundaries (the
    /// result could then need repairing; build it with `init(utf8:)`).
    public func replacing(_ range: TextRange, with replacement: String) -> SourceFile? {
        let count = utf8.count
        guard range.start >= 0, range.start <= range.end, range.end <= count,
              !isContinuation(range.start), !isContinuation(range.end) else { return nil }
        let removed = range.end - range.start
        let bytes = [UInt8](unsafeUninitializedCapacity: count - removed + replacement.utf8.count) { buffer, initialized in
            utf8.withUnsafeBufferPointer { old in
                initialized = UnsafeMutableBufferPointer(rebasing: buffer[0...]).initialize(fromContentsOf: old[..<range.start])
                initialized += UnsafeMutableBufferPointer(rebasing: buffer[initialized...]).initialize(fromContentsOf: replacement.utf8)
                initialized += UnsafeMutableBufferPointer(rebasing: buffer[initialized...]).initialize(fromContentsOf: old[range.end...])
            }
        }
        let delta = bytes.count - count
        // A line start is decided by the byte before it (and, after a `\r`, by itself). Starts of
        // lines before the one holding the byte before the change stay; old starts q with q - 1
        // at or after the change's end move; the lines between are indexed again.
        let firstLine = line(containing: max(0, range.start - 1))
        var resumeLine = firstLine + 1
        while resumeLine < lineStarts.count && lineStarts[resumeLine] < range.end + 1 { resumeLine += 1 }
        let scanEnd = resumeLine < lineStarts.count ? lineStarts[resumeLine] + delta : bytes.count + 1
        var middle: [Int] = []
        var index = lineStarts[firstLine]
        while index < bytes.count && index + 1 < scanEnd {
            let byte = bytes[index]
            if byte == 0x0A {
                middle.append(index + 1)
            } else if byte == 0x0D {
                if index + 1 < bytes.count && bytes[index + 1] == 0x0A { index += 1 }
                if index + 1 < scanEnd { middle.append(index + 1) }
            }
            index += 1
        }
        let starts = lineStarts.replacing(keeping: firstLine, middle: middle, resumingAt: resumeLine, movedBy: delta,
                                          byteCount: bytes.count)
        return SourceFile(validUTF8: bytes, lineStarts: starts, firstLine: self.firstLine)
    }

    private func isContinuation(_ offset: Int) -> Bool {
        offset < utf8.count && utf8[offset] & 0xC0 == 0x80
    }
}
