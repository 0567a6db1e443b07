import SourceText

/// The lexical class of a WAT token.
public enum TokenKind: UInt8, Sendable, Hashable {
    case leftParen
    case rightParen
    /// `(@name`: the start of an annotation; the token covers the parenthesis and the name.
    case annotationStart
    /// A run of identifier characters starting with a lowercase letter (`i32.add`, `offset=4`).
    case keyword
    /// `$name` or `$"quoted name"`.
    case identifier
    case integer
    case float
    case string
    /// Identifier characters that form no other token (`1x`, `$`, `0x`): valid only where the
    /// grammar expects nothing, so always an error for the parser.
    case reserved
    /// Bytes the lexer could not make sense of (unterminated string, stray character); the lexer
    /// has already reported why.
    case invalid
    case endOfFile
}

/// One token: its class and the bytes it covers. Values (numbers, strings, names) are decoded
/// on demand from the source bytes.
public struct Token: Sendable, Hashable {
    public var kind: TokenKind
    public var range: TextRange

    public init(kind: TokenKind, range: TextRange) {
        self.kind = kind
        self.range = range
    }
}
