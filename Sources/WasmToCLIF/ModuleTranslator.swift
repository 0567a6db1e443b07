import CLIF
import SourceText
import Wasm

/// One translated function: its CLIF (after the pre-print passes), its Wasmtime symbol, and the
/// diagnostics of instructions that could not be translated.
public struct TranslatedFunction: Sendable {
    /// The index among the defined functions (the `N` of `u0:N`).
    public var definedIndex: Int
    /// The index in the module's function index space, imports included.
    public var functionIndex: UInt32
    /// Wasmtime's symbol, `wasm[0]::function[N]` or `wasm[0]::function[N]::name`.
    public var symbol: String
    /// The CLIF; nil when the function could not be translated at all. With diagnostics, the CLIF
    /// has a `%not_translated_…` call in place of each operator they name.
    public var function: CLIF.Function?
    /// Problems, each on the byte range of the instruction in the module binary.
    public var diagnostics: [Diagnostic]
    /// The runtime-specific decisions behind the CLIF, by Wasm offset (bounds checks, table access).
    public var decisions: [RuntimeDecision] = []

    /// The file name `wasmtime compile --emit-clif` writes this function to: the symbol with `:`
    /// replaced by `-`, whose last `.suffix` (as Rust's `Path::set_extension` sees it) becomes `.clif`.
    public var fileName: String {
        let base = symbol.replacingColons()
        let component = base.split(separator: "/", omittingEmptySubsequences: false).last ?? Substring(base)
        if let dot = component.lastIndex(of: "."), dot != component.startIndex {
            return String(base[..<dot]) + ".clif"
        }
        return base + ".clif"
    }
    /// Whether the CLIF is the complete translation.
    public var isComplete: Bool { function != nil && diagnostics.isEmpty }
}

extension String {
    func replacingColons() -> String {
        var result = ""
        result.reserveCapacity(utf8.count)
        for character in self { result.append(character == ":" ? "-" : character) }
        return result
    }
}

/// Translates the functions of a decoded module with Wasmtime's environment.
public enum ModuleTranslator {
    /// Translates the defined functions (all, or those whose defined indices are listed).
    public static func translate(_ decoded: DecodedModule, bytes: [UInt8], tunables: Tunables = Tunables(),
                                 only definedIndices: [Int]? = nil) -> [TranslatedFunction] {
        let info = ModuleInfo(decoded.module)
        let environment = WasmtimeEnvironment(info: info, tunables: tunables)
        let indices = definedIndices ?? Array(decoded.module.functions.indices)
        return indices.compactMap { index in
            guard index >= 0, index < decoded.module.functions.count else { return nil }
            return translateFunction(index, decoded: decoded, bytes: bytes, environment: environment)
        }
    }

    /// Translates one defined function with any environment.
    public static func translateFunction<Environment: TranslationEnvironment>(
        _ definedIndex: Int, decoded: DecodedModule, bytes: [UInt8], environment: Environment
    ) -> TranslatedFunction {
        let info = environment.info
        let module = decoded.module
        let functionIndex = UInt32(info.importedFunctionCount + definedIndex)
        var symbol = "wasm[0]::function[\(functionIndex)]"
        if let name = module.names.functions[functionIndex] { symbol += "::" + name }
        let wasmFunction = module.functions[definedIndex]
        var result = TranslatedFunction(definedIndex: definedIndex, functionIndex: functionIndex, symbol: symbol,
                                        function: nil, diagnostics: [])
        let offsets = definedIndex < decoded.offsets.instructionOffsets.count
            ? decoded.offsets.instructionOffsets[definedIndex] : []
        let bodyStart = decoded.offsets.offset(of: .functionBody(definedIndex)) ?? 0
        guard let type = info.functionType(wasmFunction.typeIndex), offsets.count == wasmFunction.body.count else {
            result.diagnostics.append(.error("cannot translate: the function's type or offsets are missing",
                                             at: TextRange(at: bodyStart), code: "translate"))
            return result
        }
        let localCountOffset = bodyStart + lebLength(bytes, at: bodyStart)
        let groupOffsets = wasmFunction.locals.indices.map {
            decoded.offsets.offset(of: .localGroup(function: definedIndex, index: $0)) ?? localCountOffset
        }
        var translator = FunctionTranslator(environment: environment, name: environment.functionName(definedIndex: definedIndex),
                                            signature: environment.signature(of: type), body: wasmFunction.body, offsets: offsets)
        translator.operandStacksProvider = { module.operandStacks(ofFunction: definedIndex) }
        translator.localVariableCount = type.parameters.count
            + wasmFunction.locals.reduce(0) { $0 + Int(min($1.count, 1_000_000)) }
        do throws(TranslationFailureAt) {
            try translator.translate(locals: wasmFunction.locals, parameters: type.parameters,
                                     localCountOffset: localCountOffset, localGroupOffsets: groupOffsets)
            let function = translator.finish()
            result.function = function
            for placeholder in translator.unsupported {
                let range = instructionRange(placeholder.instruction, offsets: offsets)
                let symbol = "%" + UnsupportedOperator.placeholderSymbol(wasmFunction.body[placeholder.instruction].opcode.info.name)
                result.diagnostics.append(Diagnostic(range: range, severity: .error, code: "translate-unsupported",
                                                     message: placeholder.failure.message + "; the CLIF calls \(symbol) in its place"))
            }
            #if DEBUG
            if let error = Verifier.verify(function).first {
                result.diagnostics.append(Diagnostic(range: TextRange(start: localCountOffset, end: localCountOffset + 1),
                                                     severity: .warning, code: "translate-verifier",
                                                     message: "the translated CLIF fails the verifier: \(error.diagnostic.message)"))
            }
            #endif
        } catch {
            let range: TextRange
            if let index = error.instruction, index < offsets.count {
                range = instructionRange(index, offsets: offsets)
            } else {
                range = TextRange(start: localCountOffset, end: localCountOffset + 1)
            }
            let code = if case .notTranslated = error.failure { "translate-unsupported" } else { "translate" }
            result.diagnostics.append(Diagnostic(range: range, severity: .error, code: code, message: error.failure.message))
        }
        result.decisions = translator.builder.decisions
        return result
    }

    /// The byte range of instruction `index`: up to the next instruction's offset.
    static func instructionRange(_ index: Int, offsets: [Int]) -> TextRange {
        let end = index + 1 < offsets.count ? offsets[index + 1] : offsets[index] + 1
        return TextRange(start: offsets[index], end: max(end, offsets[index] + 1))
    }

    static func lebLength(_ bytes: [UInt8], at offset: Int) -> Int {
        var index = offset
        while index < bytes.count, index - offset < 5 {
            let byte = bytes[index]
            index += 1
            if byte & 0x80 == 0 { break }
        }
        return max(1, index - offset)
    }
}
