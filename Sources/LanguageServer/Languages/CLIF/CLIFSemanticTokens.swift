import CLIF
import SourceText

/// Classifies the tokens of CLIF text (a `.clif` file or generated CLIF) for semantic highlighting,
/// from the CLIF lexer's tokens alone, so it works on text that does not parse. Definitions are
/// recognised by their place: before `=`, a block header, a block parameter before `:`.
struct CLIFSemanticTokens {
    let bytes: [UInt8]
    let tokens: [LexicalToken]
    var result: [SemanticToken] = []

    static func classify(_ file: SourceFile) -> [SemanticToken] {
        var classifier = CLIFSemanticTokens(bytes: file.utf8, tokens: CLIFFile.lexicalTokens(of: file))
        classifier.run()
        return classifier.result
    }

    static let memoryFlags: Set<String> = ["notrap", "aligned", "readonly", "can_move", "little", "big", "checked"]
    static let conditionCodes: Set<String> = Set(IntCC.allCases.map(\.rawValue) + FloatCC.allCases.map(\.rawValue))

    func word(_ range: TextRange) -> String { String(decoding: bytes[range.start..<range.end], as: UTF8.self) }

    mutating func run() {
        result.reserveCapacity(tokens.count)
        // Whether the next word stands where an opcode goes: the start of a statement or after `=`.
        var atOpcode = false
        // Whether a block header has been seen since `function` (the preamble declares entities whose
        // kinds, such as `load`, share names with opcodes).
        var inBody = false
        var statementStart = true
        // The entities of the current statement not yet followed by anything but punctuation: when
        // `=` comes, they are its results (`v3, v4 = …`, `gv2 = …`).
        var pendingResults: [Int] = []
        var inDebugTags = false
        for (index, token) in tokens.enumerated() {
            if token.kind == .comment {
                result.append(SemanticToken(token.range, .comment))
                continue
            }
            if token.startsLine {
                inDebugTags = false
                statementStart = true
                atOpcode = true
                pendingResults.removeAll(keepingCapacity: true)
            }
            defer { if token.kind != .sourceLocation || !statementStart { statementStart = false } }
            switch token.kind {
            case .equal:
                for result in pendingResults { self.result[result].modifiers.insert(.declaration) }
                pendingResults.removeAll(keepingCapacity: true)
                atOpcode = true
                continue
            case .punctuation:
                // Debug tags before an opcode: `<ss0, 1, 0> sequence_point`.
                if atOpcode && bytes[token.range.start] == UInt8(ascii: "<") { inDebugTags = true }
                if inDebugTags && bytes[token.range.start] == UInt8(ascii: ">") { inDebugTags = false }
                continue
            case .integer, .float, .hexSequence:
                result.append(SemanticToken(token.range, .number))
            case .string:
                result.append(SemanticToken(token.range, .string))
            case .type:
                result.append(SemanticToken(token.range, .type, .defaultLibrary))
            case .sourceLocation:
                result.append(SemanticToken(token.range, .decorator))
                continue
            case .name, .userReference:
                result.append(SemanticToken(token.range, .function))
            case .otherReference:
                result.append(SemanticToken(token.range, .variable, .static))
            case .cold:
                result.append(SemanticToken(token.range, .keyword))
            case .entity:
                let kind = token.entityKind ?? .value
                var modifiers = Self.modifiers(of: kind)
                let next = index + 1 < tokens.count ? tokens[index + 1] : nil
                if kind == .block && statementStart {
                    // A block header: the body has begun; no opcode before the `:`.
                    modifiers.insert(.declaration)
                    inBody = true
                    atOpcode = false
                    pendingResults.removeAll(keepingCapacity: true)
                } else if kind == .value && (next?.kind == .colon || (statementStart && next?.kind == .arrow)) {
                    // A block parameter (`v0: i64`) or an alias (`v4 -> v12`).
                    modifiers.insert(.declaration)
                } else {
                    pendingResults.append(result.count)
                }
                result.append(SemanticToken(token.range, Self.type(of: kind), modifiers))
                continue
            case .identifier:
                let text = word(token.range)
                if atOpcode && inBody, let opcode = Opcode(named: text) {
                    let (type, modifiers) = Self.classify(opcode.info)
                    result.append(SemanticToken(token.range, type, modifiers))
                } else if text == "function" && statementStart {
                    result.append(SemanticToken(token.range, .keyword))
                    inBody = false
                } else if Self.memoryFlags.contains(text) {
                    result.append(SemanticToken(token.range, .modifier))
                } else if TrapCode(text) != nil || Self.conditionCodes.contains(text) {
                    result.append(SemanticToken(token.range, .enumMember))
                } else {
                    result.append(SemanticToken(token.range, .keyword))
                }
            case .colon, .arrow, .comment, .invalid:
                break
            }
            if !inDebugTags { atOpcode = false }
            pendingResults.removeAll(keepingCapacity: true)
        }
    }

    static func type(of kind: EntityKind) -> SemanticTokenType {
        switch kind {
        case .value: .variable
        case .block, .tryCallReturn, .tryCallException: .label
        case .stackSlot, .dynamicStackSlot, .globalValue, .constant: .variable
        case .signature, .dynamicType: .type
        case .functionRef: .function
        case .region: .namespace
        case .exceptionTag: .enumMember
        }
    }

    static func modifiers(of kind: EntityKind) -> SemanticTokenModifiers {
        switch kind {
        case .globalValue, .stackSlot, .dynamicStackSlot: .static
        case .constant: .readonly
        default: []
        }
    }

    /// Branches, returns and calls are control keywords; other opcodes are built-in functions with
    /// a class modifier.
    static func classify(_ info: OpcodeInfo) -> (SemanticTokenType, SemanticTokenModifiers) {
        let properties = info.properties
        if properties.contains(.branch) || properties.contains(.return) || properties.contains(.call)
            || properties.contains(.terminatesBlock) {
            return (.keyword, .control)
        }
        if properties.contains(.canLoad) || properties.contains(.canStore) {
            return (.function, [.defaultLibrary, .memory])
        }
        if info.controllingTypes != nil || !info.results.isEmpty {
            return (.function, [.defaultLibrary, .numeric])
        }
        return (.function, .defaultLibrary)
    }
}

extension CLIFService {
    public func semanticTokens(in analysis: any DocumentAnalysis) -> [SemanticToken] {
        CLIFSemanticTokens.classify(analysis.file)
    }
}

extension GeneratedCLIFService {
    public func semanticTokens(in analysis: any DocumentAnalysis) -> [SemanticToken] {
        CLIFSemanticTokens.classify(analysis.file)
    }
}
