import Synchronization
import Wasm
import WasmToCLIF

/// Translates and prints single functions of one module again, on demand, or expands the compact
/// text kept for the largest ones: what a generated CLIF document keeps instead of its text.
/// Either takes microseconds to a few milliseconds, so the few printed last are remembered for
/// the requests that follow each other on one function (hover, definition, side-by-side view):
/// the last one always, older ones while their texts stay within `rememberedBytes`.
final class FunctionPrinter: Sendable {
    let module: DecodedModule
    let bytes: [UInt8]
    /// Built once: its runtime layout is computed from the whole module.
    let environment: WasmtimeEnvironment
    private let recent = Mutex<[(firstLine: Int, printed: PrintedTranslation)]>([])
    static let remembered = 8
    static let rememberedBytes = 1 << 20

    init(module: DecodedModule, bytes: [UInt8], environment: WasmtimeEnvironment) {
        self.module = module
        self.bytes = bytes
        self.environment = environment
    }

    func translate(_ definedIndex: Int) -> TranslatedFunction {
        ModuleTranslator.translateFunction(definedIndex, decoded: module, bytes: bytes, environment: environment)
    }

    /// The function's text and located lines, as a fragment of the document.
    func printed(_ function: GeneratedCLIF.FunctionEntry) -> PrintedTranslation? {
        let found = recent.withLock { recent -> PrintedTranslation? in
            guard let index = recent.firstIndex(where: {
                $0.printed.definedIndex == function.definedIndex && $0.firstLine == function.firstLine
            }) else { return nil }
            let hit = recent.remove(at: index)
            recent.insert(hit, at: 0)
            return hit.printed
        }
        if let found { return found }
        let printed: PrintedTranslation
        if let expanded = function.kept?.expanded(firstLine: function.firstLine, shift: function.keptShift) {
            printed = expanded
        } else {
            guard let translated = PrintedTranslation(translate(function.definedIndex), firstLine: function.firstLine) else { return nil }
            printed = translated
            MemoryRelease.afterTranslation()
        }
        recent.withLock { recent in
            recent.insert((function.firstLine, printed), at: 0)
            var bytes = recent.reduce(0) { $0 + $1.printed.file.utf8.count }
            while recent.count > 1 && (recent.count > Self.remembered || bytes > Self.rememberedBytes) {
                bytes -= recent.removeLast().printed.file.utf8.count
            }
        }
        return printed
    }

    /// The part of the function that holds the lines of the Wasm instruction at `offset`: a
    /// function remembered whole is served whole; a kept one expands only its preamble and the
    /// chunks that can hold those lines (not remembered: it is cheap); any other is printed whole.
    func printed(_ function: GeneratedCLIF.FunctionEntry, around offset: Int) -> PrintedTranslation? {
        let whole = recent.withLock { recent in
            recent.first { $0.printed.definedIndex == function.definedIndex && $0.firstLine == function.firstLine }?.printed
        }
        if let whole { return whole }
        if let part = function.kept?.partial(around: offset, firstLine: function.firstLine, shift: function.keptShift) {
            return part
        }
        return printed(function)
    }

    /// The function's text alone, for building the whole document (not remembered).
    func text(of function: GeneratedCLIF.FunctionEntry) -> [UInt8] {
        if let text = function.kept?.text(shiftedBy: function.keptShift) { return text }
        return PrintedTranslation.printedText(translate(function.definedIndex)) ?? []
    }
}
