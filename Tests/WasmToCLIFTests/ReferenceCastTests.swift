import CLIF
import SourceText
import Testing
import WAT
import Wasm
import WasmToCLIF

/// `ref.test`, `ref.cast` and `br_on_cast(_fail)` against abstract heap types: null tests, the
/// `i31` bit, and the `VMGcKind` check of the object header in the GC heap.
@Suite struct ReferenceCastTests {
    func translate(_ text: String) throws -> [String] {
        let (compiled, diagnostics) = WAT.compile(SourceFile(utf8: Array(text.utf8)))
        #expect(diagnostics.filter { $0.severity == .error }.isEmpty)
        let decoded = try Module.decode(compiled.bytes)
        return ModuleTranslator.translate(decoded, bytes: compiled.bytes, tunables: Tunables()).map { translated in
            #expect(translated.isComplete)
            if let function = translated.function { #expect(Verifier.verify(function).isEmpty) }
            return translated.function.map { Printer.print($0) } ?? ""
        }
    }

    @Test func structTestReadsTheHeaderKind() throws {
        let printed = try translate("(module (func (param anyref) (result i32) local.get 0 ref.test (ref struct)))")[0]
        #expect(printed.contains("load.i64 notrap aligned readonly can_move region0 v0+8"))
        #expect(printed.contains("load.i64 notrap aligned readonly can_move region2 v"))
        #expect(printed.contains("load.i32 user2 readonly region4 v"))
        #expect(printed.contains("iconst.i32 -1342177280"))
        #expect(printed.contains("block4(v"))
    }

    @Test func topAndBottomTypesNeedOnlyANullTest() throws {
        let printed = try translate("""
            (module (func (param externref) (result i32 i32 i32)
              local.get 0 ref.test (ref extern) local.get 0 ref.test externref local.get 0 ref.test nullexternref))
            """)[0]
        #expect(printed.contains("select v"))
        #expect(printed.contains("iconst.i32 1"))
        #expect(!printed.contains("load.i32"))
    }

    @Test func castToI31TrapsOnTheLowBit() throws {
        let printed = try translate("(module (func (param anyref) local.get 0 ref.cast i31ref drop))")[0]
        #expect(printed.contains("bor v"))
        #expect(printed.contains("user19"))
    }

    @Test func branchOnCastBranchesOnTheTest() throws {
        let printed = try translate("""
            (module (func (param anyref) (result i32)
              (block $l (result (ref i31)) local.get 0 br_on_cast $l anyref (ref i31) drop i32.const -1 return)
              i31.get_u))
            """)[0]
        #expect(printed.contains("brif v"))
        #expect(printed.contains("ushr"))
    }

    @Test func arrayLengthFollowsTheHeader() throws {
        let printed = try translate("(module (type $a (array i8)) (func (param (ref $a)) (result i32) local.get 0 array.len))")[0]
        #expect(printed.contains("trapz v2, user16"))
        #expect(printed.contains("iconst.i64 16"))
        #expect(printed.contains("load.i32 user2 readonly region4 v"))
    }
}
