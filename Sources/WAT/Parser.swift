import SourceText

/// A syntax error: one diagnostic, thrown to the nearest recovery point (the enclosing field,
/// instruction or script command), which records it and skips ahead.
struct SyntaxError: Error {
    var diagnostic: Diagnostic

    init(_ message: String, at range: TextRange) {
        diagnostic = .error(message, at: range, code: "wat-syntax")
    }
}

/// The recursive-descent parser over a token stream: token access, small helpers and recovery.
/// The grammar lives in the `Parser+…` extensions. Nesting of instructions and annotations is
/// handled with explicit stacks, so deep input cannot overflow the call stack.
public struct Parser {
    var lexer: Lexer
    let bytes: [UInt8]
    /// The token under the cursor.
    var token: Token
    /// One token of lookahead beyond `token`, filled on demand.
    var lookahead: Token?
    /// End of the last consumed token, for node ranges.
    var previousEnd: Int = 0
    /// Parentheses opened and not yet closed among consumed tokens.
    var depth: Int = 0
    var diagnostics: [Diagnostic] = []
    /// Reused room for the instructions of the expression being parsed.
    var instructionScratch: [InstructionSyntax] = []

    public init(bytes: [UInt8]) {
        self.bytes = bytes
        self.lexer = Lexer(bytes: bytes)
        self.token = Token(kind: .endOfFile, range: TextRange(at: 0))
        self.token = nextSignificant()
    }

    /// All diagnostics, the lexer's included, in source order; a parser error at a token the lexer
    /// already reported is left out, so one mistake gives one diagnostic.
    var allDiagnostics: [Diagnostic] {
        let lexical = Set(lexer.diagnostics.map(\.range.start))
        let syntactic = diagnostics.filter { !lexical.contains($0.range.start) }
        return (lexer.diagnostics + syntactic).sorted { $0.range.start < $1.range.start }
    }

    // MARK: Token stream

    /// The next token that is not part of an annotation the parser ignores.
    mutating func nextSignificant() -> Token {
        while true {
            let next = lexer.next()
            if next.kind == .annotationStart && !isHandledAnnotation(next) {
                skipAnnotation()
                continue
            }
            return next
        }
    }

    /// Annotations that carry meaning for the binary; every other annotation is white space.
    func isHandledAnnotation(_ token: Token) -> Bool {
        isAnnotation(token, "custom") || isAnnotation(token, "name") || isAnnotation(token, "metadata.code.branch_hint")
            || isAnnotation(token, "producers") || isAnnotation(token, "dylink.0")
    }

    /// Whether `token` is the start of annotation `(@name`.
    func isAnnotation(_ token: Token, _ name: StaticString) -> Bool {
        guard token.kind == .annotationStart, token.range.length == name.utf8CodeUnitCount + 2 else { return false }
        let pointer = name.utf8Start
        for offset in 0..<name.utf8CodeUnitCount where bytes[token.range.start + 2 + offset] != pointer[offset] {
            return false
        }
        return true
    }

    func annotationName(_ token: Token) -> ArraySlice<UInt8> {
        bytes[(token.range.start + 2)..<token.range.end]
    }

    /// Skips the rest of an annotation whose start the lexer just returned (balanced parentheses).
    mutating func skipAnnotation() {
        var open = 1
        while open > 0 {
            let next = lexer.next()
            switch next.kind {
            case .leftParen, .annotationStart: open += 1
            case .rightParen: open -= 1
            case .endOfFile:
                diagnostics.append(.error("unterminated annotation", at: next.range, code: "wat-syntax"))
                return
            default: break
            }
        }
    }

    /// The token after `token`.
    mutating func peek2() -> Token {
        if let lookahead { return lookahead }
        let next = nextSignificant()
        lookahead = next
        return next
    }

    /// Consumes `token` and returns it.
    @discardableResult
    mutating func advance() -> Token {
        let consumed = token
        switch consumed.kind {
        case .leftParen, .annotationStart: depth += 1
        case .rightParen: depth -= 1
        case .endOfFile: return consumed
        default: break
        }
        previousEnd = consumed.range.end
        if let lookahead {
            token = lookahead
            self.lookahead = nil
        } else {
            token = nextSignificant()
        }
        return consumed
    }

    // MARK: Token tests

    func text(_ token: Token) -> ArraySlice<UInt8> { bytes[token.range.range] }

    func string(of token: Token) -> String { String(decoding: text(token), as: UTF8.self) }

    func isKeyword(_ token: Token, _ word: StaticString) -> Bool {
        guard token.kind == .keyword, token.range.length == word.utf8CodeUnitCount else { return false }
        let pointer = word.utf8Start
        var index = token.range.start
        for offset in 0..<token.range.length {
            if bytes[index] != pointer[offset] { return false }
            index += 1
        }
        return true
    }

    var atLeftParen: Bool { token.kind == .leftParen }
    var atRightParen: Bool { token.kind == .rightParen }

    func at(_ word: StaticString) -> Bool { isKeyword(token, word) }

    /// Whether the cursor is at `(` followed by keyword `word`.
    mutating func atField(_ word: StaticString) -> Bool {
        token.kind == .leftParen && isKeyword(peek2(), word)
    }

    // MARK: Expectations

    func error(_ message: String, at range: TextRange) -> SyntaxError {
        SyntaxError(message, at: range)
    }

    /// An error about the current token, worded by what was expected.
    func unexpected(_ expected: String) -> SyntaxError {
        switch token.kind {
        case .endOfFile: return error("expected \(expected), found end of file", at: token.range)
        case .rightParen: return error("expected \(expected), found `)`", at: token.range)
        case .invalid: return error("expected \(expected)", at: token.range)
        default: return error("expected \(expected), found `\(string(of: token))`", at: token.range)
        }
    }

    mutating func expectLeftParen() throws(SyntaxError) {
        guard token.kind == .leftParen else { throw unexpected("`(`") }
        advance()
    }

    mutating func expectRightParen() throws(SyntaxError) {
        guard token.kind == .rightParen else { throw unexpected("`)`") }
        advance()
    }

    mutating func expectKeyword(_ word: StaticString) throws(SyntaxError) {
        guard at(word) else { throw unexpected("`\(word)`") }
        advance()
    }

    mutating func consumeKeyword(_ word: StaticString) -> Bool {
        guard at(word) else { return false }
        advance()
        return true
    }

    // MARK: Values

    /// `$name` as a definition, or nil when the cursor is not at one.
    mutating func optionalIdentifier() throws(SyntaxError) -> Identifier? {
        guard token.kind == .identifier else { return nil }
        try checkIdentifier(token)
        let consumed = advance()
        return Identifier(name: identifierName(consumed), range: consumed.range)
    }

    func identifierName(_ token: Token) -> String {
        let start = token.range.start + 1
        if bytes[start] == UInt8(ascii: "\"") {
            return String(decoding: StringLiteral.value(bytes, start, token.range.end), as: UTF8.self)
        }
        return String(decoding: bytes[start..<token.range.end], as: UTF8.self)
    }

    /// Checks a quoted identifier: non-empty valid UTF-8.
    func checkIdentifier(_ token: Token) throws(SyntaxError) {
        let start = token.range.start + 1
        guard bytes[start] == UInt8(ascii: "\"") else { return }
        let value = StringLiteral.value(bytes, start, token.range.end)
        if value.isEmpty { throw error("empty identifier", at: token.range) }
        if !SourceFile.isValidUTF8(value) { throw error("malformed UTF-8 encoding in identifier", at: token.range) }
    }

    /// A string's bytes.
    mutating func expectString() throws(SyntaxError) -> StringSyntax {
        guard token.kind == .string else { throw unexpected("a string") }
        let consumed = advance()
        return StringSyntax(bytes: StringLiteral.value(bytes, consumed.range.start, consumed.range.end),
                            range: consumed.range)
    }

    /// A string that must be valid UTF-8 (names of imports, exports, custom sections).
    mutating func expectName() throws(SyntaxError) -> StringSyntax {
        let name = try expectString()
        guard SourceFile.isValidUTF8(name.bytes) else {
            throw error("malformed UTF-8 encoding", at: name.range)
        }
        return name
    }

    /// An unsigned integer token that fits 32 bits.
    mutating func expectU32() throws(SyntaxError) -> UInt32 {
        guard token.kind == .integer else { throw unexpected("an integer") }
        let (negative, _, magnitude) = NumberSyntax.integer(bytes, token.range.start, token.range.end)
        guard !negative, let magnitude, magnitude <= UInt64(UInt32.max) else {
            throw error("integer out of range for u32", at: token.range)
        }
        advance()
        return UInt32(magnitude)
    }

    /// An unsigned integer token that fits 64 bits.
    mutating func expectU64() throws(SyntaxError) -> UInt64 {
        guard token.kind == .integer else { throw unexpected("an integer") }
        let (negative, _, magnitude) = NumberSyntax.integer(bytes, token.range.start, token.range.end)
        guard !negative, let magnitude else { throw error("integer out of range for u64", at: token.range) }
        advance()
        return magnitude
    }

    /// An integer literal for a `bits`-wide constant: signed or unsigned range, as a bit pattern.
    mutating func expectInteger(bits: Int) throws(SyntaxError) -> UInt64 {
        guard token.kind == .integer else { throw unexpected("an integer") }
        let (negative, _, magnitude) = NumberSyntax.integer(bytes, token.range.start, token.range.end)
        let mask: UInt64 = bits == 64 ? .max : (1 << UInt64(bits)) - 1
        guard let magnitude else { throw error("constant out of range", at: token.range) }
        if negative {
            guard magnitude <= (1 << UInt64(bits - 1)) else { throw error("constant out of range", at: token.range) }
            advance()
            return (0 &- magnitude) & mask
        }
        guard magnitude <= mask else { throw error("constant out of range", at: token.range) }
        advance()
        return magnitude
    }

    mutating func expectFloat32() throws(SyntaxError) -> UInt32 {
        guard token.kind == .float || token.kind == .integer else { throw unexpected("a number") }
        switch NumberSyntax.float32Bits(bytes, token.range.start, token.range.end) {
        case .success(let bits):
            advance()
            return bits
        case .failure: throw error("constant out of range", at: token.range)
        }
    }

    mutating func expectFloat64() throws(SyntaxError) -> UInt64 {
        guard token.kind == .float || token.kind == .integer else { throw unexpected("a number") }
        switch NumberSyntax.float64Bits(bytes, token.range.start, token.range.end) {
        case .success(let bits):
            advance()
            return bits
        case .failure: throw error("constant out of range", at: token.range)
        }
    }

    /// `$name` or a number naming an item.
    mutating func optionalIndex() throws(SyntaxError) -> IndexSyntax? {
        switch token.kind {
        case .identifier:
            try checkIdentifier(token)
            let consumed = advance()
            return IndexSyntax(reference: .name(identifierName(consumed)), range: consumed.range)
        case .integer:
            let range = token.range
            return IndexSyntax(reference: .number(try expectU32()), range: range)
        default:
            return nil
        }
    }

    mutating func expectIndex(_ what: String = "an index") throws(SyntaxError) -> IndexSyntax {
        guard let index = try optionalIndex() else { throw unexpected(what) }
        return index
    }

    // MARK: Recovery

    /// Skips tokens until the parenthesis open at depth `target + 1` is closed, leaving the cursor
    /// after it (or at the end of the file).
    mutating func skip(toDepth target: Int) {
        while depth > target && token.kind != .endOfFile {
            advance()
        }
    }

    /// Records an error unless one was already recorded at the same place (an error that ends
    /// several enclosing forms at once is reported once).
    mutating func record(_ error: SyntaxError) {
        if let last = diagnostics.last, last.range.start == error.diagnostic.range.start { return }
        diagnostics.append(error.diagnostic)
    }
}
