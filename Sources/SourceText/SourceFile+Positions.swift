extension SourceFile {
    /// The editor position of byte `offset` (clamped into the file). An offset inside a
    /// multi-byte scalar is treated as the start of that scalar.
    public func position(of offset: Int, encoding: PositionEncoding) -> Position {
        let clamped = max(0, min(offset, utf8.count))
        let line = line(containing: clamped)
        var index = lineStarts[line]
        var character = 0
        while index < clamped {
            let length = UTF8Scalars.length(ofScalarStartingWith: utf8[index])
            if index + length > clamped { break }
            character += encoding.units(forScalarOfUTF8Length: length)
            index += length
        }
        return Position(line: firstLine + line, character: character)
    }

    /// The editor range of `range`.
    public func positionRange(of range: TextRange, encoding: PositionEncoding) -> PositionRange {
        PositionRange(start: position(of: range.start, encoding: encoding),
                      end: position(of: range.end, encoding: encoding))
    }

    /// The byte offset of an editor position. Positions past the end of a line land at the end of
    /// its content (before the terminator), lines past the end of the file at the end of the file,
    /// and a position inside a surrogate pair at the start of its scalar, as the LSP spec asks.
    public func offset(of position: Position, encoding: PositionEncoding) -> Int {
        let line = position.line - firstLine
        if line < 0 { return 0 }
        if line >= lineStarts.count { return utf8.count }
        let content = contentRange(ofLine: line)
        var index = content.start
        var remaining = max(0, position.character)
        while index < content.end && remaining > 0 {
            let length = UTF8Scalars.length(ofScalarStartingWith: utf8[index])
            let units = encoding.units(forScalarOfUTF8Length: length)
            if units > remaining { break }
            remaining -= units
            index += length
        }
        return min(index, content.end)
    }

    /// The byte range of an editor range; an inverted range is made empty at its start.
    public func textRange(of range: PositionRange, encoding: PositionEncoding) -> TextRange {
        let start = offset(of: range.start, encoding: encoding)
        let end = offset(of: range.end, encoding: encoding)
        return TextRange(start: start, end: max(start, end))
    }
}
