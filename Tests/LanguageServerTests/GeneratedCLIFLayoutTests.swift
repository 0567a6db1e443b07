import Foundation
import Testing
import SourceText
@testable import LanguageServer

/// The generated CLIF keeps no text, only where each function sits in the document: functions
/// printed on demand must land exactly where the whole text has them, and requests at a position
/// read only that function's fragment, with the document's line numbers.
@Suite struct GeneratedCLIFLayoutTests {
    static let module = """
        (module
          (memory 1)
          (func $a (result i32) i32.const 1)
          (func $b (param i32) (result i32) local.get 0 i32.load)
          (func $c (param i32) (result i32)
            block (result i32) local.get 0 i32.const 1 i32.add br 0 end))
        """

    func analysis() async throws -> WATAnalysis {
        let snapshot = DocumentSnapshot(uri: "file:///l.wat", language: .wat, version: 1, file: SourceFile(Self.module))
        return try #require(try await WATService().analyze(snapshot, previous: nil) as? WATAnalysis)
    }

    @Test func functionsPrintedOnDemandSitWhereTheWholeTextHasThem() async throws {
        let generated = try #require(try await analysis().modules[0].generated)
        let whole = SourceFile(utf8: generated.text())
        #expect(whole.lineCount == generated.lineCount)
        #expect(generated.functions.map(\.definedIndex) == [0, 1, 2])
        for function in generated.functions {
            let printed = try #require(generated.printed(function))
            let end = function.firstLine + function.lineCount
            let start = whole.lineStarts[function.firstLine]
            #expect(Array(whole.utf8[start..<whole.lineStarts[end]]) == printed.file.utf8)
            #expect(printed.file.position(of: 0, encoding: .utf16) == Position(line: function.firstLine, character: 0))
            #expect(generated.function(atLine: end - 1)?.definedIndex == function.definedIndex)
            #expect(generated.function(definedIndex: function.definedIndex)?.firstLine == function.firstLine)
        }
        #expect(generated.function(atLine: 0) == nil)
    }

    @Test func aRequestAtAPositionReadsOnlyItsFunction() async throws {
        let source = try await analysis()
        let generated = try #require(source.modules[0].generated)
        let last = try #require(generated.functions.last)
        let uri = GeneratedCLIFDocument.uri(forSource: source.uri)
        let fragment = try #require(GeneratedCLIFAnalysis(uri: uri, source: source, moduleIndex: 0, line: last.firstLine + 2))
        let whole = try #require(GeneratedCLIFAnalysis(uri: uri, source: source, moduleIndex: 0))
        #expect(fragment.file.firstLine == last.firstLine && fragment.file.utf8.count < whole.file.utf8.count)
        // An `iadd` line: found the same way in its function's fragment and in the whole document.
        let text = String(decoding: whole.file.utf8, as: UTF8.self)
        let iadd = try #require(text.range(of: "iadd"))
        let offset = text.utf8.distance(from: text.startIndex, to: iadd.lowerBound)
        let position = whole.file.position(of: offset, encoding: .utf16)
        let inFragment = try #require(GeneratedCLIFAnalysis(uri: uri, source: source, moduleIndex: 0, line: position.line))
        let local = inFragment.file.offset(of: position, encoding: .utf16)
        let hoverWhole = try #require(GeneratedCLIFService().hover(at: offset, in: whole))
        let hoverFragment = try #require(GeneratedCLIFService().hover(at: local, in: inFragment))
        #expect(hoverWhole.markdown == hoverFragment.markdown)
        #expect(whole.file.positionRange(of: hoverWhole.range, encoding: .utf16)
            == inFragment.file.positionRange(of: hoverFragment.range, encoding: .utf16))
        #expect(GeneratedCLIFService().symbols(in: whole).map(\.name).last?.hasPrefix("wasm[0]::function[2]") == true)
    }
}
