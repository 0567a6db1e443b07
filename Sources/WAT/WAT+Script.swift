import SourceText
import Wasm

/// A module of a `.wast` script compiled to its binary: text modules through the full front end,
/// `binary` modules as their bytes, `quote` modules by parsing the quoted text.
public struct CompiledScriptModule: Sendable {
    /// The binary; for a text or quoted module with errors, what could be encoded.
    public var bytes: [UInt8]
    /// The compiled text module (nil for `binary` modules).
    public var compiled: CompiledModule?
    /// Diagnostics in script ranges. Problems inside quoted text are reported on the `module quote`
    /// form, with the position inside the quoted text in the message.
    public var diagnostics: [Diagnostic]
}

extension WAT {
    /// Compiles one module of a script.
    public static func compile(_ module: ScriptModuleSyntax) -> CompiledScriptModule {
        switch module.kind {
        case .binary:
            return CompiledScriptModule(bytes: module.joinedBytes, compiled: nil, diagnostics: [])
        case .text(let syntax):
            let compiled = compile(syntax)
            return CompiledScriptModule(bytes: compiled.bytes, compiled: compiled, diagnostics: compiled.diagnostics)
        case .quote:
            let text = module.joinedBytes
            let (compiled, inner) = compile(bytes: text)
            let quoted = SourceFile(utf8: text)
            let diagnostics = inner.map { diagnostic in
                let (line, column) = quoted.humanLocation(of: diagnostic.range.start)
                return Diagnostic(range: module.range, severity: diagnostic.severity, code: diagnostic.code,
                                  message: "in quoted module at \(line):\(column): \(diagnostic.message)")
            }
            return CompiledScriptModule(bytes: compiled.bytes, compiled: compiled, diagnostics: diagnostics)
        }
    }
}
