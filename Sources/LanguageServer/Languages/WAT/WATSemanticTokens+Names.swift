import SourceText
import WAT

extension WATSemanticTokens {
    /// The token type of a name in `space`; `definition` tells parameters from locals.
    func type(of space: IndexSpace, definition: Int) -> (SemanticTokenType, SemanticTokenModifiers) {
        switch space {
        case .type: (.type, [])
        case .function: (.function, [])
        case .global: (.variable, immutableGlobals.contains(definition) ? [.static, .readonly] : .static)
        case .table, .memory, .element, .data: (.variable, .static)
        case .tag: (.event, [])
        case .local: (parameters.contains(definition) ? .parameter : .variable, [])
        case .label: (.label, [])
        case .field: (.property, [])
        }
    }

    mutating func classifyIdentifier(_ range: TextRange, keyword: TextRange?, opensField: Bool, closesNext: Bool) {
        if let use = uses[range.start] {
            let (type, modifiers) = type(of: use.space, definition: use.definition)
            result.append(SemanticToken(range, type, modifiers))
            return
        }
        if let space = definitions[range.start] {
            if space == .local, let keyword, equals(keyword, "param") { parameters.insert(range.start) }
            let (type, modifiers) = type(of: space, definition: range.start)
            result.append(SemanticToken(range, type, modifiers.union(.declaration)))
            return
        }
        guard let keyword else {
            result.append(SemanticToken(range, .variable))
            return
        }
        // Nothing resolved here (unused or broken text): the keyword before the name tells.
        if let opcode = WAT.instruction(named: bytes, at: keyword) {
            let info = opcode.info
            if info.structure == .opensBlock || info.immediates == .tryTable {
                result.append(SemanticToken(range, .label, .declaration))
                return
            }
            let space: IndexSpace? = switch info.immediates {
            case .label, .labelTable, .branchOnCast: .label
            case .function: .function
            case .local: .local
            case .global: .global
            case .type, .typeAndTable, .typeAndField, .typeAndCount, .typeAndData, .typeAndElement, .typePair: .type
            case .table, .tablePair, .elementAndTable: .table
            case .memory, .memoryPair, .memArg, .memArgLane: .memory
            case .data, .dataAndMemory: .data
            case .element: .element
            case .tag: .tag
            default: nil
            }
            var (type, modifiers) = space.map { self.type(of: $0, definition: -1) } ?? (.variable, [])
            if space == .local && parameterNames.contains(text(range)) { type = .parameter }
            result.append(SemanticToken(range, type, modifiers))
            return
        }
        let space: IndexSpace?
        if equals(keyword, "module") || equals(keyword, "register") || equals(keyword, "invoke") || equals(keyword, "get") {
            result.append(SemanticToken(range, .namespace, opensField && equals(keyword, "module") ? .declaration : []))
            return
        } else if equals(keyword, "func") {
            space = .function
        } else if equals(keyword, "param") {
            parameters.insert(range.start)
            parameterNames.insert(text(range))
            space = .local
        } else if equals(keyword, "local") {
            space = .local
        } else if equals(keyword, "type") {
            space = .type
        } else if equals(keyword, "global") {
            space = .global
        } else if equals(keyword, "table") {
            space = .table
        } else if equals(keyword, "memory") {
            space = .memory
        } else if equals(keyword, "elem") {
            space = .element
        } else if equals(keyword, "data") {
            space = .data
        } else if equals(keyword, "tag") {
            space = .tag
        } else if equals(keyword, "field") {
            space = .field
        } else {
            space = nil
        }
        guard let space else {
            result.append(SemanticToken(range, .variable))
            return
        }
        let (type, modifiers) = type(of: space, definition: range.start)
        let isDefinition = opensField && !closesNext
        result.append(SemanticToken(range, type, isDefinition ? modifiers.union(.declaration) : modifiers))
    }
}
