import CLIF
import SourceText
import Testing
import WAT
import Wasm
import WasmToCLIF

/// `try_table`, `throw` and `throw_ref` as Wasmtime 49 translates them: calls inside a `try_table`
/// become `try_call`s listing the catch blocks, `throw` builds an exception object in the GC heap
/// and raises it through the `throw_ref` builtin, and catch blocks read the payload back.
@Suite struct ExceptionTests {
    func translate(_ text: String) throws -> [String] {
        try WATTranslation.printed(text)
    }

    func lines(_ printed: String) -> [String] {
        printed.split(separator: "\n").map { line in
            var text = line.drop(while: { $0 == " " })
            if text.hasPrefix("@") { text = text.drop(while: { $0 != " " }).drop(while: { $0 == " " }) }
            return String(text)
        }
    }

    @Test func callsInsideTryTableBecomeTryCalls() throws {
        let printed = try translate("""
            (module
              (tag $e (param i32 i64))
              (import "m" "f" (func $imported (param i32) (result i32)))
              (func $f (param i32) (result i32)
                (block $h (result i32 i64)
                  (try_table (result i32) (catch $e $h) (call $imported (local.get 0)))
                  return)
                drop))
            """)[0]
        let body = lines(printed)
        #expect(body.contains("try_call_indirect v20(v19, v0, v2), sig0, block6(ret0), [ context v0, tag0: block5(exn0) ]"))
        #expect(body.contains("block5(v3: i64):"))
        #expect(body.contains("v4 = ireduce.i32 v3"))
        // The i32 field after the header and the tag identity; the i64 one aligned to 8.
        #expect(body.contains("v11 = load.i32 user2 little region4 v10"))
        #expect(body.contains("v16 = iconst.i64 32"))
        #expect(body.contains("block6(v21: i32):"))
        #expect(body.contains("return v21"))
    }

    @Test func callsOutsideTryTableStayPlainCalls() throws {
        let printed = try translate("""
            (module (func $f (param i32) (result i32) local.get 0)
              (func (param i32) (result i32)
                (block $h (try_table (catch_all $h) (drop (call $f (local.get 0)))))
                (call $f (local.get 0))))
            """)[1]
        let body = lines(printed)
        #expect(body.contains("try_call fn0(v0, v0, v2), sig0, block6(ret0), [ context v0, default: block5(exn0) ]"))
        #expect(body.contains { $0.hasPrefix("v") && $0.contains("= call fn0(v0, v0, v2)") })
    }

    @Test func handlersAreListedInnermostFirstAndInClauseOrder() throws {
        let printed = try translate("""
            (module
              (tag $a) (tag $b)
              (func $g)
              (func
                (block $outer
                  (try_table (catch_all $outer)
                    (block $inner
                      (try_table (catch $a $inner) (catch $b $inner) (call $g)))))))
            """)[1]
        #expect(lines(printed).contains { line in
            line.hasPrefix("try_call fn0(v0, v0), sig0, block")
                && line.hasSuffix("[ context v0, tag0: block10(exn0), tag1: block9(exn0), default: block5(exn0) ]")
        })
    }

    @Test func throwAllocatesTheExceptionAndCallsThrowRef() throws {
        let printed = try translate("""
            (module (tag $e (param i32 i64)) (func (param i32) (throw $e (local.get 0) (i64.const 7))))
            """)[0]
        let body = lines(printed)
        #expect(body.contains("fn0 = colocated u805306368:43 sig0"))
        #expect(body.contains("fn1 = colocated u805306368:24 sig1"))
        #expect(body.contains("fn2 = colocated u805306368:44 sig2"))
        #expect(body.contains("v4 = call fn0(v0)"))
        #expect(body.contains("v6 = iconst.i32 48"))
        #expect(body.contains("block3 cold:"))
        #expect(body.contains("v19 = iconst.i32 0x0400_0002"))
        #expect(body.contains("istore32.i64 user2 region8 v14, v32+8"))
        #expect(body.contains("block4(v36: i32, v37: i64):"))
        #expect(body.contains("store.i64 user2 little region8 v3, v41  ; v3 = 7"))
        #expect(body.contains("try_call fn2(v0, v36), sig2, block5, [ context v0 ]"))
        #expect(body.last(where: { $0.hasPrefix("trap") }) == "trap user12")
    }

    @Test func throwOfAnImportedTagReadsTheImport() throws {
        let printed = try translate("""
            (module (import "m" "t" (tag $t (param i32))) (func (param i32) (throw $t (local.get 0))))
            """)[0]
        let body = lines(printed)
        #expect(body.contains("v3 = load.i64 notrap aligned readonly can_move region2 v0+56"))
        #expect(body.contains("v4 = load.i32 notrap aligned readonly can_move region2 v0+64"))
        #expect(body.contains("v5 = call fn0(v3)"))
    }

    @Test func throwRefInsideTryTableListsTheHandlers() throws {
        let printed = try translate("""
            (module (func (param exnref)
              (block $h (try_table (catch_all $h) (throw_ref (local.get 0))))))
            """)[0]
        let body = lines(printed)
        #expect(body.contains { $0.hasPrefix("try_call fn0(v0, v2), sig0, block") && $0.hasSuffix("[ context v0, default: block5(exn0) ]") })
    }

    @Test func catchRefPassesTheExceptionReference() throws {
        let printed = try translate("""
            (module (tag $e) (func $g)
              (func (result exnref)
                (block $h (result exnref) (try_table (catch_ref $e $h) (call $g)) (unreachable))))
            """)[1]
        let body = lines(printed)
        #expect(body.contains("v3 = ireduce.i32 v2"))
        #expect(!body.contains { $0.contains("load.i32 user2") })
        #expect(body.contains("return v3"))
    }

    @Test func tailCallsInsideTryTableStayTailCalls() throws {
        let printed = try translate("""
            (module (func $f (param i32) (result i32) local.get 0)
              (func (param i32) (result i32)
                (block $h (try_table (catch_all $h) (return_call $f (local.get 0)))) (i32.const 0)))
            """)[1]
        let body = lines(printed)
        #expect(body.contains("return_call fn0(v0, v0, v2)"))
        #expect(!body.contains { $0.hasPrefix("try_call") })
    }

    @Test func printedExceptionCodeParsesVerifiesAndReprints() throws {
        let printed = try translate("""
            (module
              (import "m" "t" (tag $t (param f32))) (tag $e (param i32 i64))
              (func $g (param i32) (result i32) local.get 0)
              (func (param i32) (result i32)
                (block $all
                  (block $h (result i32 i64 exnref)
                    (try_table (catch_ref $e $h) (catch_all $all)
                      (drop (call $g (local.get 0)))
                      (throw $e (local.get 0) (i64.const 1)))
                    (unreachable))
                  (throw_ref))
                (i32.const 0)))
            """)
        for text in printed {
            let file = CLIFFile.check(SourceFile(utf8: Array(text.utf8)))
            #expect(file.diagnostics.isEmpty, "\(file.diagnostics.map(\.message))")
            let reprinted = file.functions.map { Printer.print($0) }.joined()
            #expect(reprinted == text)
        }
        #expect(printed[1].contains("[ context v0, tag1: block7(exn0), default: block6(exn0) ]"))
    }

    @Test func caughtReferencesAreNonNullWhenTheLabelSaysSo() throws {
        func isNullLines(_ result: String) throws -> [String] {
            lines(try translate("""
                (module (func $g)
                  (func (result i32)
                    (block $h (result \(result)) (try_table (catch_all_ref $h) (call $g)) (unreachable))
                    ref.is_null))
                """)[1])
        }
        #expect(try isNullLines("(ref exn)").contains("return v4  ; v4 = 0"))
        #expect(try isNullLines("exnref").contains("v5 = icmp.i32 eq v3, v4  ; v4 = 0"))
    }
}
