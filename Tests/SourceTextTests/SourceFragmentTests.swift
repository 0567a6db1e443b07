import Testing
import SourceText
import TestSupport

/// A file that is a fragment of a larger document (one function of generated CLIF): offsets are
/// the fragment's, editor positions the document's.
@Suite struct SourceFragmentTests {
    let source = MarkedSource("function 1️⃣%f() {\nblock0:\n    2️⃣return\n}\n")

    @Test func positionsCountTheDocumentsLines() {
        let fragment = SourceFile(utf8: source.sourceFile.utf8, firstLine: 40)
        #expect(fragment.position(of: source["1️⃣"], encoding: .utf16) == Position(line: 40, character: 9))
        #expect(fragment.position(of: source["2️⃣"], encoding: .utf16) == Position(line: 42, character: 4))
        #expect(fragment.offset(of: Position(line: 42, character: 4), encoding: .utf16) == source["2️⃣"])
        #expect(fragment.humanLocation(of: source["2️⃣"]) == (line: 43, column: 5))
    }

    @Test func positionsOutsideTheFragmentClampToItsEnds() {
        let fragment = SourceFile(utf8: source.sourceFile.utf8, firstLine: 40)
        #expect(fragment.offset(of: Position(line: 3, character: 2), encoding: .utf16) == 0)
        #expect(fragment.offset(of: Position(line: 400, character: 0), encoding: .utf16) == fragment.utf8.count)
        #expect(fragment.line(containing: source["2️⃣"]) == 2)
    }

    @Test func textIsDecodedFromTheBytesAndInvalidBytesAreRepaired() {
        let file = SourceFile(utf8: [0x61, 0xFF, 0x0A, 0x62])
        #expect(file.text == "a\u{FFFD}\nb")
        #expect(file.utf8.count == 6)
        #expect(file.lineStarts.map { $0 } == [0, 5])
        #expect(String(file[file.contentRange(ofLine: 1)]) == "b")
    }
}
