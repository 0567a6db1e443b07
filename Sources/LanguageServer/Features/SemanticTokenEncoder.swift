import SourceText

/// Turns classified byte ranges into LSP's relative encoding: five integers per token (line delta,
/// start delta, length, type, modifiers), with characters counted in the negotiated encoding.
/// Tokens that span lines are split into one token per line (clients need not support multi-line tokens).
public enum SemanticTokenEncoder {
    /// `tokens` must be sorted by start and must not overlap; only those meeting `range` are encoded.
    public static func encode(_ tokens: [SemanticToken], in file: SourceFile, encoding: PositionEncoding,
                              range: TextRange? = nil) -> [UInt32] {
        var data: [UInt32] = []
        let bytes = file.utf8
        let lineStarts = file.lineStarts
        var first = 0
        var last = tokens.count
        if let range {
            first = lowerBound(tokens, range.start)
            last = first
            while last < tokens.count && Int(tokens[last].start) < range.end { last += 1 }
        }
        data.reserveCapacity((last - first) * 5)
        var line = 0
        var cursor = 0          // a byte offset on `line` whose character is `cursorCharacter`
        var cursorCharacter = 0
        var previousLine = 0
        var previousCharacter = 0
        bytes.withUnsafeBufferPointer { text in
            func units(_ from: Int, _ to: Int) -> Int {
                if encoding == .utf8 { return to - from }
                var count = 0
                for index in from..<to {
                    let byte = text[index]
                    if byte & 0xC0 != 0x80 { count += 1 }
                    if encoding == .utf16 && byte >= 0xF0 { count += 1 }
                }
                return count
            }
            func lineEnd(_ line: Int) -> Int {
                var end = line + 1 < lineStarts.count ? lineStarts[line + 1] : text.count
                if end > lineStarts[line] && text[end - 1] == 0x0A { end -= 1 }
                if end > lineStarts[line] && text[end - 1] == 0x0D { end -= 1 }
                return end
            }
            for token in tokens[first..<last] {
                var start = Int(token.start)
                let end = min(Int(token.start) + Int(token.length), text.count)
                while start < end {
                    while line + 1 < lineStarts.count && lineStarts[line + 1] <= start {
                        line += 1
                        cursor = lineStarts[line]
                        cursorCharacter = 0
                    }
                    let pieceEnd = min(end, lineEnd(line))
                    if pieceEnd > start {
                        let character = cursorCharacter + units(cursor, start)
                        let length = units(start, pieceEnd)
                        data.append(UInt32(line - previousLine))
                        data.append(UInt32(line == previousLine ? character - previousCharacter : character))
                        data.append(UInt32(length))
                        data.append(UInt32(token.type.rawValue))
                        data.append(UInt32(token.modifiers.rawValue))
                        previousLine = line
                        previousCharacter = character
                        cursor = start
                        cursorCharacter = character
                    }
                    guard line + 1 < lineStarts.count else { break }
                    start = max(pieceEnd, lineStarts[line + 1])
                }
            }
        }
        return data
    }

    /// The index of the first token ending after `offset`.
    static func lowerBound(_ tokens: [SemanticToken], _ offset: Int) -> Int {
        var low = 0
        var high = tokens.count
        while low < high {
            let mid = (low + high) / 2
            if Int(tokens[mid].start) + Int(tokens[mid].length) <= offset { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// The single edit (common prefix and suffix kept) that turns `old` into `new`; nil when equal.
    public static func difference(from old: [UInt32], to new: [UInt32]) -> (start: Int, deleteCount: Int, data: ArraySlice<UInt32>)? {
        var prefix = 0
        while prefix < old.count && prefix < new.count && old[prefix] == new[prefix] { prefix += 1 }
        if prefix == old.count && prefix == new.count { return nil }
        var suffix = 0
        while suffix < old.count - prefix && suffix < new.count - prefix
                && old[old.count - 1 - suffix] == new[new.count - 1 - suffix] { suffix += 1 }
        return (prefix, old.count - prefix - suffix, new[prefix..<(new.count - suffix)])
    }
}
