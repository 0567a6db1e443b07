import SourceText

/// Splits WAT/WAST text (UTF-8 bytes) into tokens, one at a time, skipping white space and
/// comments. Problems become diagnostics; the lexer never stops early.
public struct Lexer: Sendable {
    public let bytes: [UInt8]
    public private(set) var offset: Int
    public private(set) var diagnostics: [Diagnostic] = []

    public init(bytes: [UInt8], offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
    }

    /// Every token up to and including the end of file (for tests and tools; the parser pulls
    /// tokens one by one).
    public static func tokenize(_ bytes: [UInt8]) -> (tokens: [Token], diagnostics: [Diagnostic]) {
        var lexer = Lexer(bytes: bytes)
        var tokens: [Token] = []
        while true {
            let token = lexer.next()
            tokens.append(token)
            if token.kind == .endOfFile { break }
        }
        return (tokens, lexer.diagnostics)
    }

    mutating func report(_ message: String, _ start: Int, _ end: Int) {
        diagnostics.append(.error(message, at: TextRange(start: start, end: max(start, end)), code: "wat-syntax"))
    }

    /// The next token; after the end of the text, `endOfFile` forever.
    public mutating func next() -> Token {
        skipTrivia()
        let count = bytes.count
        let start = offset
        guard start < count else { return Token(kind: .endOfFile, range: TextRange(at: count)) }
        let byte = bytes[start]
        switch byte {
        case UInt8(ascii: "("):
            if start + 1 < count && bytes[start + 1] == UInt8(ascii: "@") {
                return lexAnnotationStart()
            }
            offset += 1
            return Token(kind: .leftParen, range: TextRange(start: start, end: offset))
        case UInt8(ascii: ")"):
            offset += 1
            return Token(kind: .rightParen, range: TextRange(start: start, end: offset))
        default:
            if CharacterClass.isTokenPart(byte) {
                return lexRun()
            }
            let length = Lexer.scalarLength(bytes, at: start)
            offset = start + length
            if byte >= 0x80 {
                report("illegal character (only ASCII is allowed outside strings and comments)", start, offset)
            } else {
                report("illegal character", start, offset)
            }
            return Token(kind: .invalid, range: TextRange(start: start, end: offset))
        }
    }

    static func scalarLength(_ bytes: [UInt8], at index: Int) -> Int {
        let lead = bytes[index]
        let length = lead < 0xC0 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
        return min(length, bytes.count - index)
    }

    mutating func skipTrivia() {
        while true {
            let (next, special) = bytes.withUnsafeBufferPointer { buffer -> (Int, Bool) in
                var index = offset
                let count = buffer.count
                while index < count {
                    let byte = buffer[index]
                    if byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D {
                        index += 1
                    } else if (byte == UInt8(ascii: ";") || byte == UInt8(ascii: "(")) && index + 1 < count
                                && buffer[index + 1] == UInt8(ascii: ";") {
                        return (index, true)
                    } else {
                        return (index, false)
                    }
                }
                return (index, false)
            }
            offset = next
            guard special else { return }
            if bytes[offset] == UInt8(ascii: ";") { skipLineComment() } else { skipBlockComment() }
        }
    }

    /// Checks the UTF-8 sequence starting at `offset` (a byte of 0x80 or more) and returns its length;
    /// reports and returns 1 for a malformed one.
    mutating func checkUTF8() -> Int {
        let lead = bytes[offset]
        let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC2 ? 2 : 0
        if length > 0 && offset + length <= bytes.count
            && SourceFile.isValidUTF8(Array(bytes[offset..<(offset + length)])) {
            return length
        }
        report("malformed UTF-8 encoding", offset, offset + 1)
        return 1
    }

    mutating func skipLineComment() {
        let count = bytes.count
        while offset < count {
            let byte = bytes[offset]
            if byte == 0x0A || byte == 0x0D { return }
            if byte >= 0x80 {
                offset += checkUTF8()
                continue
            }
            if byte < 0x20 && byte != 0x09 || byte == 0x7F {
                report("illegal character in comment", offset, offset + 1)
            }
            offset += 1
        }
    }

    mutating func skipBlockComment() {
        let start = offset
        let count = bytes.count
        var depth = 0
        while offset < count {
            let byte = bytes[offset]
            if byte == UInt8(ascii: "(") && offset + 1 < count && bytes[offset + 1] == UInt8(ascii: ";") {
                depth += 1
                offset += 2
            } else if byte == UInt8(ascii: ";") && offset + 1 < count && bytes[offset + 1] == UInt8(ascii: ")") {
                depth -= 1
                offset += 2
                if depth == 0 { return }
            } else if byte >= 0x80 {
                offset += checkUTF8()
            } else {
                if byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D || byte == 0x7F {
                    report("illegal character in comment", offset, offset + 1)
                }
                offset += 1
            }
        }
        report("unterminated block comment", start, start + 2)
    }

    /// `(@name` or `(@"name"`.
    mutating func lexAnnotationStart() -> Token {
        let start = offset
        offset += 2
        let count = bytes.count
        if offset < count && bytes[offset] == UInt8(ascii: "\"") {
            let stringStart = offset
            guard scanString() else {
                return Token(kind: .invalid, range: TextRange(start: start, end: offset))
            }
            let value = StringLiteral.value(bytes, stringStart, offset)
            if value.isEmpty {
                report("empty annotation id", start, offset)
                return Token(kind: .invalid, range: TextRange(start: start, end: offset))
            }
            if !SourceFile.isValidUTF8(value) {
                report("malformed UTF-8 encoding in annotation id", stringStart, offset)
                return Token(kind: .invalid, range: TextRange(start: start, end: offset))
            }
            return Token(kind: .annotationStart, range: TextRange(start: start, end: offset))
        }
        while offset < count && CharacterClass.isIdChar(bytes[offset]) { offset += 1 }
        if offset == start + 2 {
            report("empty annotation id", start, offset)
            return Token(kind: .invalid, range: TextRange(start: start, end: offset))
        }
        return Token(kind: .annotationStart, range: TextRange(start: start, end: offset))
    }

    /// A run of identifier characters, strings and reserved punctuation, classified afterwards.
    mutating func lexRun() -> Token {
        let start = offset
        let count = bytes.count
        var idChars = 0
        var strings = 0
        var others = 0
        var failed = false
        while offset < count {
            let byte = bytes[offset]
            if CharacterClass.isIdChar(byte) {
                idChars += 1
                offset += 1
            } else if byte == UInt8(ascii: "\"") {
                strings += 1
                if !scanString() { failed = true; break }
            } else if byte == UInt8(ascii: ";") {
                if offset + 1 < count && bytes[offset + 1] == UInt8(ascii: ";") { break }
                others += 1
                offset += 1
            } else if CharacterClass.isReservedPunctuation(byte) {
                others += 1
                offset += 1
            } else {
                break
            }
        }
        let range = TextRange(start: start, end: offset)
        if failed { return Token(kind: .invalid, range: range) }
        if others == 0 {
            if strings == 0 {
                return Token(kind: classifyIdChars(start, offset), range: range)
            }
            if strings == 1 && idChars == 0 { return Token(kind: .string, range: range) }
            if strings == 1 && idChars == 1 && bytes[start] == UInt8(ascii: "$") {
                return Token(kind: .identifier, range: range)
            }
        }
        return Token(kind: .reserved, range: range)
    }

    func classifyIdChars(_ start: Int, _ end: Int) -> TokenKind {
        if let number = NumberSyntax.classify(bytes, start, end) { return number }
        let first = bytes[start]
        if first == UInt8(ascii: "$") { return end - start > 1 ? .identifier : .reserved }
        if first >= UInt8(ascii: "a") && first <= UInt8(ascii: "z") { return .keyword }
        return .reserved
    }

    /// Moves past a string starting at `offset` (the opening quote), checking its escapes and
    /// characters. Returns false when it is unterminated.
    mutating func scanString() -> Bool {
        let start = offset
        let count = bytes.count
        offset += 1
        while offset < count {
            // Plain characters in bulk.
            offset = bytes.withUnsafeBufferPointer { buffer in
                var index = offset
                while index < count {
                    let byte = buffer[index]
                    if byte < 0x20 || byte >= 0x7F || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { break }
                    index += 1
                }
                return index
            }
            guard offset < count else { break }
            let byte = bytes[offset]
            if byte == UInt8(ascii: "\"") {
                offset += 1
                return true
            }
            if byte == UInt8(ascii: "\\") {
                let escapeStart = offset
                offset += 1
                guard offset < count else { break }
                let escape = bytes[offset]
                offset += 1
                switch escape {
                case UInt8(ascii: "t"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "\""), UInt8(ascii: "'"),
                     UInt8(ascii: "\\"):
                    break
                case UInt8(ascii: "u"):
                    if scanUnicodeEscape() == nil {
                        report("malformed unicode escape in string", escapeStart, offset)
                    }
                default:
                    if CharacterClass.hexValue(escape) != nil, offset < count, CharacterClass.hexValue(bytes[offset]) != nil {
                        offset += 1
                    } else {
                        report("invalid string escape", escapeStart, offset)
                    }
                }
                continue
            }
            if byte == 0x0A || byte == 0x0D {
                report("unterminated string (strings cannot contain a line break)", start, offset)
                return false
            }
            if byte >= 0x80 {
                offset += checkUTF8()
                continue
            }
            if byte < 0x20 || byte == 0x7F {
                report("illegal character in string", offset, offset + 1)
            }
            offset += 1
        }
        report("unterminated string", start, offset)
        return false
    }

    /// `{hex}` after `\u`.
    mutating func scanUnicodeEscape() -> Unicode.Scalar? {
        let count = bytes.count
        guard offset < count, bytes[offset] == UInt8(ascii: "{") else { return nil }
        offset += 1
        var value: UInt32 = 0
        var digits = 0
        var lastUnderscore = false
        while offset < count, bytes[offset] != UInt8(ascii: "}") {
            let byte = bytes[offset]
            if byte == UInt8(ascii: "_") && digits > 0 && !lastUnderscore {
                lastUnderscore = true
                offset += 1
                continue
            }
            guard let digit = CharacterClass.hexValue(byte) else { return nil }
            lastUnderscore = false
            value = value &<< 4 | UInt32(digit)
            digits += 1
            if value > 0x10FFFF { value = 0x110000 }
            offset += 1
        }
        guard offset < count, digits > 0, !lastUnderscore else { return nil }
        offset += 1
        return Unicode.Scalar(value)
    }
}

/// Byte classes of the WAT lexical grammar.
enum CharacterClass {
    static let table: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 256)
        for byte in UInt8(ascii: "0")...UInt8(ascii: "9") { table[Int(byte)] = 1 }
        for byte in UInt8(ascii: "a")...UInt8(ascii: "z") { table[Int(byte)] = 1 }
        for byte in UInt8(ascii: "A")...UInt8(ascii: "Z") { table[Int(byte)] = 1 }
        for character in "!#$%&'*+-./:<=>?@\\^_`|~".utf8 { table[Int(character)] = 1 }
        for character in ",[]{}".utf8 { table[Int(character)] = 2 }
        table[Int(UInt8(ascii: "\""))] = 3
        table[Int(UInt8(ascii: ";"))] = 3
        return table
    }()

    @inline(__always) static func isIdChar(_ byte: UInt8) -> Bool { table[Int(byte)] == 1 }
    @inline(__always) static func isReservedPunctuation(_ byte: UInt8) -> Bool { table[Int(byte)] == 2 }
    @inline(__always) static func isTokenPart(_ byte: UInt8) -> Bool { table[Int(byte)] != 0 }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
