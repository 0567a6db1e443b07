import SourceText
import Wasm

/// Validation of text: a `.wat` module or every module of a `.wast` script, with validation errors
/// placed on the text range of the offending item through the lowering's source map, and the
/// script's `assert_invalid` / `assert_malformed` expectations checked (no execution needed).
public enum WastCheck {
    /// What became of one module of a script.
    public enum Outcome: Sendable {
        case valid
        /// Syntax, name or decoding errors.
        case malformed([Diagnostic])
        /// Well-formed but not valid.
        case invalid([Diagnostic])

        public var diagnostics: [Diagnostic] {
            switch self {
            case .valid: []
            case .malformed(let list), .invalid(let list): list
            }
        }
    }

    static let code = "wasm-validation"

    /// Syntax, name and validation diagnostics of a `.wat` file, in source order.
    public static func checkModule(_ file: SourceFile, options: ValidationOptions = ValidationOptions()) -> [Diagnostic] {
        let parsed = WAT.parseModule(file)
        let lowered = WAT.lower(parsed.syntax)
        let earlier = parsed.diagnostics + lowered.diagnostics
        let fallback = TextRange(start: 0, end: min(file.utf8.count, 1))
        let validation = diagnostics(for: lowered.module.validate(options), map: lowered.sourceMap, fallback: fallback)
        return (earlier + unshadowed(validation, by: earlier)).sorted { $0.range.start < $1.range.start }
    }

    /// Diagnostics for a `.wast` script: syntax errors, every module's validation errors, and each
    /// `assert_invalid` or `assert_malformed` whose module turns out valid or well-formed.
    /// `assert_unlinkable` and `assert_uninstantiable` modules are validated; linking is not checked.
    public static func checkScript(_ file: SourceFile, options: ValidationOptions = ValidationOptions()) -> [Diagnostic] {
        let parsed = WAT.parseScript(file)
        var result = parsed.diagnostics
        for command in parsed.syntax.commands {
            switch command {
            case .module(let module):
                result += unshadowed(outcome(of: module, options: options).diagnostics, by: parsed.diagnostics)
            case .assertion(let assertion):
                guard let module = assertion.module else { continue }
                let expected = message(of: assertion, in: file)
                switch assertion.keyword {
                case "assert_invalid":
                    if case .valid = outcome(of: module, options: options) {
                        result.append(.error("assertion failed: module is valid, expected invalid (\(expected))",
                                             at: assertion.range, code: code))
                    }
                case "assert_malformed":
                    if case .malformed = outcome(of: module, options: options) { continue }
                    result.append(.error("assertion failed: module is well-formed, expected malformed (\(expected))",
                                         at: assertion.range, code: code))
                case "assert_unlinkable", "assert_uninstantiable", "assert_trap", "assert_exception":
                    result += unshadowed(outcome(of: module, options: options).diagnostics, by: parsed.diagnostics)
                default:
                    continue
                }
            default:
                continue
            }
        }
        return result.sorted { $0.range.start < $1.range.start }
    }

    /// Decoding and validation diagnostics of a `.wasm` binary; each range is the empty range at the
    /// binary offset of the offending item.
    public static func checkBinary(_ bytes: [UInt8], options: ValidationOptions = ValidationOptions()) -> [Diagnostic] {
        let decoded: DecodedModule
        do {
            decoded = try Module.decode(bytes)
        } catch {
            return [.error(error.message, at: TextRange(at: error.offset), code: "wasm-decode")]
        }
        return decoded.module.validate(options).map { error in
            let related = error.related.compactMap { note in
                note.offset(in: decoded.offsets).map { RelatedLocation(range: TextRange(at: $0), message: note.message) }
            }
            return .error(error.message, at: TextRange(at: error.offset(in: decoded.offsets) ?? 0), code: code,
                          related: related)
        }
    }

    /// Lowers (or decodes) and validates one script module.
    public static func outcome(of module: ScriptModuleSyntax, options: ValidationOptions = ValidationOptions()) -> Outcome {
        switch module.kind {
        case .text(let syntax):
            let lowered = WAT.lower(syntax)
            if !lowered.diagnostics.isEmpty { return .malformed(lowered.diagnostics) }
            let errors = lowered.module.validate(options)
            if errors.isEmpty { return .valid }
            return .invalid(diagnostics(for: errors, map: lowered.sourceMap, fallback: module.keywordRange))
        case .binary:
            let decoded: DecodedModule
            do {
                decoded = try Module.decode(module.joinedBytes)
            } catch {
                return .malformed([.error("\(error.message) (at binary offset 0x\(String(error.offset, radix: 16)))",
                                          at: module.keywordRange, code: "wasm-decode")])
            }
            let errors = decoded.module.validate(options)
            if errors.isEmpty { return .valid }
            return .invalid(errors.map { error in
                let offset = error.offset(in: decoded.offsets).map { " (at binary offset 0x\(String($0, radix: 16)))" } ?? ""
                return .error(error.message + offset, at: module.keywordRange, code: code)
            })
        case .quote:
            let parsed = WAT.parseModule(bytes: module.joinedBytes)
            let lowered = WAT.lower(parsed.syntax)
            let problems = parsed.diagnostics + lowered.diagnostics
            if !problems.isEmpty {
                return .malformed(problems.map { .error($0.message, at: module.keywordRange, code: $0.code) })
            }
            let errors = lowered.module.validate(options)
            if errors.isEmpty { return .valid }
            return .invalid(errors.map { .error($0.message, at: module.keywordRange, code: code) })
        }
    }

    /// Validation errors as diagnostics on the text ranges of their items, with related notes.
    public static func diagnostics(for errors: [ValidationError], map: SourceMap, fallback: TextRange) -> [Diagnostic] {
        errors.map { error in
            let related = error.related.compactMap { note in
                map.range(of: note.item).map { RelatedLocation(range: $0, message: note.message) }
            }
            return .error(error.message, at: range(of: error.item, in: map) ?? fallback, code: code, related: related)
        }
    }

    /// The text range of an item, or of the function around an instruction the map does not know.
    static func range(of item: ModuleItem, in map: SourceMap) -> TextRange? {
        if let range = map.range(of: item) { return range }
        switch item {
        case .instruction(let function, _), .localGroup(let function, _):
            return map.range(of: .functionBody(function)) ?? map.range(of: .functionDeclaration(function))
        default:
            return nil
        }
    }

    /// Drops validation diagnostics inside a range that already has a syntax or name error: those
    /// follow from the placeholder that stands in for the broken text.
    static func unshadowed(_ diagnostics: [Diagnostic], by earlier: [Diagnostic]) -> [Diagnostic] {
        guard !earlier.isEmpty else { return diagnostics }
        return diagnostics.filter { diagnostic in
            !earlier.contains { $0.range.contains(diagnostic.range.start) || diagnostic.range.contains($0.range) }
        }
    }

    /// The expected failure message of an assertion, as written (without the quotes).
    public static func message(of assertion: AssertionSyntax, in file: SourceFile) -> String {
        guard let range = assertion.rest.last, range.end <= file.utf8.count else { return "" }
        return String(decoding: file.utf8[range.start..<range.end], as: UTF8.self)
    }
}
