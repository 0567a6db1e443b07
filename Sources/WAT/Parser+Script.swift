import SourceText

extension Parser {
    static let moduleFieldKeywords: Set<String> = [
        "type", "rec", "import", "func", "table", "memory", "global", "export", "start", "elem", "data", "tag",
    ]

    /// Whether the cursor is at `(field…` or `(@custom`: a file of bare module fields.
    mutating func atBareField() -> Bool {
        if token.kind == .annotationStart { return true }
        guard token.kind == .leftParen else { return false }
        let next = peek2()
        return next.kind == .keyword && Parser.moduleFieldKeywords.contains(string(of: next))
    }

    /// A `.wat` text: `(module …)` or bare module fields.
    mutating func parseWat() -> ModuleSyntax {
        let start = token.range.start
        var module = ModuleSyntax(range: TextRange(at: start))
        if atField("module") {
            let moduleDepth = depth
            advance()
            advance()
            do throws(SyntaxError) {
                module.id = try optionalIdentifier()
                try parseModuleNameAnnotation(into: &module)
                parseModuleFields(into: &module)
                try expectRightParen()
            } catch {
                record(error)
                skip(toDepth: moduleDepth)
            }
        } else {
            parseModuleFields(into: &module)
        }
        if token.kind != .endOfFile {
            record(unexpected("end of file"))
        }
        module.range = TextRange(start: start, end: max(start, previousEnd))
        return module
    }

    mutating func parseModuleNameAnnotation(into module: inout ModuleSyntax) throws(SyntaxError) {
        guard token.kind == .annotationStart, isAnnotation(token, "name") else { return }
        let open = advance()
        let name = try expectName()
        try expectRightParen()
        module.nameAnnotation = StringSyntax(bytes: name.bytes, range: TextRange(start: open.range.start, end: previousEnd))
    }

    /// A `.wast` script.
    mutating func parseScript() -> ScriptSyntax {
        var script = ScriptSyntax()
        if atBareField() {
            let start = token.range.start
            var module = ModuleSyntax(range: TextRange(at: start))
            parseModuleFields(into: &module)
            module.range = TextRange(start: start, end: previousEnd)
            script.commands.append(.module(ScriptModuleSyntax(kind: .text(module), isDefinition: false, range: module.range,
                                                              keywordRange: TextRange(at: start))))
        }
        while token.kind != .endOfFile {
            let commandDepth = depth
            do throws(SyntaxError) {
                script.commands.append(try parseCommand())
            } catch {
                record(error)
                skip(toDepth: commandDepth)
                if depth == commandDepth && token.kind != .leftParen { advance() }
            }
        }
        return script
    }

    mutating func parseCommand() throws(SyntaxError) -> ScriptCommandSyntax {
        guard token.kind == .leftParen else { throw unexpected("a script command") }
        let keyword = peek2()
        guard keyword.kind == .keyword else { advance(); throw unexpected("a script command") }
        let word = string(of: keyword)
        switch word {
        case "module":
            if isKeyword(peek3AfterModule(), "instance") {
                let open = advance()
                advance()
                advance()
                let instance = try optionalIdentifier()
                let module = try optionalIdentifier()
                try expectRightParen()
                return .instance(instance, module: module, range: TextRange(start: open.range.start, end: previousEnd))
            }
            return .module(try parseScriptModule())
        case "register":
            let open = advance()
            advance()
            let name = try expectString()
            let module = try optionalIdentifier()
            try expectRightParen()
            return .register(name, module: module, range: TextRange(start: open.range.start, end: previousEnd))
        case "invoke", "get":
            return .action(try parseAction())
        default:
            guard word.hasPrefix("assert_") else {
                advance()
                throw unexpected("a script command")
            }
            let open = advance()
            advance()
            var assertion = AssertionSyntax(keyword: word, rest: [], range: open.range)
            if atField("module") {
                assertion.module = try parseScriptModule()
            } else if atField("invoke") || atField("get") {
                assertion.action = try parseAction()
            }
            while token.kind != .rightParen {
                assertion.rest.append(try skipValue())
            }
            advance()
            assertion.range = TextRange(start: open.range.start, end: previousEnd)
            return .assertion(assertion)
        }
    }

    /// The token after `(module`, to tell `(module instance …)` apart. Only looks, never consumes.
    func peek3AfterModule() -> Token {
        var lexer = self.lexer
        if lookahead == nil { _ = lexer.next() }
        return lexer.next()
    }

    /// One token or balanced parenthesised group, returned as its range.
    mutating func skipValue() throws(SyntaxError) -> TextRange {
        let start = token.range.start
        guard token.kind != .endOfFile else { throw unexpected("`)`") }
        if token.kind == .leftParen || token.kind == .annotationStart {
            let target = depth
            advance()
            skip(toDepth: target)
            if depth != target { throw unexpected("`)`") }
        } else {
            advance()
        }
        return TextRange(start: start, end: previousEnd)
    }

    mutating func parseAction() throws(SyntaxError) -> ActionSyntax {
        let open = advance()
        let kind: ActionSyntax.Kind = consumeKeyword("invoke") ? .invoke : { advance(); return .get }()
        let module = try optionalIdentifier()
        let name = try expectName()
        var arguments: [TextRange] = []
        while token.kind != .rightParen { arguments.append(try skipValue()) }
        advance()
        return ActionSyntax(kind: kind, module: module, name: name, arguments: arguments,
                            range: TextRange(start: open.range.start, end: previousEnd))
    }

    /// `(module $id? …)`, `(module definition $id? …)`, `(module $id? binary "…"*)`,
    /// `(module $id? quote "…"*)`.
    mutating func parseScriptModule() throws(SyntaxError) -> ScriptModuleSyntax {
        let moduleDepth = depth
        let open = advance()
        let keyword = advance()
        let isDefinition = consumeKeyword("definition")
        let id = try optionalIdentifier()
        if consumeKeyword("binary") || consumeKeyword("quote") {
            let isBinary = isKeyword(Token(kind: .keyword, range: TextRange(start: previousEnd - 6, end: previousEnd)), "binary")
            var strings: [StringSyntax] = []
            while token.kind == .string { strings.append(try expectString()) }
            try expectRightParen()
            return ScriptModuleSyntax(id: id, kind: isBinary ? .binary(strings) : .quote(strings),
                                      isDefinition: isDefinition, range: TextRange(start: open.range.start, end: previousEnd),
                                      keywordRange: keyword.range)
        }
        var module = ModuleSyntax(range: open.range)
        module.id = id
        do throws(SyntaxError) {
            try parseModuleNameAnnotation(into: &module)
            parseModuleFields(into: &module)
            try expectRightParen()
        } catch {
            record(error)
            skip(toDepth: moduleDepth)
        }
        module.range = TextRange(start: open.range.start, end: previousEnd)
        return ScriptModuleSyntax(id: id, kind: .text(module), isDefinition: isDefinition, range: module.range,
                                  keywordRange: keyword.range)
    }
}
