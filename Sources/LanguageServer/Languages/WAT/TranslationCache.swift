import CLIF
import SourceText
import Wasm
import WasmToCLIF

/// Translations of function bodies kept from one analysis to the next, so an edit inside one
/// function re-translates (and re-prints) only that function. A body is reused when its bytes, its
/// index and everything outside the code section are unchanged; its source locations are then
/// shifted by how far the body moved in the binary. Translations made with other tunables are
/// never reused. Entries hold printed text, not CLIF functions: once the generated document is
/// built, only their place in it.
public struct TranslationCache: Sendable {
    struct Key: Hashable {
        var definedIndex: Int
        var body: ArraySlice<UInt8>
        var moduleFingerprint: Int
    }

    /// One function's translation as the analysis uses it.
    struct Entry: Sendable {
        var bodyStart: Int
        /// The printed translation until the generated document holds it; nil when the function
        /// could not be translated at all or when `documentFunction` says where it is.
        var printed: PrintedTranslation?
        /// Its index among `document`'s functions, once rebased.
        var documentFunction: Int?
        /// Problems, each on the byte range of the instruction in the module binary.
        var diagnostics: [Diagnostic]
    }

    var entries: [Key: Entry] = [:]
    /// The generated document the rebased entries are in.
    var document: GeneratedCLIF?
    /// The settings the entries were translated with.
    var tunables = Tunables()

    public init() {}

    /// Translates every defined function, reusing `previous` where possible, and returns the
    /// translations (in function order) with the cache to keep for next time.
    static func translate(_ decoded: DecodedModule, bytes: [UInt8], tunables: Tunables, previous: TranslationCache?,
                          skipping broken: Set<Int> = []) throws -> (functions: [Entry], cache: TranslationCache, reused: Int) {
        let module = decoded.module
        let bodies = (0..<module.functions.count).map { bodyRange(of: $0, in: decoded, bytes: bytes) }
        let fingerprint = moduleFingerprint(bytes: bytes, bodies: bodies)
        let environment = WasmtimeEnvironment(info: ModuleInfo(module), tunables: tunables)
        let previous = previous?.tunables == tunables ? previous : nil
        var cache = TranslationCache()
        cache.tunables = tunables
        var functions: [Entry] = []
        var reused = 0
        for index in module.functions.indices where !broken.contains(index) {
            try Task.checkCancellation()
            let body = bodies[index]
            let key = Key(definedIndex: index, body: bytes[body], moduleFingerprint: fingerprint)
            var entry: Entry
            if var old = previous?.entries[key] {
                if let function = old.documentFunction, let document = previous?.document {
                    old.printed = document.printed(document.functions[function])
                    old.documentFunction = nil
                }
                entry = shifted(old, by: body.lowerBound - old.bodyStart)
                reused += 1
            } else {
                let translation = ModuleTranslator.translateFunction(index, decoded: decoded, bytes: bytes, environment: environment)
                entry = Entry(bodyStart: body.lowerBound, printed: PrintedTranslation(translation), diagnostics: translation.diagnostics)
            }
            entry.bodyStart = body.lowerBound
            cache.entries[key] = entry
            functions.append(entry)
        }
        return (functions, cache, reused)
    }

    /// Keeps only each entry's place in the generated document built from them, so that neither
    /// the previous version's texts nor a second copy of the line index stay in memory.
    mutating func rebase(onto generated: GeneratedCLIF) {
        var byIndex: [Int: Int] = [:]
        for (position, function) in generated.functions.enumerated() { byIndex[function.definedIndex] = position }
        for (key, entry) in entries {
            guard let position = byIndex[key.definedIndex], entry.printed != nil else { continue }
            entries[key]?.printed = nil
            entries[key]?.documentFunction = position
        }
        document = generated
    }

    /// The bytes of a function body, size field included.
    static func bodyRange(of index: Int, in decoded: DecodedModule, bytes: [UInt8]) -> Range<Int> {
        guard let start = decoded.offsets.offset(of: .functionBody(index)), start < bytes.count else { return 0..<0 }
        var size = 0
        var shift = 0
        var cursor = start
        while cursor < bytes.count {
            let byte = bytes[cursor]
            size |= Int(byte & 0x7F) << shift
            cursor += 1
            if byte & 0x80 == 0 || shift > 28 { break }
            shift += 7
        }
        return start..<min(bytes.count, cursor + size)
    }

    /// A hash of everything outside the function bodies and the code section's header.
    static func moduleFingerprint(bytes: [UInt8], bodies: [Range<Int>]) -> Int {
        var hasher = Hasher()
        guard let first = bodies.first(where: { !$0.isEmpty }), let last = bodies.last(where: { !$0.isEmpty }) else {
            hasher.combine(bytes)
            return hasher.finalize()
        }
        // The code section's id, size and count sit just before the first body; they change with
        // every edit, so they are left out (the function section already fixes the count).
        var codeStart = first.lowerBound
        while codeStart > 0 && bytes[codeStart - 1] != SectionID.code.rawValue { codeStart -= 1 }
        hasher.combine(bytes[0..<max(0, codeStart - 1)])
        hasher.combine(bytes[last.upperBound...])
        return hasher.finalize()
    }

    static func shifted(_ entry: Entry, by delta: Int) -> Entry {
        guard delta != 0 else { return entry }
        var result = entry
        result.printed = entry.printed?.shifted(by: delta)
        result.diagnostics = entry.diagnostics.map { diagnostic in
            var moved = diagnostic
            moved.range = TextRange(start: diagnostic.range.start + delta, end: diagnostic.range.end + delta)
            return moved
        }
        return result
    }
}
