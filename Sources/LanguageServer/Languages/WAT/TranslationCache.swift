import CLIF
import SourceText
import Wasm
import WasmToCLIF

/// What is known of function translations from one analysis to the next, so an edit inside one
/// function re-translates only that function. A body is reused when its bytes, its index and
/// everything outside the code section are unchanged; its source locations then only move by how
/// far the body moved in the binary. Translations made with other tunables are never reused.
/// Entries hold no CLIF; only the largest functions keep their printed text, within a budget
/// (`KeptTextPolicy`): the generated document prints the others again when a feature needs them.
public struct TranslationCache: Sendable {
    struct Key: Hashable {
        var definedIndex: Int
        var body: ArraySlice<UInt8>
        var moduleFingerprint: Int
    }

    /// One function's translation as the analysis uses it.
    struct Entry: Sendable {
        var bodyStart: Int
        /// Where the body was when it was translated and printed.
        var printedAt: Int
        /// The printed text's line count, byte count and hash; nil when the function has no CLIF.
        var printed: (lineCount: Int, byteCount: Int, hash: Int)?
        /// Problems, each on the byte range of the instruction in the module binary.
        var diagnostics: [Diagnostic]
        /// The printed text in compact form, kept when printing it again would be slow (large
        /// functions), for the body at `bodyStart - keptShift`.
        var kept: CompactTranslation?
        var keptShift = 0

        /// Changes whenever the function's text does: the text is fixed by the printed one and by
        /// how far the body moved since (which rewrites its `@offset` columns).
        var fingerprint: Int {
            var hasher = Hasher()
            hasher.combine(printed?.hash)
            hasher.combine(bodyStart - printedAt)
            return hasher.finalize()
        }
    }

    var entries: [Key: Entry] = [:]
    /// The settings the entries were translated with.
    var tunables = Tunables()

    public init() {}

    /// Translates every defined function, reusing `previous` where possible, and returns the
    /// translations (in function order) with the cache to keep for next time. Each new
    /// translation is printed once to learn its size; the printed text is kept only for the
    /// functions that are slowest to print again (see `KeptTextPolicy`), the others' is dropped.
    static func translate(_ decoded: DecodedModule, bytes: [UInt8], environment: WasmtimeEnvironment, previous: TranslationCache?,
                          skipping broken: Set<Int> = [], policy: KeptTextPolicy = KeptTextPolicy())
        throws -> (functions: [(index: Int, entry: Entry)], cache: TranslationCache, reused: Int)
    {
        let module = decoded.module
        let bodies = (0..<module.functions.count).map { bodyRange(of: $0, in: decoded, bytes: bytes) }
        let fingerprint = moduleFingerprint(bytes: bytes, bodies: bodies)
        let previous = previous?.tunables == environment.tunables ? previous : nil
        var cache = TranslationCache()
        cache.tunables = environment.tunables
        var translated: [Entry?] = Array(repeating: nil, count: bodies.count)
        var keys: [Key?] = Array(repeating: nil, count: bodies.count)
        var budget = KeptTextPolicy.Budget(policy)
        var reused = 0
        for index in policy.order(bodies: bodies) where !broken.contains(index) {
            try Task.checkCancellation()
            let body = bodies[index]
            let key = Key(definedIndex: index, body: bytes[body], moduleFingerprint: fingerprint)
            var entry: Entry
            if let old = previous?.entries[key] {
                entry = shifted(old, by: body.lowerBound - old.bodyStart)
                // A moved body's kept text is shifted when a request reads it, not here.
                if let kept = entry.kept, !budget.take(kept.keptBytes, bodySize: body.count) {
                    entry.kept = nil
                    entry.keptShift = 0
                }
                reused += 1
            } else {
                let translation = ModuleTranslator.translateFunction(index, decoded: decoded, bytes: bytes, environment: environment)
                entry = Entry(bodyStart: body.lowerBound, printedAt: body.lowerBound, printed: nil, diagnostics: translation.diagnostics)
                if let text = PrintedTranslation.printedText(translation) {
                    var hasher = Hasher()
                    hasher.combine(text)
                    let lineCount = text.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
                    entry.printed = (lineCount, text.count, hasher.finalize())
                    if budget.mayFit(textBytes: text.count, bodySize: body.count) {
                        let compact = CompactTranslation(definedIndex: index, text: text, decisions: translation.decisions)
                        if budget.take(compact.keptBytes, bodySize: body.count) { entry.kept = compact }
                    }
                }
            }
            entry.bodyStart = body.lowerBound
            translated[index] = entry
            keys[index] = key
        }
        var functions: [(index: Int, entry: Entry)] = []
        functions.reserveCapacity(bodies.count)
        for index in bodies.indices {
            guard let entry = translated[index], let key = keys[index] else { continue }
            cache.entries[key] = entry
            functions.append((index, entry))
        }
        return (functions, cache, reused)
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
        result.bodyStart += delta
        result.keptShift += delta
        result.diagnostics = entry.diagnostics.map { diagnostic in
            var moved = diagnostic
            moved.range = TextRange(start: diagnostic.range.start + delta, end: diagnostic.range.end + delta)
            return moved
        }
        return result
    }
}
