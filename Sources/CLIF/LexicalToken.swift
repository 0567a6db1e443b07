import SourceText

/// A CLIF token as editors see it (for semantic highlighting): the lexer's class, its range and,
/// for entities, their kind. Comments are included, in text order.
public struct LexicalToken: Sendable, Hashable {
    public enum Kind: UInt8, Sendable, Hashable {
        /// Brackets, `,`, `.`, `+`, `-`, `*`, `!`, `<`, `>`.
        case punctuation
        case equal, colon, arrow
        case integer, float, hexSequence, string
        case type
        /// `v3`, `block2`, `gv0`, …: see `entityKind`.
        case entity
        /// `%name` or `u0:1` (the `u0` part): a function or external name.
        case name, userReference
        /// `mt0`, `userextname0`, `extable0`.
        case otherReference
        /// `@00a3`: a source location.
        case sourceLocation
        case cold
        /// Any other word: opcodes, keywords, flags, condition and trap codes.
        case identifier
        case comment
        case invalid
    }

    public var kind: Kind
    public var range: TextRange
    /// Whether a line break (or the start of the file) precedes the token.
    public var startsLine: Bool
    public var entityKind: EntityKind?
}

extension CLIFFile {
    /// Every token and comment of `source`, in text order; the lexer is the parser's own.
    public static func lexicalTokens(of source: SourceFile) -> [LexicalToken] {
        let lexer = source.utf8.withUnsafeBufferPointer { Lexer(bytes: $0) }
        var result: [LexicalToken] = []
        result.reserveCapacity(lexer.tokens.count + lexer.comments.count)
        var commentIndex = 0
        let comments = lexer.comments
        for (index, token) in lexer.tokens.enumerated() {
            while commentIndex < comments.count && Int(comments[commentIndex].nextToken) <= index {
                let comment = comments[commentIndex]
                result.append(LexicalToken(kind: .comment, range: TextRange(start: Int(comment.start), end: Int(comment.end)),
                                           startsLine: false, entityKind: nil))
                commentIndex += 1
            }
            guard token.kind != .eof else { break }
            result.append(LexicalToken(kind: token.kind.lexicalKind,
                                       range: TextRange(start: Int(token.start), end: Int(token.end)),
                                       startsLine: token.startsLine,
                                       entityKind: token.kind == .entity ? token.entityKind : nil))
        }
        return result
    }
}

extension TokenKind {
    var lexicalKind: LexicalToken.Kind {
        switch self {
        case .lparen, .rparen, .lbrace, .rbrace, .lbracket, .rbracket, .langle, .rangle, .minus, .plus, .star,
             .comma, .dot, .bang, .at:
            .punctuation
        case .equal: .equal
        case .colon: .colon
        case .arrow: .arrow
        case .float: .float
        case .integer: .integer
        case .hexSequence: .hexSequence
        case .string: .string
        case .type: .type
        case .entity: .entity
        case .cold: .cold
        case .name: .name
        case .userRef: .userReference
        case .memoryType, .userNameRef, .exceptionTableRef: .otherReference
        case .identifier: .identifier
        case .sourceLoc: .sourceLocation
        case .invalid, .eof: .invalid
        }
    }
}
