import Testing
@testable import SourceText

/// `SourceFile.replacing(_:with:)` gives the file that reading the edited bytes from scratch gives.
@Suite struct SourceFileEditTests {
    static let texts = [
        "", "a", "\n", "\r", "\r\n", "line one\nline two\r\nline three\rline four\n",
        "é\nü\r\n€ 𝄞\n\n\r\r\n x", "(module\n  (func $f\n    nop))\n",
    ]
    static let replacements = ["", "x", "\n", "\r", "\r\n", "\n\r", "é\n", "ab\ncd\r\nef", "\r\r\n\n"]

    @Test func everyEditMatchesAFreshFile() {
        var checked = 0
        for text in Self.texts {
            let file = SourceFile(text)
            let count = file.utf8.count
            for start in 0...count {
                for end in start...min(count, start + 3) {
                    for replacement in Self.replacements {
                        let range = TextRange(start: start, end: end)
                        guard let edited = file.replacing(range, with: replacement) else {
                            // Only ranges that split a scalar are refused.
                            let splits = [start, end].contains { $0 < count && file.utf8[$0] & 0xC0 == 0x80 }
                            #expect(splits, "\(text.debugDescription) \(range) refused")
                            continue
                        }
                        let fresh = SourceFile(utf8: Array(file.utf8[..<start]) + Array(replacement.utf8) + Array(file.utf8[end...]))
                        #expect(edited.utf8 == fresh.utf8)
                        #expect(edited.text == fresh.text)
                        #expect(Array(edited.lineStarts) == Array(fresh.lineStarts),
                                "\(text.debugDescription) \(range) ← \(replacement.debugDescription)")
                        checked += 1
                    }
                }
            }
        }
        #expect(checked > 1000)
    }

    @Test func rangedChangesUseIt() {
        let file = SourceFile("a\nb\nc")
        let changed = file.applying([ContentChange(range: PositionRange(start: Position(line: 1, character: 0),
                                                                        end: Position(line: 1, character: 1)),
                                                   text: "x\ny")], encoding: .utf16)
        #expect(changed.text == "a\nx\ny\nc")
        #expect(Array(changed.lineStarts) == [0, 2, 4, 6])
    }
}
