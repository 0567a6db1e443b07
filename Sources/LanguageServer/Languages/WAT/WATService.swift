import SourceText
import WAT
import Wasm

/// One text module of a document, compiled: the syntax tree, the module model and binary, the
/// resolved names and the offset map.
public struct WATModuleAnalysis: Sendable {
    public let syntax: ModuleSyntax
    public let compiled: CompiledModule
}

/// One analysed `.wat` or `.wast` document: its modules (one for `.wat`, each instantiated text
/// module for `.wast`) and every diagnostic found on the way.
public struct WATAnalysis: DocumentAnalysis {
    public let uri: String
    public let version: Int
    public let file: SourceFile
    public let modules: [WATModuleAnalysis]
    public let diagnostics: [Diagnostic]

    /// The module whose text contains `offset`.
    func module(at offset: Int) -> WATModuleAnalysis? {
        modules.first { $0.syntax.range.contains(offset) || $0.syntax.range.end == offset }
    }
}

/// The language service for WebAssembly text: parse → resolve names → encode, per module.
public struct WATService: LanguageService {
    public init() {}

    public func analyze(_ snapshot: DocumentSnapshot, previous: (any DocumentAnalysis)?) async throws -> any DocumentAnalysis {
        var diagnostics: [Diagnostic] = []
        var modules: [WATModuleAnalysis] = []
        if snapshot.language == .wast {
            let parsed = WAT.parseScript(snapshot.file)
            diagnostics += parsed.diagnostics
            for command in parsed.syntax.commands {
                try Task.checkCancellation()
                // Modules inside assertions are expected to fail; only plain modules are checked here.
                guard case .module(let module) = command, case .text(let syntax) = module.kind else { continue }
                let compiled = WAT.compile(syntax)
                diagnostics += compiled.diagnostics
                modules.append(WATModuleAnalysis(syntax: syntax, compiled: compiled))
            }
        } else {
            let parsed = WAT.parseModule(snapshot.file)
            diagnostics += parsed.diagnostics
            try Task.checkCancellation()
            let compiled = WAT.compile(parsed.syntax)
            diagnostics += compiled.diagnostics
            modules.append(WATModuleAnalysis(syntax: parsed.syntax, compiled: compiled))
        }
        diagnostics.sort { $0.range.start < $1.range.start }
        return WATAnalysis(uri: snapshot.uri, version: snapshot.version, file: snapshot.file,
                           modules: modules, diagnostics: diagnostics)
    }
}
