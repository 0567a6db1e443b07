/// The kinds of CLIF tokens (Cranelift's `lexer.rs` token set).
enum TokenKind: UInt8, Sendable {
    case lparen, rparen, lbrace, rbrace, lbracket, rbracket, langle, rangle
    case minus, plus, star, comma, dot, colon, equal, bang, at, arrow
    case float, integer, type, entity, cold, name, string, hexSequence, identifier, sourceLoc
    /// `u<n>` (user namespace), `mt<n>`, `userextname<n>`, `extable<n>`.
    case userRef, memoryType, userNameRef, exceptionTableRef
    case invalid, eof
}

/// One token: kind, byte range, and for entities and types their decoded payload.
struct Token: Sendable {
    var kind: TokenKind
    /// Whether a line break (or the start of the file) precedes the token.
    var startsLine: Bool
    var entityKind: EntityKind
    var start: Int32
    var end: Int32
    /// Entity number, or the raw bits of a type.
    var number: UInt32

    var type: CLIFType { CLIFType(raw: UInt16(truncatingIfNeeded: number)) }
}

/// A `;` comment, with the index of the token that follows it.
struct LexedComment: Sendable {
    var start: Int32
    var end: Int32
    var nextToken: Int32
}
