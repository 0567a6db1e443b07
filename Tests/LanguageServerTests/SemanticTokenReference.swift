import SourceText
@testable import LanguageServer

/// The encoding as LSP defines it, written the plain way (every integer in a `[UInt32]`, ranges
/// chosen on byte offsets): what the packed data, its ranges and its deltas must reproduce.
enum SemanticTokenReference {
    static func encode(_ tokens: [SemanticToken], in file: SourceFile, encoding: PositionEncoding,
                       range: TextRange? = nil) -> [UInt32] {
        let text = file.utf8
        let lineStarts = Array(file.lineStarts)
        var selected = tokens[...]
        if let range {
            selected = selected.drop { Int($0.start) + Int($0.length) <= range.start }.prefix { Int($0.start) < range.end }
        }
        func character(_ offset: Int, line: Int) -> Int {
            let bytes = text[lineStarts[line]..<offset]
            switch encoding {
            case .utf8: return bytes.count
            case .utf16: return bytes.filter { $0 & 0xC0 != 0x80 }.count + bytes.filter { $0 >= 0xF0 }.count
            case .utf32: return bytes.filter { $0 & 0xC0 != 0x80 }.count
            }
        }
        func contentEnd(_ line: Int) -> Int {
            var end = line + 1 < lineStarts.count ? lineStarts[line + 1] : text.count
            while end > lineStarts[line] && (text[end - 1] == 0x0A || text[end - 1] == 0x0D) { end -= 1 }
            return end
        }
        var data: [UInt32] = []
        var previous = (line: 0, character: 0)
        for token in selected {
            let end = min(Int(token.start) + Int(token.length), text.count)
            var line = file.line(containing: Int(token.start))
            var start = Int(token.start)
            while start < end {
                let pieceEnd = min(end, contentEnd(line))
                if pieceEnd > start {
                    let first = character(start, line: line)
                    data += [UInt32(line - previous.line), UInt32(line == previous.line ? first - previous.character : first),
                             UInt32(character(pieceEnd, line: line) - first), UInt32(token.type.rawValue), UInt32(token.modifiers.rawValue)]
                    previous = (line, first)
                }
                guard line + 1 < lineStarts.count else { break }
                line += 1
                start = max(pieceEnd, lineStarts[line])
            }
        }
        return data
    }

    /// The single edit keeping the common prefix and suffix; nil when equal.
    static func difference(from old: [UInt32], to new: [UInt32]) -> (start: Int, deleteCount: Int, data: [UInt32])? {
        guard old != new else { return nil }
        let prefix = zip(old, new).prefix { $0 == $1 }.count
        let suffix = zip(old.reversed(), new.reversed()).prefix { $0 == $1 }.count
        let kept = min(suffix, old.count - prefix, new.count - prefix)
        return (prefix, old.count - prefix - kept, Array(new[prefix..<(new.count - kept)]))
    }
}
