import Testing
import SourceText
import TestSupport
@testable import LanguageServer

/// The WAT analysis pipeline: compile → validate → translate, with translations reused per function.
@Suite struct WATServiceTests {
    func snapshot(_ text: String, version: Int) -> DocumentSnapshot {
        DocumentSnapshot(uri: "file:///s.wat", language: .wat, version: version, file: SourceFile(text))
    }

    func documentText(_ analysis: WATAnalysis) -> String? {
        analysis.modules[0].generated.map { String(decoding: $0.text(), as: UTF8.self) }
    }

    /// Each function's first line and line count in the generated document.
    func layout(_ analysis: WATAnalysis) -> [[Int]] {
        analysis.modules[0].generated?.functions.map { [$0.definedIndex, $0.firstLine, $0.lineCount] } ?? []
    }

    static let module = """
        (module
          (memory 1)
          (func $a (result i32) i32.const 1)
          (func $b (param i32) (result i32) local.get 0 i32.load)
          (func $c (result i32) i32.const 3))
        """

    @Test func anEditInsideOneFunctionRetranslatesOnlyIt() async throws {
        let service = WATService()
        let first = try #require(try await service.analyze(snapshot(Self.module, version: 1), previous: nil) as? WATAnalysis)
        #expect(first.translatedCount == 3 && first.reusedCount == 0)
        let edited = Self.module.replacingOccurrences(of: "i32.const 1)", with: "i32.const 100000)")
        let second = try #require(try await service.analyze(snapshot(edited, version: 2), previous: first) as? WATAnalysis)
        #expect(second.translatedCount == 1 && second.reusedCount == 2)
        // The reused functions' source locations moved with their bodies: they match a fresh translation.
        let fresh = try #require(try await service.analyze(snapshot(edited, version: 2), previous: nil) as? WATAnalysis)
        #expect(documentText(second) == documentText(fresh))
        #expect(layout(second) == layout(fresh))
    }

    /// A reused function whose offsets grow from four to five hex digits is rewritten in place.
    @Test func reusedFunctionsCrossingOffset0x10000MatchAFreshTranslation() async throws {
        func module(_ repetitions: Int) -> String {
            "(module (memory 1)\n(func $a\n" + String(repeating: "i32.const 1\ndrop\n", count: repetitions)
                + ")\n(func $b (param i32) (result i32) local.get 0 i32.load))"
        }
        let service = WATService()
        func locationOfB(_ text: String) async throws -> Int? {
            let analysis = try await service.analyze(snapshot(text, version: 1), previous: nil) as? WATAnalysis
            guard let generated = analysis?.modules[0].generated, let b = generated.functions.last else { return nil }
            return generated.printed(b)?.lines.first?.sourceLocation
        }
        let probe = try #require(try await locationOfB(module(20_000)))
        // Each repetition adds three bytes; put $b just below 0x10000, then push it over.
        let text = module(20_000 + (0xFFF0 - probe) / 3)
        let first = try #require(try await service.analyze(snapshot(text, version: 1), previous: nil) as? WATAnalysis)
        #expect(try await locationOfB(text).map { $0 < 0x10000 } == true)
        let edited = text.replacingOccurrences(of: "(func $a\n", with: "(func $a\n" + String(repeating: "i32.const 1\ndrop\n", count: 40))
        let second = try #require(try await service.analyze(snapshot(edited, version: 2), previous: first) as? WATAnalysis)
        #expect(second.reusedCount == 1)
        let fresh = try #require(try await service.analyze(snapshot(edited, version: 2), previous: nil) as? WATAnalysis)
        #expect(try await locationOfB(edited).map { $0 >= 0x10000 } == true)
        #expect(documentText(second) == documentText(fresh))
        #expect(layout(second) == layout(fresh))
    }

    @Test func aBrokenFunctionLeavesTheOthersTranslated() async throws {
        let broken = Self.module.replacingOccurrences(of: "i32.const 3", with: "call $missing")
        let analysis = try #require(try await WATService().analyze(snapshot(broken, version: 1), previous: nil) as? WATAnalysis)
        #expect(analysis.diagnostics.contains { $0.message.contains("$missing") })
        #expect(analysis.modules[0].generated?.functions.map(\.definedIndex) == [0, 1])
    }

    @Test func diagnosticsAreReportedBeforeTranslation() async throws {
        let broken = Self.module.replacingOccurrences(of: "i32.const 3", with: "call $missing")
        let reports = Reports()
        let final = try await WATService().analyze(snapshot(broken, version: 1), previous: nil) { preliminary in
            await reports.add(preliminary)
        }
        let preliminary = await reports.all
        #expect(preliminary.count == 1)
        #expect(preliminary.first?.diagnostics.map(\.message) == final.diagnostics.map(\.message))
        #expect((preliminary.first as? WATAnalysis)?.modules.isEmpty == true)
    }
}

/// Collects preliminary analyses handed out by a service.
actor Reports {
    var all: [any DocumentAnalysis] = []
    func add(_ analysis: any DocumentAnalysis) { all.append(analysis) }
}
