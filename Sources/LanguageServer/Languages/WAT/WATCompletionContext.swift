import SourceText
import WAT

/// Where the cursor stands in WAT text, read from the tokens between the start of the enclosing
/// module field and the word being typed. Lexical only, so it works in text that does not parse.
struct WATCompletionContext {
    /// One unclosed `(`: its head keyword (empty when none yet).
    struct Form {
        var head: String
        var start: Int
    }

    /// A label in scope: its name and the block instruction that opened it.
    struct Label {
        var name: String?
        var instruction: String
        var depth: Int
        var folded: Bool
    }

    /// The word under completion: from its start to the cursor.
    var word: TextRange
    var prefix: String
    var forms: [Form] = []
    var labels: [Label] = []
    /// `(param $x …)`/`(local $x …)` names of the enclosing function, with their type text.
    var parameters: [(name: String, detail: String)] = []
    var locals: [(name: String, detail: String)] = []
    /// The keyword right before the word, and whether a `(` comes right before the word.
    var previousKeyword: String?
    var afterParen = false

    var head: String? { forms.last?.head }
    /// The head of the form enclosing the innermost one.
    var parentHead: String? { forms.count >= 2 ? forms[forms.count - 2].head : nil }
    var insideFunction: Bool { forms.contains { $0.head == "func" } }

    static func isWordByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return "!#$%&'*+-./:<=>?@\\^_`|~".utf8.contains(byte)
        }
    }

    /// Reads the context of `offset`, lexing from `scanStart` (a place at module or script level).
    init(bytes: [UInt8], offset: Int, scanStart: Int) {
        var wordStart = offset
        while wordStart > scanStart && Self.isWordByte(bytes[wordStart - 1]) { wordStart -= 1 }
        word = TextRange(start: wordStart, end: offset)
        prefix = String(decoding: bytes[wordStart..<offset], as: UTF8.self)
        var lexer = Lexer(bytes: bytes, offset: scanStart)
        var previous: Token?
        var pendingParam: (isLocal: Bool, name: String, start: Int)?
        while true {
            let token = lexer.next()
            if token.kind == .endOfFile || token.range.start >= wordStart { break }
            let text = String(decoding: bytes[token.range.start..<token.range.end], as: UTF8.self)
            switch token.kind {
            case .leftParen, .annotationStart:
                forms.append(Form(head: token.kind == .annotationStart ? "@" : "", start: token.range.start))
            case .rightParen:
                if let pending = pendingParam, forms.last?.head == (pending.isLocal ? "local" : "param") {
                    let detail = String(decoding: bytes[pending.start..<token.range.start], as: UTF8.self)
                        .split(whereSeparator: \.isWhitespace).joined(separator: " ")
                    if pending.isLocal { locals.append((pending.name, detail)) } else { parameters.append((pending.name, detail)) }
                    pendingParam = nil
                }
                if !forms.isEmpty {
                    forms.removeLast()
                    labels.removeAll { $0.folded && $0.depth > forms.count }
                }
                if forms.isEmpty || forms.last?.head == "module" {
                    parameters = []
                    locals = []
                    labels = []
                }
            case .keyword:
                if previous?.kind == .leftParen, !forms.isEmpty, forms[forms.count - 1].head.isEmpty {
                    forms[forms.count - 1].head = text
                }
                if text == "block" || text == "loop" || text == "if" || text == "try_table" || text == "try" {
                    labels.append(Label(name: nil, instruction: text, depth: forms.count,
                                        folded: previous?.kind == .leftParen))
                } else if text == "end", let index = labels.lastIndex(where: { !$0.folded }) {
                    labels.remove(at: index)
                }
            case .identifier:
                if let previous, previous.kind == .keyword {
                    let keyword = String(decoding: bytes[previous.range.start..<previous.range.end], as: UTF8.self)
                    if ["block", "loop", "if", "try_table", "try"].contains(keyword), let last = labels.indices.last,
                       labels[last].name == nil {
                        labels[last].name = text
                    } else if (keyword == "param" || keyword == "local") && forms.last?.head == keyword
                                && forms.dropLast().last?.head == "func" {
                        pendingParam = (keyword == "local", text, token.range.end)
                    }
                }
            default:
                break
            }
            previous = token
        }
        afterParen = previous?.kind == .leftParen
        if let previous, previous.kind == .keyword {
            previousKeyword = String(decoding: bytes[previous.range.start..<previous.range.end], as: UTF8.self)
        }
    }
}
