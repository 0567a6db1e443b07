import SourceText
import TestSupport
import Testing
@testable import WAT

@Suite struct LexerTests {
    func kinds(_ text: String) -> [TokenKind] {
        Lexer.tokenize(Array(text.utf8)).tokens.map(\.kind)
    }

    @Test func classifiesTokens() {
        #expect(kinds("(module $m i32.add offset=4 \"s\" $\"q d\")") == [
            .leftParen, .keyword, .identifier, .keyword, .keyword, .string, .identifier, .rightParen, .endOfFile,
        ])
    }

    @Test func numbersOfEverySyntax() {
        for integer in ["0", "-1", "+7", "0x1F", "1_000", "0xdead_beef"] {
            #expect(kinds(integer) == [.integer, .endOfFile], "\(integer)")
        }
        for float in ["1.5", "-0.5e10", "1e-3", "0x1.8p3", "0x1p-2", "inf", "-inf", "nan", "nan:0x7f_ffff", "1.", "0x1.", "1_0.0_1"] {
            #expect(kinds(float) == [.float, .endOfFile], "\(float)")
        }
        for reserved in ["1_", "0x", "1__0", "0x1p", "1e", "$", "1x", "-nan:0x"] {
            #expect(kinds(reserved) == [.reserved, .endOfFile], "\(reserved)")
        }
    }

    @Test func floatValues() {
        func f32(_ text: String) -> UInt32? { try? NumberSyntax.float32Bits(Array(text.utf8), 0, text.utf8.count).get() }
        func f64(_ text: String) -> UInt64? { try? NumberSyntax.float64Bits(Array(text.utf8), 0, text.utf8.count).get() }
        #expect(f32("1.5") == Float(1.5).bitPattern)
        #expect(f32("0x1.8p1") == Float(3).bitPattern)
        #expect(f32("nan") == 0x7fc0_0000)
        #expect(f32("-nan:0x1") == 0xff80_0001)
        #expect(f32("inf") == 0x7f80_0000)
        #expect(f32("0x1p128") == nil)
        #expect(f32("nan:0x80_0000") == nil)
        #expect(f64("nan:0xf_ffff_ffff_ffff") == 0x7fff_ffff_ffff_ffff)
        #expect(f64("1_000.000_1") == Double(1000.0001).bitPattern)
    }

    @Test func stringEscapes() {
        let text = #""a\t\n\r\"\'\\\41\u{1F600}""#
        let bytes = Array(text.utf8)
        let value = StringLiteral.value(bytes, 0, bytes.count)
        #expect(value == Array("a\t\n\r\"'\\A😀".utf8))
    }

    @Test func commentsNestAndAnnotationsAreTokens() {
        #expect(kinds("(; a (; nested ;) b ;) x ;; line\n y") == [.keyword, .keyword, .endOfFile])
        #expect(kinds("(@custom \"x\")") == [.annotationStart, .string, .rightParen, .endOfFile])
    }

    @Test func errorsHaveRanges() {
        let source = MarkedSource("(func 1️⃣\"abc\n2️⃣)")
        let result = Lexer.tokenize(Array(source.text.utf8))
        #expect(result.diagnostics.count == 1)
        #expect(result.diagnostics.first?.range.start == source["1️⃣"])

        let comment = MarkedSource("x 1️⃣(; never closed")
        let commentResult = Lexer.tokenize(Array(comment.text.utf8))
        #expect(commentResult.diagnostics.first?.range.start == comment["1️⃣"])

        let stray = MarkedSource("(func 1️⃣é)")
        let strayResult = Lexer.tokenize(Array(stray.text.utf8))
        #expect(strayResult.diagnostics.first?.range == TextRange(start: stray["1️⃣"], end: stray["1️⃣"] + 2))
    }
}
