extension SourceFile {
    /// The file with the bytes of `range` replaced by `replacement`, without re-reading the whole
    /// text: the line index before the change is kept, the changed lines are indexed again and
    /// the later line starts are moved. Nil when `range` does not fall on scalar boundaries (the
    /// result could then need repairing; build it with `init(utf8:)`).
    public func replacing(_ range: TextRange, with replacement: String) -> SourceFile? {
        let count = utf8.count
        guard range.start >= 0, range.start <= range.end, range.end <= count,
              !isContinuation(range.start), !isContinuation(range.end) else { return nil }
        var bytes = utf8
        bytes.replaceSubrange(range.start..<range.end, with: replacement.utf8)
        let delta = bytes.count - count
        // A line start is decided by the byte before it (and, after a `\r`, by itself). Starts of
        // lines before the one holding the byte before the change stay; old starts q with q - 1
        // at or after the change's end move; the lines between are indexed again.
        let firstLine = line(containing: max(0, range.start - 1))
        var resumeLine = firstLine + 1
        while resumeLine < lineStarts.count && lineStarts[resumeLine] < range.end + 1 { resumeLine += 1 }
        let scanEnd = resumeLine < lineStarts.count ? lineStarts[resumeLine] + delta : bytes.count + 1
        var starts = Array(lineStarts[...firstLine])
        starts.reserveCapacity(lineStarts.count + max(0, delta / 16))
        var index = lineStarts[firstLine]
        while index < bytes.count && index + 1 < scanEnd {
            let byte = bytes[index]
            if byte == 0x0A {
                starts.append(index + 1)
            } else if byte == 0x0D {
                if index + 1 < bytes.count && bytes[index + 1] == 0x0A { index += 1 }
                if index + 1 < scanEnd { starts.append(index + 1) }
            }
            index += 1
        }
        for line in resumeLine..<lineStarts.count { starts.append(lineStarts[line] + delta) }
        return SourceFile(validUTF8: bytes, lineStarts: LineStarts(starts, byteCount: bytes.count), firstLine: self.firstLine)
    }

    private func isContinuation(_ offset: Int) -> Bool {
        offset < utf8.count && utf8[offset] & 0xC0 == 0x80
    }
}
