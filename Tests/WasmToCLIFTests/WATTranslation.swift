import CLIF
import SourceText
import Testing
import WAT
import Wasm
import WasmToCLIF

/// A WAT module compiled (it must have no errors) and translated, for the translator's tests.
enum WATTranslation {
    /// The decoded module and its translated functions, under the tunables `flags` set
    /// (`-O …`, `-W …`, `-C …`, as the CLI spells them) for `target`.
    static func translate(_ text: String, flags: [String] = [], target: Tunables.Target = .x86_64) throws
        -> (decoded: DecodedModule, functions: [TranslatedFunction])
    {
        let (compiled, diagnostics) = WAT.compile(SourceFile(utf8: Array(text.utf8)))
        #expect(diagnostics.filter { $0.severity == .error }.isEmpty, "\(diagnostics.map(\.message))")
        let decoded = try Module.decode(compiled.bytes)
        var tunables = Tunables()
        tunables.target = target
        #expect(tunables.apply(flags: flags).isEmpty)
        return (decoded, ModuleTranslator.translate(decoded, bytes: compiled.bytes, tunables: tunables))
    }

    /// The translated functions alone.
    static func functions(_ text: String, flags: [String] = [], target: Tunables.Target = .x86_64) throws -> [TranslatedFunction] {
        try translate(text, flags: flags, target: target).functions
    }

    /// Every function's printed CLIF ("" for one without); each must translate completely,
    /// without diagnostics, and pass the verifier.
    static func printed(_ text: String, flags: [String] = []) throws -> [String] {
        try functions(text, flags: flags).map { translated in
            #expect(translated.isComplete, "\(translated.diagnostics.map(\.message))")
            #expect(translated.diagnostics.isEmpty, "\(translated.diagnostics.map(\.message))")
            if let function = translated.function { #expect(Verifier.verify(function).isEmpty) }
            return translated.function.map { Printer.print($0) } ?? ""
        }
    }
}
