import SourceText
import WAT
import Wasm

/// Classifies the tokens of a WAT/WAST text for semantic highlighting: the lexer's tokens, the
/// comments between them, and for every `$name` its index space from the modules' name resolution
/// (or, where resolution has nothing, e.g. in broken text, from the keyword before it).
struct WATSemanticTokens {
    let bytes: [UInt8]
    /// Resolved uses by their start: the index space and the definition's start.
    var uses: [Int: (space: IndexSpace, definition: Int)] = [:]
    /// Definitions by their start.
    var definitions: [Int: IndexSpace] = [:]
    /// Starts of the definitions that are function parameters.
    var parameters = Set<Int>()
    /// The parameter names of the function being read, for names that resolution did not cover.
    var parameterNames = Set<ArraySlice<UInt8>>()
    /// Starts of the names of immutable globals.
    let immutableGlobals: Set<Int>
    var result: [SemanticToken] = []

    init(file: SourceFile, resolutions: [NameResolution], immutableGlobals: Set<Int>) {
        bytes = file.utf8
        self.immutableGlobals = immutableGlobals
        // Only names are looked up (identifier tokens start with `$`): references by number,
        // most of them in printed modules, would only fill the tables.
        let dollar = UInt8(ascii: "$")
        for resolution in resolutions {
            for reference in resolution.references {
                let use = reference.use.start
                let definition = reference.definition.start
                if use < bytes.count && bytes[use] == dollar { uses[use] = (reference.space, definition) }
                if definition >= 0 && definition < bytes.count && bytes[definition] == dollar { definitions[definition] = reference.space }
            }
        }
    }

    static func classify(_ file: SourceFile, resolutions: [NameResolution], immutableGlobals: Set<Int> = []) -> [SemanticToken] {
        var classifier = WATSemanticTokens(file: file, resolutions: resolutions, immutableGlobals: immutableGlobals)
        classifier.run()
        return classifier.result
    }

    mutating func run() {
        var lexer = Lexer(bytes: bytes)
        result.reserveCapacity(bytes.count / 5)
        var previousEnd = 0
        // The last keyword, and whether a `(` came right before it.
        var keyword: TextRange?
        var keywordOpensField = false
        var afterParen = false
        var pending: Token?
        while true {
            let token = pending ?? lexer.next()
            pending = nil
            if token.range.start > previousEnd { comments(from: previousEnd, to: token.range.start) }
            previousEnd = token.range.end
            switch token.kind {
            case .endOfFile:
                return
            case .leftParen:
                afterParen = true
                continue
            case .rightParen:
                keyword = nil
            case .annotationStart:
                result.append(SemanticToken(TextRange(start: token.range.start + 1, end: token.range.end), .decorator))
                keyword = nil
            case .keyword:
                if afterParen && equals(token.range, "func") { parameterNames.removeAll(keepingCapacity: true) }
                classifyKeyword(token.range, previous: keyword, afterParen: afterParen)
                keyword = token.range
                keywordOpensField = afterParen
            case .identifier:
                let next = lexer.next()
                pending = next
                classifyIdentifier(token.range, keyword: keyword, opensField: keywordOpensField,
                                   closesNext: next.kind == .rightParen)
            case .integer, .float:
                result.append(SemanticToken(token.range, .number))
            case .string:
                result.append(SemanticToken(token.range, .string))
            case .reserved, .invalid:
                break
            }
            afterParen = false
        }
    }

    /// `;; …` and `(; … ;)` comments (nested) in the trivia between two tokens.
    mutating func comments(from start: Int, to end: Int) {
        var index = start
        while index + 1 < end {
            let byte = bytes[index]
            if byte == UInt8(ascii: ";") && bytes[index + 1] == UInt8(ascii: ";") {
                var stop = index
                while stop < end && bytes[stop] != 0x0A && bytes[stop] != 0x0D { stop += 1 }
                result.append(SemanticToken(TextRange(start: index, end: stop), .comment))
                index = stop
            } else if byte == UInt8(ascii: "(") && bytes[index + 1] == UInt8(ascii: ";") {
                var depth = 0
                var stop = index
                while stop + 1 < end {
                    if bytes[stop] == UInt8(ascii: "(") && bytes[stop + 1] == UInt8(ascii: ";") {
                        depth += 1
                        stop += 2
                    } else if bytes[stop] == UInt8(ascii: ";") && bytes[stop + 1] == UInt8(ascii: ")") {
                        depth -= 1
                        stop += 2
                        if depth == 0 { break }
                    } else {
                        stop += 1
                    }
                }
                stop = max(stop, min(end, index + 2))
                result.append(SemanticToken(TextRange(start: index, end: stop), .comment))
                index = stop
            } else {
                index += 1
            }
        }
    }

    func text(_ range: TextRange) -> ArraySlice<UInt8> { bytes[range.start..<range.end] }

    func equals(_ range: TextRange, _ word: StaticString) -> Bool {
        guard range.length == word.utf8CodeUnitCount else { return false }
        let pointer = word.utf8Start
        for index in 0..<range.length where bytes[range.start + index] != pointer[index] { return false }
        return true
    }

    func hasPrefix(_ range: TextRange, _ word: StaticString) -> Bool {
        guard range.length >= word.utf8CodeUnitCount else { return false }
        let pointer = word.utf8Start
        for index in 0..<word.utf8CodeUnitCount where bytes[range.start + index] != pointer[index] { return false }
        return true
    }

    mutating func classifyKeyword(_ range: TextRange, previous: TextRange?, afterParen: Bool) {
        if let opcode = WAT.instruction(named: bytes, at: range) {
            let (type, modifiers) = Self.classify(opcode.info)
            result.append(SemanticToken(range, type, modifiers))
            return
        }
        for prefix in ["offset=", "align="] as [StaticString] where hasPrefix(range, prefix) {
            let split = range.start + prefix.utf8CodeUnitCount - 1
            result.append(SemanticToken(TextRange(start: range.start, end: split), .property))
            result.append(SemanticToken(TextRange(start: split + 1, end: range.end), .number))
            return
        }
        if equals(range, "inf") || equals(range, "nan") || hasPrefix(range, "nan:") {
            result.append(SemanticToken(range, .number))
            return
        }
        let word = String(decoding: text(range), as: UTF8.self)
        if Self.valueTypes.contains(word) {
            result.append(SemanticToken(range, .type, .defaultLibrary))
            return
        }
        if !afterParen, let previous, AbstractHeapTypeSyntax(rawValue: word) != nil,
           equals(previous, "ref") || equals(previous, "null") || equals(previous, "shared") || equals(previous, "ref.null") {
            result.append(SemanticToken(range, .type, .defaultLibrary))
            return
        }
        result.append(SemanticToken(range, .keyword))
    }

    static let valueTypes: Set<String> = [
        "i32", "i64", "f32", "f64", "v128", "i8", "i16", "funcref", "externref", "anyref", "eqref", "i31ref",
        "structref", "arrayref", "nullref", "nullfuncref", "nullexternref", "exnref", "nullexnref", "contref",
        "nullcontref",
    ]

    /// Control instructions are keywords; the rest are built-in functions, with a modifier for their class.
    static func classify(_ info: InstructionInfo) -> (SemanticTokenType, SemanticTokenModifiers) {
        if info.structure != .none { return (.keyword, .control) }
        switch info.immediates {
        case .label, .labelTable, .function, .typeAndTable, .branchOnCast, .tryTable:
            return (.keyword, .control)
        case .memArg, .memArgLane, .memory, .memoryPair, .dataAndMemory, .data:
            return (.function, [.defaultLibrary, .memory])
        default:
            break
        }
        switch info.opcode {
        case .unreachable, .nop, .return, .returnCallRef, .callRef:
            return (.keyword, .control)
        default:
            break
        }
        let name = info.name
        if name.hasPrefix("i32.") || name.hasPrefix("i64.") || name.hasPrefix("f32.") || name.hasPrefix("f64.")
            || name.hasPrefix("v128.") || name.hasPrefix("i8x16.") || name.hasPrefix("i16x8.") || name.hasPrefix("i32x4.")
            || name.hasPrefix("i64x2.") || name.hasPrefix("f32x4.") || name.hasPrefix("f64x2.") {
            return (.function, [.defaultLibrary, .numeric])
        }
        return (.function, .defaultLibrary)
    }
}

extension WATService {
    public func semanticTokens(in analysis: any DocumentAnalysis) -> [SemanticToken] {
        let modules = (analysis as? WATAnalysis)?.modules ?? []
        return WATSemanticTokens.classify(analysis.file, resolutions: modules.map(\.compiled.resolution),
                                          immutableGlobals: WATSemanticTokens.immutableGlobals(in: modules.map(\.syntax)))
    }
}

extension WATSemanticTokens {
    /// The name starts of the globals (defined or imported) that are not `mut`.
    static func immutableGlobals(in modules: [ModuleSyntax]) -> Set<Int> {
        var starts = Set<Int>()
        for module in modules {
            for field in module.fields {
                switch field {
                case .global(let global):
                    if let id = global.id, !global.type.mutable { starts.insert(id.range.start) }
                case .import(let item):
                    if case .global(let type) = item.description, let id = item.id, !type.mutable { starts.insert(id.range.start) }
                default:
                    break
                }
            }
        }
        return starts
    }
}
