import Testing
import SourceText
import TestSupport

@Suite struct PositionConversionTests {
    // "é" is 2 UTF-8 bytes / 1 UTF-16 unit; "😀" is 4 bytes / 2 units / 1 scalar.
    let source = MarkedSource("a1️⃣é2️⃣😀3️⃣b\nsecond 4️⃣line\r\n5️⃣crlf\r6️⃣cr")

    @Test(arguments: [
        ("1️⃣", PositionEncoding.utf8, 1), ("1️⃣", .utf16, 1), ("1️⃣", .utf32, 1),
        ("2️⃣", .utf8, 3), ("2️⃣", .utf16, 2), ("2️⃣", .utf32, 2),
        ("3️⃣", .utf8, 7), ("3️⃣", .utf16, 4), ("3️⃣", .utf32, 3),
    ])
    func characterOffsetsPerEncoding(marker: String, encoding: PositionEncoding, character: Int) {
        let file = source.sourceFile
        let position = file.position(of: source[marker], encoding: encoding)
        #expect(position == Position(line: 0, character: character))
        #expect(file.offset(of: position, encoding: encoding) == source[marker])
    }

    @Test func linesEndAtLFCRLFAndCR() {
        let file = source.sourceFile
        #expect(file.lineCount == 4)
        #expect(file.position(of: source["4️⃣"], encoding: .utf16) == Position(line: 1, character: 7))
        #expect(file.position(of: source["5️⃣"], encoding: .utf16) == Position(line: 2, character: 0))
        #expect(file.position(of: source["6️⃣"], encoding: .utf16) == Position(line: 3, character: 0))
        #expect(file.contentRange(ofLine: 1).length == "second line".utf8.count)
    }

    @Test func positionsPastLineEndClampToContentEnd() {
        let file = source.sourceFile
        let end = file.contentRange(ofLine: 1).end
        #expect(file.offset(of: Position(line: 1, character: 500), encoding: .utf16) == end)
        #expect(file.offset(of: Position(line: 99, character: 0), encoding: .utf16) == file.utf8.count)
        #expect(file.offset(of: Position(line: -1, character: 4), encoding: .utf16) == 0)
    }

    @Test func positionInsideSurrogatePairRoundsToScalarStart() {
        let file = source.sourceFile
        #expect(file.offset(of: Position(line: 0, character: 3), encoding: .utf16) == source["2️⃣"])
        #expect(file.position(of: source["2️⃣"] + 2, encoding: .utf16) == Position(line: 0, character: 2))
    }

    @Test func emptyFileAndTrailingNewline() {
        let empty = SourceFile("")
        #expect(empty.lineCount == 1)
        #expect(empty.position(of: 0, encoding: .utf16) == Position(line: 0, character: 0))
        let trailing = SourceFile("x\n")
        #expect(trailing.lineCount == 2)
        #expect(trailing.position(of: 2, encoding: .utf8) == Position(line: 1, character: 0))
    }

    @Test func negotiation() {
        #expect(PositionEncoding.negotiate(clientOffers: nil) == .utf16)
        #expect(PositionEncoding.negotiate(clientOffers: []) == .utf16)
        #expect(PositionEncoding.negotiate(clientOffers: ["utf-16", "utf-8"]) == .utf8)
        #expect(PositionEncoding.negotiate(clientOffers: ["utf-32", "utf-16"]) == .utf32)
        #expect(PositionEncoding.negotiate(clientOffers: ["latin-1"]) == .utf16)
    }

    @Test func humanLocationCountsScalars() {
        let file = source.sourceFile
        #expect(file.humanLocation(of: source["3️⃣"]) == (1, 4))
        #expect(file.humanLocation(of: source["4️⃣"]) == (2, 8))
    }

    @Test func invalidUTF8IsRepaired() {
        let file = SourceFile(utf8: [0x61, 0xFF, 0x62])
        #expect(file.text == "a\u{FFFD}b")
        #expect(file.utf8.count == 5)
    }
}

@Suite struct ContentChangeTests {
    @Test func incrementalEditsApplyInOrder() {
        let file = SourceFile("(module\n  (func))\n")
        let edited = file.applying([
            ContentChange(range: PositionRange(start: Position(line: 1, character: 7), end: Position(line: 1, character: 7)),
                          text: " $f"),
            ContentChange(range: PositionRange(start: Position(line: 0, character: 1), end: Position(line: 0, character: 7)),
                          text: "MODULE"),
        ], encoding: .utf16)
        #expect(edited.text == "(MODULE\n  (func $f))\n")
    }

    @Test func fullReplacement() {
        let file = SourceFile("old")
        #expect(file.applying([ContentChange(range: nil, text: "new\ntext")], encoding: .utf16).text == "new\ntext")
    }

    @Test func editAtLineEndAndAcrossCRLF() {
        let file = SourceFile("ab\r\ncd")
        let joinLines = ContentChange(
            range: PositionRange(start: Position(line: 0, character: 2), end: Position(line: 1, character: 0)), text: "")
        #expect(file.applying([joinLines], encoding: .utf16).text == "abcd")
        let append = ContentChange(
            range: PositionRange(start: Position(line: 0, character: 99), end: Position(line: 0, character: 99)), text: "!")
        #expect(file.applying([append], encoding: .utf16).text == "ab!\r\ncd")
    }

    @Test func editsCountUTF16UnitsOfAstralCharacters() {
        let file = SourceFile("😀x😀")
        let change = ContentChange(
            range: PositionRange(start: Position(line: 0, character: 2), end: Position(line: 0, character: 3)), text: "y")
        #expect(file.applying([change], encoding: .utf16).text == "😀y😀")
        #expect(file.applying([ContentChange(
            range: PositionRange(start: Position(line: 0, character: 1), end: Position(line: 0, character: 2)), text: "y")],
            encoding: .utf32).text == "😀y😀")
    }

    @Test func invertedRangeIsTreatedAsInsertion() {
        let file = SourceFile("abc")
        let change = ContentChange(
            range: PositionRange(start: Position(line: 0, character: 2), end: Position(line: 0, character: 1)), text: "X")
        #expect(file.applying([change], encoding: .utf8).text == "abXc")
    }
}

@Suite struct DiagnosticFormattingTests {
    @Test func commandLineForm() {
        let source = MarkedSource("(module\n  (func 1️⃣oops2️⃣))")
        let diagnostic = Diagnostic.error("unexpected token", at: source.range("1️⃣", "2️⃣"), code: "wat-syntax",
                                          related: [RelatedLocation(range: TextRange(at: 1), message: "module starts here")])
        #expect(diagnostic.formatted(path: "a.wat", in: source.sourceFile)
            == "a.wat:2:9: error: unexpected token [wat-syntax]\na.wat:1:2: note: module starts here")
    }
}
