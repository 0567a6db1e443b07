import Testing
import SourceText
import TestSupport
import Wasm
import WasmToCLIF
@testable import LanguageServer

/// The generated CLIF keeps the printed text of its largest functions, largest first, within a
/// budget; the others print again on demand. Kept or printed again, a function's text and the
/// lines found for an instruction must be the same.
@Suite struct KeptTextPolicyTests {
    /// Three functions of clearly different body sizes: `$big` > `$mid` > `$small`.
    static func source(bigLoads: Int = 40) -> MarkedSource {
        let big = (0..<bigLoads).map { "    local.get 0 i32.load offset=\($0 * 4) drop" }.joined(separator: "\n")
        let mid = (0..<8).map { "    local.get 0 i32.load offset=\($0 * 4) drop" }.joined(separator: "\n")
        return MarkedSource("""
            (module
              (memory 1)
              (func $small (param i32) (result i32) local.get 0 2️⃣i32.load)
              (func $big (param i32) (result i32)
            \(big)
                local.get 0 1️⃣i32.load offset=8)
              (func $mid (param i32)
            \(mid)))
            """)
    }

    struct Translated {
        var analysis: WATAnalysis
        var generated: GeneratedCLIF
        var cache: TranslationCache
    }

    /// The source analysed, then translated again with `policy` (after `previous`, if given).
    func translate(_ source: MarkedSource, policy: KeptTextPolicy, previous: TranslationCache? = nil, version: Int = 1)
        async throws -> Translated
    {
        let snapshot = DocumentSnapshot(uri: "file:///k.wat", language: .wat, version: version, file: source.sourceFile)
        let analysis = try #require(try await WATService().analyze(snapshot, previous: nil) as? WATAnalysis)
        let compiled = analysis.modules[0].compiled
        let decoded = DecodedModule(module: compiled.module, offsets: compiled.map.offsets)
        let environment = WasmtimeEnvironment(info: ModuleInfo(compiled.module), tunables: Tunables())
        let result = try TranslationCache.translate(decoded, bytes: compiled.bytes, environment: environment, previous: previous,
                                                    policy: policy)
        let generated = GeneratedCLIF(result.functions, decoded: decoded, bytes: compiled.bytes, environment: environment)
        return Translated(analysis: analysis, generated: generated, cache: result.cache)
    }

    static let keepAll = KeptTextPolicy(budget: Int.max, minimumBodySize: 0)

    @Test func theLargestBodiesKeepTheirTextFirstWithinTheBudget() async throws {
        let source = Self.source()
        let all = try await translate(source, policy: Self.keepAll)
        #expect(all.generated.functions.allSatisfy { $0.kept != nil })
        let big = try #require(all.generated.function(definedIndex: 1)?.kept)
        let mid = try #require(all.generated.function(definedIndex: 2)?.kept)
        // Room for `$big` only: `$mid` and `$small` print again on demand.
        let onlyBig = try await translate(source, policy: KeptTextPolicy(budget: big.keptBytes, minimumBodySize: 0))
        #expect(onlyBig.generated.functions.map { $0.kept != nil } == [false, true, false])
        // Room for `$mid` but not `$big`: the next largest that fits is kept.
        let notBig = try await translate(source, policy: KeptTextPolicy(budget: mid.keptBytes, minimumBodySize: 0))
        #expect(notBig.generated.functions.map { $0.kept != nil } == [false, false, true])
        // Bodies below the minimum size are never kept, whatever the budget.
        let none = try await translate(source, policy: KeptTextPolicy(budget: Int.max, minimumBodySize: 1 << 20))
        #expect(none.generated.functions.allSatisfy { $0.kept == nil })
    }

    @Test func keptTextIsWhatPrintingAgainGives() async throws {
        let source = Self.source()
        let kept = try await translate(source, policy: Self.keepAll)
        let printedAgain = try await translate(source, policy: KeptTextPolicy(budget: 0))
        #expect(kept.generated.lineCount == printedAgain.generated.lineCount)
        #expect(kept.generated.text() == printedAgain.generated.text())
        for (function, other) in zip(kept.generated.functions, printedAgain.generated.functions) {
            let fromKept = try #require(kept.generated.printed(function))
            let fromPrinter = try #require(printedAgain.generated.printed(other))
            #expect(fromKept.file.utf8 == fromPrinter.file.utf8 && fromKept.file.firstLine == fromPrinter.file.firstLine)
            #expect(fromKept.lines.map(\.range) == fromPrinter.lines.map(\.range))
        }
        // The CLIF lines of the instruction at each marker: the same from kept and printed-again text.
        for marker in ["1️⃣", "2️⃣"] {
            let found = try #require(kept.analysis.instruction(at: source[marker]))
            func lines(_ translated: Translated) throws -> [String] {
                let entry = try #require(translated.generated.function(forSourceLocation: found.binaryOffset))
                let printed = try #require(translated.generated.printed(entry))
                return printed.lines(forSourceLocation: found.binaryOffset).map { String(printed.file[$0.range]) }
            }
            let fromKept = try lines(kept)
            #expect(!fromKept.isEmpty && fromKept.contains { $0.contains("load.i32") })
            #expect(try fromKept == lines(printedAgain))
            // What hover and definition read: the part of the kept function around the instruction
            // (from an analysis that has not printed the whole function yet).
            let fresh = try await translate(source, policy: Self.keepAll)
            let entry = try #require(fresh.generated.function(forSourceLocation: found.binaryOffset))
            let part = try #require(fresh.generated.printed(entry, around: found.binaryOffset))
            #expect(part.preamble != nil)
            let other = try #require(printedAgain.generated.function(forSourceLocation: found.binaryOffset))
            #expect(entry.kept != nil && other.kept == nil)
            let whole = try #require(printedAgain.generated.printed(other))
            let partLines = part.lines(forSourceLocation: found.binaryOffset)
            let wholeLines = whole.lines(forSourceLocation: found.binaryOffset)
            #expect(partLines.map { String(part.file[$0.range]) } == fromKept)
            #expect(partLines.map { part.file.position(of: $0.range.start, encoding: .utf16) }
                == wholeLines.map { whole.file.position(of: $0.range.start, encoding: .utf16) })
            #expect(part.declarations(usedBy: partLines).map { part.declarationSource[$0] }
                == whole.declarations(usedBy: wholeLines).map { whole.declarationSource[$0] })
        }
    }

    @Test func keptTextOfAMovedBodyIsShiftedAndAnUnmovedOneReused() async throws {
        let before = try await translate(Self.source(), policy: Self.keepAll)
        // One more load in `$big`: `$small` (before it) keeps its place, `$mid` (after it) moves.
        let edited = Self.source(bigLoads: 41)
        let after = try await translate(edited, policy: Self.keepAll, previous: before.cache, version: 2)
        #expect(after.generated.functions.map { $0.kept != nil } == [true, true, true])
        // `$big` was translated again; `$small` reused; `$mid` reused, its `@offset` columns shifted on request.
        let fresh = try await translate(edited, policy: Self.keepAll)
        #expect(after.generated.text() == fresh.generated.text())
        for (function, other) in zip(after.generated.functions, fresh.generated.functions) {
            #expect((function.keptShift == 0) == (function.definedIndex != 2))
            let shifted = try #require(after.generated.printed(function))
            let printed = try #require(fresh.generated.printed(other))
            #expect(shifted.file.utf8 == printed.file.utf8 && shifted.file.firstLine == printed.file.firstLine)
            #expect(shifted.lines.map(\.sourceLocation) == printed.lines.map(\.sourceLocation))
            #expect(shifted.decisions == printed.decisions)
            // The part hover and definition read, shifted in the same way (from an analysis that
            // has not printed the whole function yet).
            let again = try await translate(edited, policy: Self.keepAll, previous: before.cache, version: 3)
            let entry = try #require(again.generated.function(definedIndex: function.definedIndex))
            #expect(entry.kept != nil && entry.keptShift == function.keptShift)
            for offset in printed.lines.map(\.sourceLocation) {
                let part = try #require(again.generated.printed(entry, around: offset))
                #expect(part.preamble != nil)
                let partLines = part.lines(forSourceLocation: offset)
                #expect(partLines.map { String(part.file[$0.range]) }
                    == printed.lines(forSourceLocation: offset).map { String(printed.file[$0.range]) })
                #expect(partLines.map { part.file.position(of: $0.range.start, encoding: .utf16) }
                    == printed.lines(forSourceLocation: offset).map { printed.file.position(of: $0.range.start, encoding: .utf16) })
            }
        }
        let small = try #require(after.generated.function(definedIndex: 0)?.kept)
        let smallBefore = try #require(before.generated.function(definedIndex: 0)?.kept)
        #expect(small.text() == smallBefore.text())
    }
}
