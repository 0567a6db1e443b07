import SourceText

/// Turns classified byte ranges into LSP's relative encoding: five integers per token (line delta,
/// start delta, length, type, modifiers), with characters counted in the negotiated encoding.
/// Tokens that span lines are split into one piece per line (clients need not support multi-line tokens).
public enum SemanticTokenEncoder {
    /// The data of `tokens`, which must be sorted by start and must not overlap.
    public static func encode(_ tokens: [SemanticToken], in file: SourceFile, encoding: PositionEncoding) -> SemanticTokenData {
        var data = SemanticTokenData()
        data.reserveCapacity(pieces: tokens.count)
        let lineStarts = file.lineStarts
        let lineCount = lineStarts.count
        var line = 0
        var cursor = 0          // a byte offset on `line` whose character is `cursorCharacter`
        var cursorCharacter = 0
        file.utf8.withUnsafeBufferPointer { text in
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
            // Where the line after `line` starts (the end of the text for the last line), and
            // where `line`'s content ends (before its terminator).
            var nextLineStart = 0
            var contentEnd = 0
            func enter(_ newLine: Int) {
                line = newLine
                let lineStart = lineStarts[line]
                nextLineStart = line + 1 < lineCount ? lineStarts[line + 1] : text.count
                contentEnd = nextLineStart
                if contentEnd > lineStart && text[contentEnd - 1] == 0x0A { contentEnd -= 1 }
                if contentEnd > lineStart && text[contentEnd - 1] == 0x0D { contentEnd -= 1 }
            }
            enter(0)
            for token in tokens {
                var start = Int(token.start)
                let end = min(Int(token.start) + Int(token.length), text.count)
                var continues = false
                while start < end {
                    if start >= nextLineStart && line + 1 < lineCount {
                        while line + 1 < lineCount && lineStarts[line + 1] <= start { line += 1 }
                        enter(line)
                        cursor = lineStarts[line]
                        cursorCharacter = 0
                    }
                    let pieceEnd = min(end, contentEnd)
                    if pieceEnd > start {
                        let character = cursorCharacter + units(cursor, start)
                        data.append(line: line, character: character, length: units(start, pieceEnd),
                                    type: token.type.rawValue, modifiers: token.modifiers.rawValue, continuesToken: continues)
                        continues = true
                        cursor = start
                        cursorCharacter = character
                    }
                    guard line + 1 < lineCount else { break }
                    start = max(pieceEnd, nextLineStart)
                }
            }
        }
        return data
    }

    /// The integers of the tokens in `data` that meet `range` (a byte range of the file `data`
    /// was encoded from), the first one's deltas made absolute: a token meets the range when it
    /// ends after its start and starts before its end, and then all its pieces are sent.
    public static func integers(of data: SemanticTokenData, in file: SourceFile, encoding: PositionEncoding,
                         meeting range: TextRange) -> [UInt32] {
        let first = file.position(of: range.start, encoding: encoding)
        let last = file.position(of: range.end, encoding: encoding)
        return data.integers(endingAfter: (first.line - file.firstLine, first.character),
                             startingBefore: (last.line - file.firstLine, last.character))
    }
}
