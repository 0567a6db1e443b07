import SourceText
import WAT
import Wasm
import WasmToCLIF

/// The diagnostics of a new version of a `.wat` document, found from the previous finished
/// analysis when the text changed inside one function field's locals and body: only that field is
/// parsed, lowered and validated again; every other diagnostic is the previous one, moved by the
/// length change. Nil whenever the result could differ from a full analysis (the edit touches
/// anything else, the field's declaration or implicit types change, the previous module was not
/// translatable, ...) or the task was cancelled: the caller then relies on the full analysis alone.
///
/// The edited function is translated alone, when it has no problem, for its translation problems.
struct IncrementalWATDiagnostics {
    /// The text that changed: `[start, oldEnd)` of the old text became `[start, newEnd)`.
    struct Change: Equatable {
        var start: Int
        var oldEnd: Int
        var newEnd: Int
        var delta: Int { newEnd - oldEnd }

        /// An old range in the new text; nil when it overlaps the replaced text.
        func moved(_ range: TextRange) -> TextRange? {
            // A range ending at the change start stays; one starting at its end moves.
            if range.end <= start { return range }
            if range.start >= oldEnd { return TextRange(start: range.start + delta, end: range.end + delta) }
            return nil
        }
    }

    static func diagnostics(for snapshot: DocumentSnapshot, previous: WATAnalysis,
                            tunables: Tunables = Tunables()) -> [Diagnostic]? {
        guard snapshot.language == .wat, previous.modules.count == 1, let module = previous.modules.first,
              module.generated != nil else { return nil }
        let old = previous.file.utf8
        let new = snapshot.file.utf8
        guard let change = difference(old, new) else { return previous.diagnostics }

        // The one defined function whose locals and body hold the whole change.
        var definedIndex = 0
        var found: FunctionSyntax?
        for field in module.syntax.fields {
            guard case .function(let function) = field, function.import == nil else { continue }
            if function.range.start < change.start && change.oldEnd < function.range.end {
                found = function
                break
            }
            if function.range.start >= change.oldEnd { return nil }
            definedIndex += 1
        }
        guard let field = found, field.body.branchHints.isEmpty else { return nil }
        let declarationEnd = WAT.declarationEnd(of: field)
        guard change.start >= declarationEnd else { return nil }

        // Previous diagnostics: those of the field are replaced; none may sit in its declaration
        // (they come from module-level checks) or straddle its edges.
        var kept: [Diagnostic] = []
        kept.reserveCapacity(previous.diagnostics.count)
        for diagnostic in previous.diagnostics {
            let range = diagnostic.range
            if range.start >= field.range.start && range.start < field.range.end {
                if range.start < declarationEnd || range.end > field.range.end { return nil }
                continue
            }
            if range.start < field.range.start && range.end > field.range.start { return nil }
            guard var moved = move(diagnostic, by: change) else { return nil }
            moved.range = change.moved(range) ?? range
            kept.append(moved)
        }

        // The field again, parsed where it starts; it must end where the old one ends.
        guard let parsed = WAT.parseFunctionField(bytes: new, at: field.range.start),
              parsed.syntax.range == TextRange(start: field.range.start, end: field.range.end + change.delta),
              WAT.sameDeclaration(field, parsed.syntax), parsed.syntax.body.branchHints.isEmpty,
              WAT.sameImplicitTypes(field, parsed.syntax),
              let compiled = WAT.compileFunction(parsed.syntax, definedIndex: definedIndex,
                                                 in: module.compiled.functionContext) else { return nil }

        // Superseded by a newer version meanwhile (while typing): not worth finishing.
        guard !Task.isCancelled else { return nil }
        var model = module.compiled.module
        guard definedIndex < model.functions.count else { return nil }
        model.functions[definedIndex] = compiled.function
        let validation = model.validate(function: definedIndex)
        guard validation.moduleErrors.isEmpty else { return nil }

        var fieldDiagnostics = parsed.diagnostics + compiled.diagnostics
        if let error = validation.error {
            let sourceMap = module.compiled.map.sourceMap
            var unmovable = false
            let diagnostic = compiled.diagnostic(for: error, elsewhere: { item in
                guard let range = sourceMap.range(of: item) else { return nil }
                guard let moved = change.moved(range) else {
                    unmovable = true
                    return nil
                }
                return moved
            }, fallback: TextRange(at: module.syntax.range.start))
            if unmovable { return nil }
            // A validation error inside text that already has a syntax or name error follows from it.
            let shadowed = fieldDiagnostics.contains {
                $0.range.contains(diagnostic.range.start) || diagnostic.range.contains($0.range)
            }
            if !shadowed { fieldDiagnostics.append(diagnostic) }
        }
        let newField = parsed.syntax.range
        // A problem at either edge of the field would also mark the neighbouring function as broken.
        if fieldDiagnostics.contains(where: { $0.range.start == newField.start })
            || kept.contains(where: { $0.range.start == newField.end }) { return nil }
        // The full analysis translates the function when it has no problem; so does this.
        if fieldDiagnostics.isEmpty && validation.error == nil {
            guard !Task.isCancelled else { return nil }
            let moduleRange = TextRange(start: module.syntax.range.start, end: module.syntax.range.end + change.delta)
            guard let translated = translationDiagnostics(of: compiled, in: model, tunables: tunables,
                                                          fallback: moduleRange) else { return nil }
            fieldDiagnostics += translated
        }
        return (kept + fieldDiagnostics).sorted { $0.range.start < $1.range.start }
    }

    /// The problems of translating the edited function, on its text as the full analysis reports
    /// them (warnings on the instruction's range, the module's range when no item is found).
    static func translationDiagnostics(of compiled: CompiledFunction, in model: Module, tunables: Tunables,
                                       fallback: TextRange) -> [Diagnostic]? {
        guard let encoded = model.encodedBody(ofFunction: compiled.definedIndex) else { return nil }
        let environment = WasmtimeEnvironment(info: ModuleInfo(model), tunables: tunables)
        let translation = ModuleTranslator.translateFunction(compiled.definedIndex, decoded: encoded.decoded,
                                                             bytes: encoded.bytes, environment: environment)
        return translation.diagnostics.map { problem in
            var mapped = problem
            mapped.range = encoded.decoded.offsets.item(at: problem.range.start).flatMap { compiled.range(of: $0) } ?? fallback
            mapped.severity = .warning
            return mapped
        }
    }

    /// A diagnostic outside the changed text with its related locations moved; nil when one of
    /// them is inside the changed text.
    static func move(_ diagnostic: Diagnostic, by change: Change) -> Diagnostic? {
        var result = diagnostic
        for index in result.related.indices {
            guard let range = change.moved(result.related[index].range) else { return nil }
            result.related[index].range = range
        }
        return result
    }

    /// The smallest changed span between two texts (common prefix and suffix left out); nil when
    /// they are equal.
    static func difference(_ old: [UInt8], _ new: [UInt8]) -> Change? {
        old.withUnsafeBytes { oldBytes in
            new.withUnsafeBytes { newBytes in
                let shorter = min(oldBytes.count, newBytes.count)
                var prefix = 0
                while prefix + 8 <= shorter,
                      oldBytes.loadUnaligned(fromByteOffset: prefix, as: UInt64.self)
                        == newBytes.loadUnaligned(fromByteOffset: prefix, as: UInt64.self) {
                    prefix += 8
                }
                while prefix < shorter && oldBytes[prefix] == newBytes[prefix] { prefix += 1 }
                if prefix == shorter && oldBytes.count == newBytes.count { return nil }
                let limit = shorter - prefix
                var suffix = 0
                while suffix + 8 <= limit,
                      oldBytes.loadUnaligned(fromByteOffset: oldBytes.count - suffix - 8, as: UInt64.self)
                        == newBytes.loadUnaligned(fromByteOffset: newBytes.count - suffix - 8, as: UInt64.self) {
                    suffix += 8
                }
                while suffix < limit && oldBytes[oldBytes.count - suffix - 1] == newBytes[newBytes.count - suffix - 1] {
                    suffix += 1
                }
                return Change(start: prefix, oldEnd: oldBytes.count - suffix, newEnd: newBytes.count - suffix)
            }
        }
    }
}
