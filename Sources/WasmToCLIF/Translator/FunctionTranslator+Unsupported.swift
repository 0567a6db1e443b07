import CLIF
import Wasm

/// An operator the environment cannot translate yet, and where it is in the body.
struct UnsupportedOperator: Sendable {
    var instruction: Int
    var failure: TranslationFailure

    /// The external name of the placeholder for an operator, e.g. `not_translated_table_copy`.
    static func placeholderSymbol(_ operatorName: String) -> String {
        "not_translated_" + String(operatorName.map { $0.isLetter || $0.isNumber ? $0 : "_" })
    }
}

/// Recovery from an operator that has no translation: the operator becomes a call to an external
/// function named `%not_translated_<operator>` that takes the operands the validator sees it pop
/// and returns the results it sees it push, so the rest of the function still translates and the
/// placeholder is plain to see in the CLIF. The function keeps a diagnostic for every placeholder,
/// so it never counts as a complete translation.
extension FunctionTranslator {
    /// How many operand-stack entries are saved before each operator, enough to undo what a
    /// failed operator popped.
    static var savedOperandCount: Int { 8 }

    /// Saves the top of the operand stack before an operator, in a buffer reused across operators.
    mutating func saveOperandStackTop() {
        let start = Swift.max(0, stack.count - Self.savedOperandCount)
        while savedTop.count > stack.count - start { savedTop.removeLast() }
        for index in start..<stack.count {
            if index - start < savedTop.count { savedTop[index - start] = stack[index] } else { savedTop.append(stack[index]) }
        }
        savedHeight = stack.count
    }

    /// Replaces the operator at `index` by its placeholder; false when the function cannot be
    /// continued (the operand stack or the current block cannot be restored).
    mutating func recover(fromUnsupported index: Int, _ failure: TranslationFailure) -> Bool {
        let base = savedHeight - savedTop.count
        guard stack.count >= base, let block = builder.currentBlock, !builder.isFilled(block) else { return false }
        stack.removeSubrange(base...)
        stack.append(contentsOf: savedTop)
        guard let stacks = validatedStacks(), index + 1 < stacks.count, stacks[index].count == stack.count else {
            return false
        }
        let before = stacks[index]
        let after = stacks[index + 1]
        let opcode = body[index].opcode
        var common = 0
        while common < before.count, common < after.count, before[common] == after[common] { common += 1 }
        if common == before.count, common == after.count, common > 0 { common -= 1 }
        if opcode == .tryTable { common = before.count }
        let operands = Array(stack[common...])
        let resultTypes = opcode == .tryTable ? [] : after[common...].map { $0.map(clifType) ?? .i32 }
        stack.removeSubrange(common...)
        let arguments = canonicalise(operands)
        let marker = placeholderFunction(opcode.info.name, parameters: arguments.map { builder.type(of: $0) },
                                         results: resultTypes)
        let results = builder.ins(Op.call, nil, arguments, immediates: .functionRef(marker))
        unsupported.append(UnsupportedOperator(instruction: index, failure: failure))
        switch opcode {
        case .throw, .throwRef:
            environment.trap(&builder, WasmtimeTrap.unreachable)
            reachable = false
        case .tryTable:
            guard case .tryTable(let type, _) = body[index].immediates,
                  (try? translateBlock(type)) != nil else { return false }
        default:
            stack.append(contentsOf: results)
        }
        return true
    }

    /// The external function standing for an untranslated operator, declared once per name.
    mutating func placeholderFunction(_ name: String, parameters: [CLIFType], results: [CLIFType]) -> UInt32 {
        let symbol = UnsupportedOperator.placeholderSymbol(name)
        let signature = Signature(params: parameters.map { AbiParam($0) }, returns: results.map { AbiParam($0) },
                                  callConv: builder.function.signature.callConv)
        if let existing = placeholders[symbol], builder.function.signatures[Int(builder.function.functionRefs[Int(existing)].signature)] == signature {
            return existing
        }
        let sig = builder.function.importSignature(signature)
        let reference = builder.function.importFunction(ExternalFunctionData(name: .named(symbol), signature: sig, colocated: false))
        placeholders[symbol] = reference
        return reference
    }

    /// The validator's operand stack before each operator, computed on first need.
    mutating func validatedStacks() -> [[ValueType?]]? {
        if let operandStacks { return operandStacks }
        operandStacks = operandStacksProvider?()
        return operandStacks
    }
}
