import SourceText

/// A syntax error at a token; thrown inside one entity and caught where parsing can resume.
struct ParseError: Error {
    var message: String
    var range: TextRange
}

/// Recursive-descent reader for CLIF text, after Cranelift's `cranelift/reader` but with byte
/// ranges on every entity and recovery after errors (at the next instruction, block or function).
struct Parser {
    let source: SourceFile
    let bytes: [UInt8]
    var tokens: [Token]
    var lexedComments: [LexedComment]
    var position = 0
    var file: CLIFFile

    // Per-function state.
    var function = Function(name: .testcase(""), signature: Signature())
    var anchors: [(token: Int32, location: EntityLocation)] = []
    var definedValues: [Bool] = []
    /// Entities declared so far in the current function (blocks and preamble entities).
    var declared: Set<EntityRef> = []
    var functionAnchors: [(token: Int32, function: Int, anchors: [(token: Int32, location: EntityLocation)])] = []

    init(source: SourceFile) {
        self.source = source
        self.bytes = source.utf8
        let lexer = bytes.withUnsafeBufferPointer { Lexer(bytes: $0) }
        self.tokens = lexer.tokens
        self.lexedComments = lexer.comments
        self.file = CLIFFile(source: source)
    }

    // MARK: Token access

    var token: Token { tokens[position] }
    var kind: TokenKind { tokens[position].kind }

    func range(of token: Token) -> TextRange { TextRange(start: Int(token.start), end: Int(token.end)) }
    var currentRange: TextRange { range(of: token) }

    func string(_ token: Token) -> String {
        String(decoding: bytes[Int(token.start)..<Int(token.end)], as: UTF8.self)
    }

    func isIdentifier(_ word: StaticString, at index: Int? = nil) -> Bool {
        let t = tokens[index ?? position]
        guard t.kind == .identifier, Int(t.end - t.start) == word.utf8CodeUnitCount else { return false }
        let pointer = word.utf8Start
        for offset in 0..<word.utf8CodeUnitCount where bytes[Int(t.start) + offset] != pointer[offset] { return false }
        return true
    }

    @discardableResult
    mutating func advance() -> Token {
        let current = tokens[position]
        if current.kind != .eof { position += 1 }
        return current
    }

    mutating func optional(_ kind: TokenKind) -> Bool {
        if self.kind == kind {
            position += 1
            return true
        }
        return false
    }

    @discardableResult
    mutating func expect(_ kind: TokenKind, _ message: @autoclosure () -> String) throws -> Token {
        guard self.kind == kind else { throw error(message()) }
        return advance()
    }

    func error(_ message: String) -> ParseError {
        ParseError(message: message, range: currentRange)
    }

    func error(_ message: String, at token: Token) -> ParseError {
        ParseError(message: message, range: range(of: token))
    }

    mutating func report(_ error: ParseError) {
        file.diagnostics.append(.error(error.message, at: error.range, code: "clif-syntax"))
    }

    /// After an error in an entity that began at token `start`: continue at the next line
    /// (staying put when the failed entity already ended at a line break).
    mutating func recover(from start: Int) {
        if position > start && token.startsLine { return }
        position = max(position, start)
        skipLine()
    }

    /// Skips to the first token of a later line.
    mutating func skipLine() {
        advance()
        while kind != .eof && !token.startsLine { position += 1 }
    }

    // MARK: File

    mutating func parseFile() -> CLIFFile {
        parseHeaders()
        while kind != .eof {
            if isIdentifier("function") {
                parseFunction()
            } else {
                report(error("expected 'function'"))
                skipLine()
                while kind != .eof && !isIdentifier("function") { skipLine() }
            }
        }
        attachComments()
        return file
    }

    mutating func parseHeaders() {
        while kind != .eof {
            let start = token
            let lineStart = Int(start.start)
            guard isIdentifier("test") || isIdentifier("set") || isIdentifier("target") || isIdentifier("feature") else { return }
            let word = string(start)
            advance()
            var lastEnd = Int(start.end)
            let argument = kind != .eof && !token.startsLine ? token : nil
            while kind != .eof && !token.startsLine {
                lastEnd = Int(token.end)
                position += 1
            }
            let range = TextRange(start: lineStart, end: lastEnd)
            let line = HeaderLine(text: String(decoding: bytes[range.range], as: UTF8.self), range: range)
            switch word {
            case "test": file.testCommands.append(line)
            case "set": file.settings.append(line)
            case "feature": file.features.append(line)
            default:
                file.targets.append(line)
                if let argument {
                    checkTarget(argument)
                } else {
                    file.diagnostics.append(.error("expected target triple", at: range, code: "clif-syntax"))
                }
            }
        }
    }

    static let knownArchitectures: Set<String> = [
        "x86_64", "aarch64", "riscv64", "riscv64gc", "s390x", "pulley32", "pulley64", "pulley32be", "pulley64be",
    ]

    mutating func checkTarget(_ argument: Token) {
        var end = Int(argument.start)
        while end < bytes.count && !(bytes[end] == 32 || bytes[end] == 9 || bytes[end] == 10 || bytes[end] == 13) { end += 1 }
        let triple = String(decoding: bytes[Int(argument.start)..<end], as: UTF8.self)
        let architecture = triple.split(separator: "-", maxSplits: 1).first.map(String.init) ?? triple
        if !Parser.knownArchitectures.contains(architecture) {
            file.diagnostics.append(.warning("unsupported target '\(triple)': its functions are parsed but not compiled",
                                             at: TextRange(start: Int(argument.start), end: end), code: "clif-target"))
        }
    }

    // MARK: Comments

    mutating func anchor(_ location: EntityLocation, at tokenIndex: Int? = nil) {
        anchors.append((Int32(tokenIndex ?? position), location))
    }

    /// Gives each comment the entity most recently started before it, as Cranelift's reader does.
    mutating func attachComments() {
        var functionCursor = -1
        var anchorCursor = -1
        for lexed in lexedComments {
            while functionCursor + 1 < functionAnchors.count && functionAnchors[functionCursor + 1].token < lexed.nextToken {
                functionCursor += 1
                anchorCursor = -1
            }
            var comment = Comment(range: TextRange(start: Int(lexed.start), end: Int(lexed.end)),
                                  text: source[TextRange(start: Int(lexed.start), end: Int(lexed.end))])
            if functionCursor >= 0 {
                let entry = functionAnchors[functionCursor]
                while anchorCursor + 1 < entry.anchors.count && entry.anchors[anchorCursor + 1].token < lexed.nextToken {
                    anchorCursor += 1
                }
                comment.functionIndex = entry.function
                comment.location = anchorCursor >= 0 ? entry.anchors[anchorCursor].location : .function
            }
            file.comments.append(comment)
        }
    }

    // MARK: Mentions and values

    mutating func mention(_ kind: EntityKind, _ token: Token, definition: Bool = false) {
        function.mentions.append(EntityMention(entity: EntityRef(kind, token.number), range: range(of: token),
                                               isDefinition: definition))
    }

    func isDefined(_ value: Value) -> Bool {
        Int(value.number) < definedValues.count && definedValues[Int(value.number)]
    }

    /// Value numbers above this are rejected, so a stray `v4000000000` cannot make the per-value
    /// tables allocate gigabytes.
    static let maximumValueNumber: UInt32 = 1 << 26

    func checkDefinable(_ token: Token) throws {
        if token.number > Parser.maximumValueNumber {
            throw error("value number \(token.number) is too large (at most \(Parser.maximumValueNumber))", at: token)
        }
    }

    mutating func markDefined(_ value: Value) {
        let index = Int(value.number)
        if index >= definedValues.count {
            definedValues.append(contentsOf: repeatElement(false, count: index + 1 - definedValues.count))
        }
        definedValues[index] = true
    }

    mutating func expectEntity(_ entity: EntityKind, _ message: String) throws -> Token {
        guard kind == .entity, token.entityKind == entity else { throw error(message) }
        let t = advance()
        mention(entity, t)
        return t
    }

    mutating func expectValue(_ message: String) throws -> Value {
        Value(try expectEntity(.value, message).number)
    }

    mutating func expectType(_ message: String) throws -> CLIFType {
        guard kind == .type else { throw error(message) }
        return advance().type
    }
}
