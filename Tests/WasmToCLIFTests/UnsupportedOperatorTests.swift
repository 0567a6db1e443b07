import CLIF
import SourceText
import Testing
import WAT
import Wasm
import WasmToCLIF

/// An operator without a translation becomes a marked placeholder call with a diagnostic on the
/// operator's bytes, and the rest of the function still translates.
@Suite struct UnsupportedOperatorTests {
    struct Translation {
        var functions: [TranslatedFunction]
        var offsets: [[Int]]
    }

    func translate(_ text: String, flags: [String] = []) throws -> Translation {
        let (decoded, functions) = try WATTranslation.translate(text, flags: flags)
        return Translation(functions: functions, offsets: decoded.offsets.instructionOffsets)
    }

    /// Float rounding without SSE 4.1 needs builtin calls, which clifford does not translate yet:
    /// when it does, pick other untranslated operators here.
    @Test func placeholderCallsKeepTheRestOfTheFunction() throws {
        let translation = try translate("""
            (module
              (func (param f64) (result f64)
                local.get 0 f64.const 1 f64.add f64.floor f64.neg f64.ceil
                f64.const 2 f64.mul))
            """, flags: ["-C", "cranelift-has-sse41=false"])
        let function = try #require(translation.functions[0].function)
        let printed = Printer.print(function)
        #expect(printed.contains("fn0 = %not_translated_f64_floor sig0"))
        #expect(printed.contains("fn1 = %not_translated_f64_ceil sig1"))
        #expect(printed.contains("v5 = call fn0(v4)"))
        #expect(printed.contains("v6 = fneg v5"))
        #expect(printed.contains("v7 = call fn1(v6)"))
        #expect(printed.contains("v9 = fmul v7, v8"))
        #expect(printed.contains("return v9"))
        #expect(Verifier.verify(function).isEmpty)
        let diagnostics = translation.functions[0].diagnostics
        #expect(diagnostics.map(\.code) == ["translate-unsupported", "translate-unsupported"])
        #expect(diagnostics[0].message
            == "not translated yet: floor without SSE 4.1 (builtin call); the CLIF calls %not_translated_f64_floor in its place")
        // Operators: local.get, f64.const, f64.add, f64.floor, f64.neg, f64.ceil, …
        let offsets = translation.offsets[0]
        #expect(diagnostics[0].range == TextRange(start: offsets[3], end: offsets[4]))
        #expect(diagnostics[1].range == TextRange(start: offsets[5], end: offsets[6]))
    }

    @Test func throwEndsTheBlockAfterItsPlaceholder() throws {
        let translation = try translate("""
            (module (type $f (func)) (type $c (cont $f)) (tag $e (param i32 (ref null $c)))
              (func (param i32 (ref null $c)) (result i32)
                local.get 0 (if (then i32.const 7 local.get 1 throw $e)) local.get 0))
            """)
        let function = try #require(translation.functions[0].function)
        let printed = Printer.print(function)
        #expect(printed.contains("call fn0(v4, v3)  ; v4 = 7\n@0033                               trap user"))
        #expect(printed.contains("return v2"))
        #expect(Verifier.verify(function).isEmpty)
        #expect(translation.functions[0].diagnostics.count == 1)
    }

    @Test func tryTableBodyStillTranslates() throws {
        let translation = try translate("""
            (module (type $f (func)) (type $c (cont $f)) (tag $e (param (ref null $c)))
              (func (result i32)
                (block $h (result (ref null $c)) (try_table (result i32) (catch $e $h) i32.const 1 i32.const 2 i32.add) return)
                drop
                i32.const 0))
            """)
        let function = try #require(translation.functions[0].function)
        let printed = Printer.print(function)
        #expect(printed.contains("%not_translated_try_table"))
        #expect(printed.contains("iadd"))
        #expect(Verifier.verify(function).isEmpty)
        #expect(translation.functions[0].diagnostics.count == 1)
    }
}

extension UnsupportedOperatorTests {
    @Test func tryTableWithParametersKeepsThemForItsBody() throws {
        let translation = try translate("""
            (module (type $f (func)) (type $c (cont $f)) (tag $e (param (ref null $c)))
              (func (result i32)
                (block $h (result (ref null $c))
                  i32.const 5 (try_table (param i32) (result i32) (catch $e $h) i32.const 1 i32.add) return)
                drop i32.const 0))
            """)
        let function = try #require(translation.functions[0].function)
        #expect(Printer.print(function).contains("iadd"))
        #expect(Verifier.verify(function).isEmpty)
        #expect(translation.functions[0].diagnostics.count == 1)
    }
}
