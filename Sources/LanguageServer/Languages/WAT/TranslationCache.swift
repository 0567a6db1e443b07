import CLIF
import SourceText
import Wasm
import WasmToCLIF

/// Translations of function bodies kept from one analysis to the next, so an edit inside one
/// function re-translates only that function. A body is reused when its bytes, its index and
/// everything outside the code section are unchanged; its source locations are then shifted by
/// how far the body moved in the binary. Translations made with other tunables are never reused.
public struct TranslationCache: Sendable {
    struct Key: Hashable {
        var definedIndex: Int
        var body: ArraySlice<UInt8>
        var moduleFingerprint: Int
    }

    struct Entry {
        var bodyStart: Int
        var translation: TranslatedFunction
    }

    var entries: [Key: Entry] = [:]
    /// The settings the entries were translated with.
    var tunables = Tunables()

    public init() {}

    /// Translates every defined function, reusing `previous` where possible, and returns the
    /// translations with the cache to keep for next time.
    static func translate(_ decoded: DecodedModule, bytes: [UInt8], tunables: Tunables, previous: TranslationCache?,
                          skipping broken: Set<Int> = []) throws -> (functions: [TranslatedFunction], cache: TranslationCache, reused: Int) {
        let module = decoded.module
        let bodies = (0..<module.functions.count).map { bodyRange(of: $0, in: decoded, bytes: bytes) }
        let fingerprint = moduleFingerprint(bytes: bytes, bodies: bodies)
        let environment = WasmtimeEnvironment(info: ModuleInfo(module), tunables: tunables)
        var cache = TranslationCache()
        cache.tunables = tunables
        let previous = previous?.tunables == tunables ? previous : nil
        var functions: [TranslatedFunction] = []
        var reused = 0
        for index in module.functions.indices where !broken.contains(index) {
            try Task.checkCancellation()
            let body = bodies[index]
            let key = Key(definedIndex: index, body: bytes[body], moduleFingerprint: fingerprint)
            var translation: TranslatedFunction
            if let old = previous?.entries[key] {
                translation = shifted(old.translation, by: body.lowerBound - old.bodyStart)
                reused += 1
            } else {
                translation = ModuleTranslator.translateFunction(index, decoded: decoded, bytes: bytes, environment: environment)
            }
            cache.entries[key] = Entry(bodyStart: body.lowerBound, translation: translation)
            functions.append(translation)
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

    static func shifted(_ translation: TranslatedFunction, by delta: Int) -> TranslatedFunction {
        guard delta != 0 else { return translation }
        var result = translation
        if var function = result.function {
            for blockIndex in function.blocks.indices {
                for index in function.blocks[blockIndex].instructions.indices {
                    if let location = function.blocks[blockIndex].instructions[index].sourceLocation {
                        function.blocks[blockIndex].instructions[index].sourceLocation = UInt32(Int(location) + delta)
                    }
                }
            }
            result.function = function
        }
        result.decisions = result.decisions.map { RuntimeDecision(offset: $0.offset + delta, kind: $0.kind) }
        result.diagnostics = result.diagnostics.map { diagnostic in
            var moved = diagnostic
            moved.range = TextRange(start: diagnostic.range.start + delta, end: diagnostic.range.end + delta)
            return moved
        }
        return result
    }
}
