import CLIF
import SourceText

extension CLIFService {
    /// Opcodes where an instruction starts, types after `.`/`:`/in signatures, the values, blocks
    /// and preamble entities of the enclosing function, and condition codes, memory flags and trap
    /// codes after the opcodes that take them.
    public func completion(at offset: Int, in analysis: any DocumentAnalysis) -> [CompletionResult] {
        CLIFCompleter(file: analysis.file, offset: offset).results()
    }
}

/// Builds CLIF proposals from the text of the function around the cursor (lexed, not parsed, so
/// half-written lines work).
struct CLIFCompleter {
    let file: SourceFile
    let offset: Int
    let word: TextRange
    let prefix: String

    init(file: SourceFile, offset: Int) {
        self.file = file
        self.offset = offset
        let bytes = file.utf8
        var start = offset
        while start > 0 && Self.isWordByte(bytes[start - 1]) { start -= 1 }
        word = TextRange(start: start, end: offset)
        prefix = String(decoding: bytes[start..<offset], as: UTF8.self)
    }

    static func isWordByte(_ byte: UInt8) -> Bool {
        (byte >= 97 && byte <= 122) || (byte >= 65 && byte <= 90) || (byte >= 48 && byte <= 57) || byte == 95
    }

    static let types = ["i8", "i16", "i32", "i64", "i128", "f16", "f32", "f64", "f128", "i8x16", "i16x8", "i32x4",
                        "i64x2", "f32x4", "f64x2"]
    static let memoryFlags = ["notrap", "aligned", "readonly", "can_move", "little", "big"]
    static let trapCodes = ["heap_oob", "int_ovf", "int_divz", "bad_toint", "stk_ovf"]

    /// The enclosing function's text: from the `function` line before the cursor to the next one.
    func functionRange() -> TextRange {
        let text = file.utf8
        var line = file.line(containing: word.start)
        while line > 0 && !startsWithFunction(file.lineStarts[line]) { line -= 1 }
        var end = file.line(containing: word.start) + 1
        while end < file.lineCount && !startsWithFunction(file.lineStarts[end]) { end += 1 }
        let stop = end < file.lineCount ? file.lineStarts[end] : text.count
        return TextRange(start: file.lineStarts[line], end: stop)
    }

    func startsWithFunction(_ start: Int) -> Bool {
        let text = file.utf8
        return start + Self.functionKeyword.count <= text.count
            && text[start..<(start + Self.functionKeyword.count)].elementsEqual(Self.functionKeyword)
    }

    static let functionKeyword = Array("function".utf8)

    func results() -> [CompletionResult] {
        let all = unfiltered()
        guard !prefix.isEmpty else { return all }
        return all.filter { $0.label.hasPrefix(prefix) }
    }

    func unfiltered() -> [CompletionResult] {
        let range = functionRange()
        let slice = SourceFile(utf8: Array(file.utf8[range.start..<word.start]))
        let tokens = CLIFFile.lexicalTokens(of: slice).filter { $0.kind != .comment }
        let last = tokens.last
        let lineTokens = tokens.reversed().prefix { !$0.startsLine } + (tokens.last(where: \.startsLine).map { [$0] } ?? [])
        let onNewLine = last == nil || slice.utf8[(last?.range.end ?? 0)...].contains(0x0A)
        if last?.kind == .punctuation && slice.utf8[last!.range.start] == UInt8(ascii: "."), !onNewLine {
            return types()
        }
        if last?.kind == .colon || last?.kind == .arrow { return types() }
        // Parameters and returns of a signature: `function %f(i64, |` or `sig0 = (|`.
        let statement = Array(lineTokens.reversed())
        let isSignature = statement.first.map { word(of: $0, in: slice) == "function" } == true
            || (statement.count >= 2 && statement[0].entityKind == .signature && statement[1].kind == .equal)
        if isSignature, let last, last.kind == .punctuation,
           slice.utf8[last.range.start] == UInt8(ascii: "(") || slice.utf8[last.range.start] == UInt8(ascii: ",") {
            return types()
        }
        let inBody = tokens.contains { $0.kind == .entity && $0.entityKind == .block && $0.startsLine }
        let atOpcode = onNewLine || last?.kind == .equal
            || (last?.kind == .sourceLocation && lineTokens.count == 1)
        if let entity = entityPrefix() { return entities(of: entity, tokens: tokens, slice: slice) }
        if atOpcode && inBody && !prefix.hasPrefix("v") && !prefix.hasPrefix("block") {
            return opcodes()
        }
        if atOpcode && !inBody {
            return entities(of: nil, tokens: tokens, slice: slice) + keywords(["function", "block0"])
        }
        let opcode = lineTokens.reversed().first { $0.kind == .identifier }.map { word(of: $0, in: slice) }
        switch opcode {
        case "icmp", "icmp_imm":
            return IntCC.allCases.map { CompletionResult(label: $0.rawValue, kind: .enumMember, detail: "integer condition", replacing: word) }
        case "fcmp":
            return FloatCC.allCases.map { CompletionResult(label: $0.rawValue, kind: .enumMember, detail: "float condition", replacing: word) }
        case "trap", "trapz", "trapnz":
            return Self.trapCodes.map { CompletionResult(label: $0, kind: .enumMember, detail: "trap code", replacing: word) }
        default:
            if let opcode, let info = Opcode(named: opcode)?.info,
               info.properties.contains(.canLoad) || info.properties.contains(.canStore) {
                return Self.memoryFlags.map { CompletionResult(label: $0, kind: .enumMember, detail: "memory flag", replacing: word) }
                    + Self.trapCodes.map { CompletionResult(label: $0, kind: .enumMember, detail: "trap code", replacing: word) }
                    + entities(of: nil, tokens: tokens, slice: slice)
            }
            return entities(of: nil, tokens: tokens, slice: slice)
        }
    }

    func word(of token: LexicalToken, in slice: SourceFile) -> String { String(slice[token.range]) }

    func keywords(_ words: [String]) -> [CompletionResult] {
        words.map { CompletionResult(label: $0, kind: .keyword, replacing: word) }
    }

    func types() -> [CompletionResult] {
        Self.types.map { CompletionResult(label: $0, kind: .typeParameter, detail: "type", replacing: word) }
    }

    func opcodes() -> [CompletionResult] {
        OpcodeTable.all.map {
            CompletionResult(label: $0.name, kind: .function, detail: "format \($0.format.rawValue)",
                             documentation: $0.summary, replacing: word)
        }
    }

    /// The entity kind the typed prefix starts to name (`gv` → global values), if any.
    func entityPrefix() -> EntityKind? {
        let letters = String(prefix.prefix { !$0.isNumber })
        guard !letters.isEmpty else { return nil }
        let kinds: [EntityKind] = [.block, .globalValue, .signature, .functionRef, .stackSlot, .region, .constant, .value,
                                   .dynamicStackSlot, .dynamicType]
        return kinds.first { $0.prefix == letters }
    }

    /// Whether the entity at `index` is followed, on its line, by only commas and entities up to `=`.
    func resultOfStatement(at index: Int, in tokens: [LexicalToken]) -> Bool {
        var next = index + 1
        while next < tokens.count && !tokens[next].startsLine
                && (tokens[next].kind == .entity || tokens[next].kind == .punctuation) { next += 1 }
        return next < tokens.count && !tokens[next].startsLine && tokens[next].kind == .equal
    }

    /// The entities defined in the function so far (values, blocks, preamble entities), optionally
    /// of one kind, with their defining line as detail.
    func entities(of kind: EntityKind?, tokens: [LexicalToken], slice: SourceFile) -> [CompletionResult] {
        var seen = Set<String>()
        var results: [CompletionResult] = []
        for (index, token) in tokens.enumerated() where token.kind == .entity {
            guard let entityKind = token.entityKind, kind == nil || kind == entityKind else { continue }
            let next = index + 1 < tokens.count ? tokens[index + 1] : nil
            let isDefinition = (token.startsLine && entityKind == .block) || next?.kind == .colon
                || resultOfStatement(at: index, in: tokens)
            guard isDefinition else { continue }
            let name = String(slice[token.range])
            guard seen.insert(name).inserted else { continue }
            let line = slice.line(containing: token.range.start)
            let detail = String(slice[slice.contentRange(ofLine: line)]).trimmingWhitespace()
            let itemKind: CompletionResult.Kind = switch entityKind {
            case .block: .reference
            case .functionRef: .function
            case .signature, .dynamicType: .struct
            default: .variable
            }
            results.append(CompletionResult(label: name, kind: itemKind, detail: detail, replacing: word))
        }
        return results
    }
}
