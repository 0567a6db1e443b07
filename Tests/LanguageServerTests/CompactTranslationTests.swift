import Foundation
import Testing
import SourceText
import TestSupport
import Wasm
import WasmToCLIF
@testable import LanguageServer

/// A kept function in compact form expands to exactly what printing it again gives: its text,
/// its located lines (found again by scanning), its declarations and its decisions.
@Suite struct CompactTranslationTests {
    static func lineFacts(_ lines: [PrintedTranslation.Line]) -> [[Int]] {
        lines.map { [$0.range.start, $0.range.end, $0.sourceLocation] }
    }

    /// What a request about the instruction at `offset` shows from `printed`: its lines with
    /// their document positions, the declarations they use and the decisions.
    static func requestFacts(_ printed: PrintedTranslation, offset: Int) -> [String] {
        let lines = printed.lines(forSourceLocation: offset)
        return lines.map { "\(printed.file.position(of: $0.range.start, encoding: .utf8)) \(printed.file[$0.range])" }
            + printed.declarations(usedBy: lines).map { String(printed.declarationSource[$0]) }
            + printed.decisions(forSourceLocation: offset).map(\.explanation)
    }

    /// For every source location of `printed` (and one that has no line): the parts a request
    /// reads of `compact` show the same lines, declarations and decisions as the whole function.
    static func partsAgree(_ compact: CompactTranslation, with printed: PrintedTranslation) -> Bool {
        let all = Array(Set(printed.lines.map(\.sourceLocation) + printed.decisions.map(\.offset) + [0])).sorted()
        // At most 24 of them, spread over the function (debug builds are slow).
        let offsets = stride(from: 0, to: all.count, by: max(1, all.count / 24)).map { all[$0] }
        return offsets.allSatisfy { offset in
            guard let part = compact.partial(around: offset, firstLine: printed.file.firstLine) else { return false }
            return requestFacts(part, offset: offset) == requestFacts(printed, offset: offset)
        }
    }

    /// Every function of `bytes` printed and compacted: the mismatches, and how many were checked.
    static func compare(module bytes: [UInt8], shift: Int = 0) throws -> (checked: Int, mismatches: [Int]) {
        let decoded = try Module.decode(bytes)
        let environment = WasmtimeEnvironment(info: ModuleInfo(decoded.module), tunables: Tunables())
        var checked = 0
        var mismatches: [Int] = []
        for index in decoded.module.functions.indices {
            let translation = ModuleTranslator.translateFunction(index, decoded: decoded, bytes: bytes, environment: environment)
            guard let printed = PrintedTranslation(translation, firstLine: 40) else { continue }
            checked += 1
            let compact = CompactTranslation(definedIndex: index, text: printed.file.utf8, decisions: translation.decisions)
            guard let expanded = compact.expanded(firstLine: 40, shift: 0),
                  expanded.file.utf8 == printed.file.utf8, expanded.file.firstLine == 40,
                  lineFacts(expanded.lines) == lineFacts(printed.lines),
                  expanded.declarations == printed.declarations, expanded.decisions == printed.decisions,
                  compact.text(shiftedBy: 0) == printed.file.utf8,
                  partsAgree(compact, with: printed),
                  // Small chunks: many parts, and lines of one instruction across chunk ends.
                  case let chunked = CompactTranslation(definedIndex: index, text: printed.file.utf8, decisions: translation.decisions,
                                                        chunkSize: 200),
                  chunked.text() == printed.file.utf8, partsAgree(chunked, with: printed) else {
                mismatches.append(index)
                continue
            }
        }
        return (checked, mismatches)
    }

    /// The binary of the source's first module, as the language service compiles it.
    static func compiled(_ source: MarkedSource) async throws -> [UInt8] {
        let snapshot = DocumentSnapshot(uri: "file:///c.wat", language: .wat, version: 1, file: source.sourceFile)
        let analysis = try #require(try await WATService().analyze(snapshot, previous: nil) as? WATAnalysis)
        #expect(analysis.diagnostics.isEmpty)
        return analysis.modules[0].compiled.bytes
    }

    @Test func expandsToWhatPrintingGivesForAModuleWithLoadsAndCalls() async throws {
        let source = MarkedSource("""
            (module
              (memory 1)
              (table 2 funcref)
              (type $t (func (param i32) (result i32)))
              (func $a (param i32) (result i32)
                local.get 0 i32.load offset=8
                local.get 0 local.get 0 call_indirect (type $t)
                i32.add)
              (func $b (param i32) (result i32) local.get 0 call $a))
            """)
        let result = try Self.compare(module: try await Self.compiled(source))
        #expect(result.checked == 2 && result.mismatches.isEmpty)
    }

    @Test func shiftedExpansionEqualsAMovedPrintedText() async throws {
        let source = MarkedSource("""
            (module
              (memory 1)
              (func $a (param i32) (result i32) local.get 0 i32.load offset=8 local.get 0 i32.load i32.add))
            """)
        let bytes = try await Self.compiled(source)
        let decoded = try Module.decode(bytes)
        let environment = WasmtimeEnvironment(info: ModuleInfo(decoded.module), tunables: Tunables())
        let translation = ModuleTranslator.translateFunction(0, decoded: decoded, bytes: bytes, environment: environment)
        let printed = try #require(PrintedTranslation(translation, firstLine: 3))
        let compact = CompactTranslation(definedIndex: 0, text: printed.file.utf8, decisions: translation.decisions)
        let moved = try #require(printed.moved(by: 5))
        let expanded = try #require(compact.expanded(firstLine: 3, shift: 5))
        #expect(expanded.file.utf8 == moved.file.utf8)
        #expect(Self.lineFacts(expanded.lines) == Self.lineFacts(moved.lines))
        #expect(expanded.decisions == moved.decisions && !expanded.decisions.isEmpty)
        #expect(compact.text(shiftedBy: 5) == moved.file.utf8)
        // The parts a request reads, shifted, show what the moved function shows.
        for offset in Set(moved.lines.map(\.sourceLocation) + [0]) {
            let part = try #require(compact.partial(around: offset, firstLine: 3, shift: 5))
            #expect(Self.requestFacts(part, offset: offset) == Self.requestFacts(moved, offset: offset))
            let chunked = CompactTranslation(definedIndex: 0, text: printed.file.utf8, decisions: translation.decisions, chunkSize: 100)
            let smallPart = try #require(chunked.partial(around: offset, firstLine: 3, shift: 5))
            #expect(Self.requestFacts(smallPart, offset: offset) == Self.requestFacts(moved, offset: offset))
        }
        let located = try #require(printed.lines.first?.sourceLocation)
        #expect(compact.partial(around: located + 0x10000, firstLine: 3, shift: 0x10000) == nil)
        #expect(expanded.file.utf8 != printed.file.utf8)
        // A shift that would change an offset's digit count cannot keep the layout.
        #expect(compact.expanded(firstLine: 3, shift: 0x10000) == nil)
        #expect(compact.text(shiftedBy: 0x10000) == nil)
    }

    @Test func decisionsRoundTripInAnyOrder() {
        let kinds: [RuntimeDecision.Kind] = [
            .memoryAccess(memory: 0, check: .coveredByReservationAndGuard(reservation: 1 << 32, guardSize: 1 << 31), spectreGuard: false),
            .tableAccess(table: 1, spectreGuard: true, lazyInit: true),
            .signatureCheck(type: 7),
        ]
        let decisions = [900, 12, 12, 70_000, 0, 1 << 40].enumerated().map { RuntimeDecision(offset: $1, kind: kinds[$0 % kinds.count]) }
        let packed = CompactDecisions(decisions)
        #expect(packed.decoded() == decisions)
        #expect(packed.kinds.count == kinds.count)
        #expect(CompactDecisions([]).decoded().isEmpty)
    }

    /// Real-world modules: every function's located lines, found again by scanning its text, are
    /// the printer's.
    @Test func realWorldFunctionsExpandToTheirPrintedText() throws {
        guard let corpus = TestEnvironment.corpus else {
            print("compact translation: skipped, no corpus")
            return
        }
        for name in ["emcc-olm", "tinygo-eu-licence-core"] {
            guard let data = FileManager.default.contents(atPath: corpus + "/realworld/\(name).wasm") else {
                print("compact translation: skipped \(name), not in the corpus")
                continue
            }
            let result = try Self.compare(module: [UInt8](data))
            print("compact translation: \(name) \(result.checked - result.mismatches.count)/\(result.checked) functions")
            #expect(result.checked > 0 && result.mismatches.isEmpty, "functions \(result.mismatches.prefix(10))")
        }
    }
}
