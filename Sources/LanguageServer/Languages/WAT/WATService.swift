import SourceText
import WAT
import Wasm
import WasmToCLIF

/// One text module of a document, compiled, validated and (when valid) translated: the syntax
/// tree, the module model and binary, the resolved names, the offset map and the generated CLIF.
public struct WATModuleAnalysis: Sendable {
    public let syntax: ModuleSyntax
    public let compiled: CompiledModule
    /// The CLIF of every function; nil when the module has errors or could not be decoded.
    public let generated: GeneratedCLIF?
    /// Translations to reuse for the next version of the document.
    let cache: TranslationCache
}

/// One analysed `.wat` or `.wast` document: its modules (one for `.wat`, each plain text module
/// for `.wast`) and every diagnostic found on the way.
public struct WATAnalysis: DocumentAnalysis {
    public let uri: String
    public let version: Int
    public let file: SourceFile
    public let modules: [WATModuleAnalysis]
    public let diagnostics: [Diagnostic]
    /// How many functions were re-translated for this version, and how many reused.
    public let translatedCount: Int
    public let reusedCount: Int

    /// The module whose text contains `offset`.
    func module(at offset: Int) -> WATModuleAnalysis? {
        modules.first { $0.syntax.range.contains(offset) || $0.syntax.range.end == offset }
    }
}

/// The language service for WebAssembly text: parse → resolve names → encode → validate →
/// translate to CLIF, per module.
public struct WATService: LanguageService {
    public let tunables: Tunables

    public init(tunables: Tunables = Tunables()) {
        self.tunables = tunables
    }

    public func analyze(_ snapshot: DocumentSnapshot, previous: (any DocumentAnalysis)?) async throws -> any DocumentAnalysis {
        try await analyze(snapshot, previous: previous) { _ in }
    }

    /// Reports the syntax, name and validation diagnostics of a `.wat` document before translating it.
    public func analyze(_ snapshot: DocumentSnapshot, previous: (any DocumentAnalysis)?,
                        report: @Sendable (any DocumentAnalysis) async -> Void) async throws -> any DocumentAnalysis {
        try await analyze(snapshot, base: AnalysisBase(previous), report: report)
    }

    /// The same; the previous analysis is released as soon as the first diagnostics are found
    /// from it and its translations are taken for reuse, before this analysis allocates.
    public func analyze(_ snapshot: DocumentSnapshot, base: AnalysisBase,
                        report: @Sendable (any DocumentAnalysis) async -> Void) async throws -> any DocumentAnalysis {
        let (early, previousCaches) = reuse(base.analysis as? WATAnalysis, for: snapshot)
        if let early {
            await report(WATAnalysis(uri: snapshot.uri, version: snapshot.version, file: snapshot.file, modules: [],
                                     diagnostics: early, translatedCount: 0, reusedCount: 0))
        }
        await base.release()
        // Superseded before it released its base: the newer version's analysis starts from that base.
        try Task.checkCancellation()
        var diagnostics: [Diagnostic] = []
        var modules: [WATModuleAnalysis] = []
        var translated = 0
        var reused = 0
        func add(_ syntax: ModuleSyntax, earlier: [Diagnostic], checkValidity: Bool) async throws {
            let previousCache = modules.count < previousCaches.count ? previousCaches[modules.count] : nil
            let parseDiagnostics = diagnostics
            let result = try await analyzeModule(syntax, earlier: earlier, previousCache: previousCache) { found in
                guard checkValidity, early == nil else { return }
                await report(WATAnalysis(uri: snapshot.uri, version: snapshot.version, file: snapshot.file, modules: [],
                                         diagnostics: (parseDiagnostics + found).sorted { $0.range.start < $1.range.start },
                                         translatedCount: 0, reusedCount: 0))
            }
            if checkValidity { diagnostics += result.diagnostics }
            translated += result.translated
            reused += result.reused
            modules.append(result.module)
        }
        if snapshot.language == .wast {
            let parsed = WAT.parseScript(snapshot.file)
            // The script checker knows what each assertion expects of its module.
            diagnostics += WastCheck.checkScript(snapshot.file)
            for command in parsed.syntax.commands {
                try Task.checkCancellation()
                guard case .module(let module) = command, case .text(let syntax) = module.kind else { continue }
                try await add(syntax, earlier: parsed.diagnostics, checkValidity: false)
            }
        } else {
            let parsed = WAT.parseModule(snapshot.file)
            diagnostics += parsed.diagnostics
            try await add(parsed.syntax, earlier: parsed.diagnostics, checkValidity: true)
        }
        diagnostics.sort { $0.range.start < $1.range.start }
        return WATAnalysis(uri: snapshot.uri, version: snapshot.version, file: snapshot.file, modules: modules,
                           diagnostics: diagnostics, translatedCount: translated, reusedCount: reused)
    }

    /// What an analysis takes from the previous one: the first diagnostics of an edit inside one
    /// function, found from that function alone, and each module's translations.
    private func reuse(_ previous: WATAnalysis?, for snapshot: DocumentSnapshot) -> (early: [Diagnostic]?, caches: [TranslationCache]) {
        guard let previous else { return (nil, []) }
        let early = IncrementalWATDiagnostics.diagnostics(for: snapshot, previous: previous, tunables: tunables)
        return (early, previous.modules.map(\.cache))
    }

    /// The defined functions that must not be translated because their text or body has errors;
    /// nil when an error outside any function makes the whole module untranslatable.
    func brokenFunctions(_ compiled: CompiledModule, errors: [ValidationError], problems: [Diagnostic]) -> Set<Int>? {
        var broken = Set<Int>()
        for error in errors {
            switch error.item {
            case .instruction(let function, _), .localGroup(let function, _), .functionBody(let function),
                 .functionDeclaration(let function):
                broken.insert(function)
            default:
                return nil
            }
        }
        let sourceMap = compiled.map.sourceMap
        var located = 0
        for function in compiled.module.functions.indices {
            guard let range = sourceMap.range(of: .functionBody(function)) ?? sourceMap.range(of: .functionDeclaration(function))
            else { continue }
            let hit = problems.contains { $0.range.start >= range.start && $0.range.start <= range.end }
            if hit { broken.insert(function) }
            located += problems.filter { $0.range.start >= range.start && $0.range.start <= range.end }.count
        }
        // A syntax or name problem outside every function body concerns the module itself.
        if located < problems.count { return nil }
        return broken
    }

    /// Compile → validate → translate one module.
    func analyzeModule(_ syntax: ModuleSyntax, earlier: [Diagnostic], previousCache: TranslationCache?,
                       beforeTranslation: ([Diagnostic]) async -> Void) async throws
        -> (module: WATModuleAnalysis, diagnostics: [Diagnostic], translated: Int, reused: Int)
    {
        let compiled = WAT.compile(syntax)
        var diagnostics = compiled.diagnostics
        try Task.checkCancellation()
        let errors = compiled.module.validate()
        let validation = WastCheck.diagnostics(for: errors, map: compiled.map.sourceMap,
                                               fallback: TextRange(start: syntax.range.start, end: syntax.range.start))
        let known = earlier + diagnostics
        // A validation error inside text that already has a syntax or name error follows from it.
        diagnostics += validation.filter { diagnostic in
            !known.contains { $0.range.contains(diagnostic.range.start) || diagnostic.range.contains($0.range) }
        }
        // Functions with errors are left out of the translation; the others keep their CLIF.
        let problems = (earlier + diagnostics).filter { syntax.range.contains($0.range.start) }
        guard let broken = brokenFunctions(compiled, errors: errors, problems: problems) else {
            return (WATModuleAnalysis(syntax: syntax, compiled: compiled, generated: nil,
                                      cache: previousCache ?? TranslationCache()), diagnostics, 0, 0)
        }
        try Task.checkCancellation()
        await beforeTranslation(diagnostics)
        // The module model and the encoder's offsets: what decoding the binary would give, without a second copy.
        let decoded = DecodedModule(module: compiled.module, offsets: compiled.map.offsets)
        let environment = WasmtimeEnvironment(info: ModuleInfo(compiled.module), tunables: tunables)
        let translation = try TranslationCache.translate(decoded, bytes: compiled.bytes, environment: environment,
                                                         previous: previousCache, skipping: broken)
        for function in translation.functions {
            for problem in function.entry.diagnostics {
                var mapped = problem
                mapped.range = compiled.map.range(atOffset: problem.range.start)?.range ?? syntax.range
                mapped.severity = .warning
                diagnostics.append(mapped)
            }
        }
        try Task.checkCancellation()
        let generated = GeneratedCLIF(translation.functions, decoded: decoded, bytes: compiled.bytes, environment: environment)
        return (WATModuleAnalysis(syntax: syntax, compiled: compiled, generated: generated, cache: translation.cache),
                diagnostics, translation.functions.count - translation.reused, translation.reused)
    }
}
