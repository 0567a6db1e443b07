import SourceText
import TestSupport
import Testing
import WAT
import Wasm

/// Validation diagnostics on WAT text: placed on the offending instruction's range, with notes on
/// the definitions involved; `.wast` assertions checked without running anything.
@Suite struct WastCheckTests {
    @Test func typeMismatchIsOnTheInstruction() {
        let source = MarkedSource("""
            (module
              (func (result i32)
                i32.const 1
                i64.const 2
                1️⃣i32.add2️⃣))
            """)
        let diagnostics = WastCheck.checkModule(source.sourceFile)
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.message == "type mismatch: expected i32, found i64")
        #expect(diagnostics.first?.range == source.range("1️⃣", "2️⃣"))
    }

    @Test func immutableGlobalPointsAtTheGlobal() {
        let source = MarkedSource("""
            (module
              1️⃣(global $g i32 (i32.const 0))2️⃣
              (func
                i32.const 1
                3️⃣global.set $g4️⃣))
            """)
        let diagnostics = WastCheck.checkModule(source.sourceFile)
        #expect(diagnostics.first?.message.hasPrefix("immutable global") == true)
        #expect(diagnostics.first?.range == source.range("3️⃣", "4️⃣"))
        #expect(diagnostics.first?.related.first?.range == source.range("1️⃣", "2️⃣"))
    }

    @Test func validModuleIsQuiet() {
        let source = SourceFile("(module (func (export \"f\") (param i32) (result i32) local.get 0))")
        #expect(WastCheck.checkModule(source).isEmpty)
    }

    @Test func scriptAssertionsAreChecked() {
        let source = MarkedSource("""
            (module (func (result i32) (i32.const 1)))
            (assert_invalid (module (func (result i32) (i64.const 1))) "type mismatch")
            1️⃣(assert_invalid (module (func (result i32) (i32.const 1))) "type mismatch")2️⃣
            (assert_malformed (module quote "(func (i32.const") "unexpected end")
            3️⃣(assert_malformed (module quote "(func)") "expected malformed")4️⃣
            (module (func (i32.const 1)5️⃣)6️⃣)
            """)
        let diagnostics = WastCheck.checkScript(source.sourceFile)
        #expect(diagnostics.map(\.range) == [source.range("1️⃣", "2️⃣"), source.range("3️⃣", "4️⃣"), source.range("5️⃣", "6️⃣")])
        #expect(diagnostics.first?.message.hasPrefix("assertion failed: module is valid") == true)
        // Values left over are reported where the function ends, as wasm-tools reports them.
        #expect(diagnostics.last?.message == "type mismatch: values remaining on stack at end of block")
    }

    @Test func binaryDiagnosticsCarryTheOffset() {
        let bytes: [UInt8] = [
            0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f, 0x03, 0x02,
            0x01, 0x00, 0x0a, 0x06, 0x01, 0x04, 0x00, 0x42, 0x00, 0x0b,
        ]
        let diagnostics = WastCheck.checkBinary(bytes)
        #expect(diagnostics.first?.message == "type mismatch: expected i32, found i64")
        #expect(diagnostics.first?.range.start == 0x1a)
    }
}
