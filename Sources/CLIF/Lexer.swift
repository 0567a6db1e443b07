/// Splits CLIF text into tokens in one pass over the UTF-8 bytes. Comments are kept aside with
/// the index of the token that follows them so the parser can attach them to entities.
struct Lexer {
    private(set) var tokens: [Token] = []
    private(set) var comments: [LexedComment] = []

    private let text: UnsafeBufferPointer<UInt8>
    private var lineStart = true

    init(bytes: UnsafeBufferPointer<UInt8>) {
        text = bytes
        tokens.reserveCapacity(bytes.count / 4)
        lex()
    }

    @inline(__always)
    private func byte(_ at: Int) -> UInt8 { at < text.count ? text[at] : 0 }

    @inline(__always)
    private func isWordByte(_ b: UInt8) -> Bool {
        (b >= 97 && b <= 122) || (b >= 65 && b <= 90) || (b >= 48 && b <= 57) || b == 95
    }

    @inline(__always)
    private mutating func add(_ kind: TokenKind, _ start: Int, _ end: Int) {
        tokens.append(Token(kind: kind, startsLine: lineStart, entityKind: .value, start: Int32(start),
                            end: Int32(end), number: 0))
        lineStart = false
    }

    private func startsWith(_ at: Int, _ literal: StaticString) -> Bool {
        let length = literal.utf8CodeUnitCount
        if at + length > text.count { return false }
        let pointer = literal.utf8Start
        for offset in 0..<length where text[at + offset] != pointer[offset] { return false }
        return true
    }

    private func looksNumeric(_ at: Int) -> Bool {
        let b = byte(at)
        if b >= 48 && b <= 57 { return true }
        if b != 78 && b != 73 && b != 115 { return false }
        return startsWith(at, "NaN") || startsWith(at, "Inf") || startsWith(at, "sNaN:")
    }

    /// Scans a number (or a lone sign) at `start`; returns the end.
    private mutating func scanNumber(_ start: Int) -> Int {
        var i = start
        var isFloat = false
        let first = byte(i)
        if first == 45 || first == 43 {
            i += 1
            if !looksNumeric(i) {
                add(first == 45 ? .minus : .plus, start, i)
                return i
            }
        }
        let lead = byte(i)
        if (lead == 78 || lead == 115) && (startsWith(i, "NaN:") || startsWith(i, "sNaN:")) {
            while i < text.count && text[i] != 58 { i += 1 }
            i += 1
            isFloat = true
        } else if (lead == 78 || lead == 73) && (startsWith(i, "NaN") || startsWith(i, "Inf")) {
            isFloat = true
        }
        while i < text.count {
            let b = text[i]
            if b == 46 { isFloat = true } else if !(isWordByte(b) || b == 45) { break }
            i += 1
        }
        add(isFloat ? .float : .integer, start, min(i, text.count))
        return min(i, text.count)
    }

    private mutating func lex() {
        let count = text.count
        var index = 0
        while index < count {
            let b = text[index]
            let start = index
            switch b {
            case 10, 13:
                lineStart = true
                index += 1
            case 32, 9, 11, 12:
                index += 1
                while index < count && text[index] == 32 { index += 1 }
            case 59: // ;
                var end = index
                while end < count && text[end] != 10 && text[end] != 13 { end += 1 }
                comments.append(LexedComment(start: Int32(start), end: Int32(end), nextToken: Int32(tokens.count)))
                index = end
            case 40: add(.lparen, start, start + 1); index += 1
            case 41: add(.rparen, start, start + 1); index += 1
            case 123: add(.lbrace, start, start + 1); index += 1
            case 125: add(.rbrace, start, start + 1); index += 1
            case 91: add(.lbracket, start, start + 1); index += 1
            case 93: add(.rbracket, start, start + 1); index += 1
            case 60: add(.langle, start, start + 1); index += 1
            case 62: add(.rangle, start, start + 1); index += 1
            case 44: add(.comma, start, start + 1); index += 1
            case 46: add(.dot, start, start + 1); index += 1
            case 58: add(.colon, start, start + 1); index += 1
            case 61: add(.equal, start, start + 1); index += 1
            case 33: add(.bang, start, start + 1); index += 1
            case 42: add(.star, start, start + 1); index += 1
            case 43: index = scanNumber(start)
            case 45:
                if byte(index + 1) == 62 {
                    add(.arrow, start, start + 2)
                    index += 2
                } else {
                    index = scanNumber(start)
                }
            case 48...57: index = scanNumber(start)
            case 37: // %
                var end = index + 1
                while end < count && isWordByte(text[end]) { end += 1 }
                add(.name, start, end)
                index = end
            case 34: // "
                var end = index + 1
                while end < count && text[end] != 34 { end += 1 }
                if end >= count {
                    add(.invalid, start, count)
                    index = count
                } else {
                    add(.string, start, end + 1)
                    index = end + 1
                }
            case 35: // #
                var end = index + 1
                while end < count && isHex(text[end]) { end += 1 }
                add(.hexSequence, start, end)
                index = end
            case 64: // @
                var end = index + 1
                while end < count && isHex(text[end]) { end += 1 }
                add(end > index + 1 ? .sourceLoc : .at, start, end)
                index = end
            case 97...122, 65...90, 95:
                if (b == 78 || b == 73) && (startsWith(index, "NaN") || startsWith(index, "Inf")) {
                    index = scanNumber(start)
                    continue
                }
                var end = index + 1
                while end < count && isWordByte(text[end]) { end += 1 }
                classifyWord(text, start, end, lineStart: lineStart)
                lineStart = false
                index = end
            default:
                var end = index + 1
                while end < count && text[end] & 0xC0 == 0x80 { end += 1 }
                add(.invalid, start, end)
                index = end
            }
        }
        tokens.append(Token(kind: .eof, startsLine: true, entityKind: .value, start: Int32(count), end: Int32(count), number: 0))
    }

    @inline(__always)
    private func isHex(_ b: UInt8) -> Bool {
        (b >= 48 && b <= 57) || (b >= 97 && b <= 102) || (b >= 65 && b <= 70)
    }

    private mutating func classifyWord(_ text: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, lineStart: Bool) {
        var digitsStart = end
        while digitsStart > start && text[digitsStart - 1] >= 48 && text[digitsStart - 1] <= 57 { digitsStart -= 1 }
        var token = Token(kind: .identifier, startsLine: lineStart, entityKind: .value, start: Int32(start),
                          end: Int32(end), number: 0)
        let hasNumber = digitsStart < end && !(end - digitsStart > 1 && text[digitsStart] == 48)
        if hasNumber {
            var number: UInt64 = 0
            var overflow = false
            for i in digitsStart..<end {
                number = number * 10 + UInt64(text[i] - 48)
                if number > UInt64(UInt32.max) { overflow = true; break }
            }
            if !overflow {
                let prefix = UnsafeBufferPointer(rebasing: text[start..<digitsStart])
                if let kind = Lexer.entityPrefix(prefix) {
                    token.kind = .entity
                    token.entityKind = kind
                    token.number = UInt32(number)
                } else if let special = Lexer.specialPrefix(prefix) {
                    token.kind = special
                    token.number = UInt32(number)
                } else if let type = CLIFType.parse(UnsafeBufferPointer(rebasing: text[start..<end])) {
                    token.kind = .type
                    token.number = UInt32(type.raw)
                }
            }
        } else if end - start == 4 && text[start] == 99 && text[start + 1] == 111 && text[start + 2] == 108 && text[start + 3] == 100 {
            token.kind = .cold
        }
        tokens.append(token)
    }

    private static func equals(_ bytes: UnsafeBufferPointer<UInt8>, _ literal: StaticString) -> Bool {
        guard bytes.count == literal.utf8CodeUnitCount else { return false }
        let pointer = literal.utf8Start
        for i in 0..<bytes.count where bytes[i] != pointer[i] { return false }
        return true
    }

    private static func entityPrefix(_ p: UnsafeBufferPointer<UInt8>) -> EntityKind? {
        guard let first = p.first else { return nil }
        switch first {
        case 118: return p.count == 1 ? .value : nil
        case 98: return equals(p, "block") ? .block : nil
        case 115: return equals(p, "ss") ? .stackSlot : (equals(p, "sig") ? .signature : nil)
        case 100: return equals(p, "dss") ? .dynamicStackSlot : (equals(p, "dt") ? .dynamicType : nil)
        case 103: return equals(p, "gv") ? .globalValue : nil
        case 99: return equals(p, "const") ? .constant : nil
        case 102: return equals(p, "fn") ? .functionRef : nil
        case 116: return equals(p, "tag") ? .exceptionTag : nil
        case 114:
            if equals(p, "region") { return .region }
            return equals(p, "ret") ? .tryCallReturn : nil
        case 101: return equals(p, "exn") ? .tryCallException : nil
        default: return nil
        }
    }

    private static func specialPrefix(_ p: UnsafeBufferPointer<UInt8>) -> TokenKind? {
        if equals(p, "u") { return .userRef }
        if equals(p, "mt") { return .memoryType }
        if equals(p, "userextname") { return .userNameRef }
        if equals(p, "extable") { return .exceptionTableRef }
        return nil
    }
}
