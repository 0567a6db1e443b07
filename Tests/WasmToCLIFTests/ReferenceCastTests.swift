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
        try WATTranslation.printed(text)
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

/// Casts to concrete types: the shared type id from the module's type-ids array against the one
/// in the object's header (or in the `VMFuncRef`), with the `is_subtype` builtin for types that
/// are not final.
@Suite struct ConcreteCastTests {
    func translate(_ text: String) throws -> [String] {
        try ReferenceCastTests().translate(text)
    }

    static let types = """
        (type $s (sub (struct (field i32))))
        (type $f (sub final (struct (field i32))))
        (type $ft (func))
        """

    @Test func nonFinalStructTestCallsIsSubtype() throws {
        let printed = try translate("(module \(Self.types) (func (param anyref) (result i32) (ref.test (ref $s) (local.get 0))))")[0]
        #expect(printed.contains("fn0 = colocated u805306368:27 sig0"))
        #expect(printed.contains("sig0 = (i64 vmctx, i32, i32) -> i32 tail"))
        #expect(printed.contains("v10 = load.i64 notrap aligned readonly can_move region2 v0+40"))
        #expect(printed.contains("v11 = load.i32 notrap aligned readonly can_move region3 v10"))
        #expect(printed.contains("v16 = iconst.i64 4"))
        #expect(printed.contains("v18 = load.i32 user2 readonly region6 v17"))
        #expect(printed.contains("brif v20, block6(v20), block5"))
        #expect(printed.contains("v21 = call fn0(v0, v18, v11)"))
    }

    @Test func finalStructTestOnlyComparesIds() throws {
        let printed = try translate("(module \(Self.types) (func (param anyref) (result i32) (ref.test (ref null $f) (local.get 0))))")[0]
        #expect(!printed.contains("call fn"))
        #expect(printed.contains("v11 = load.i32 notrap aligned readonly can_move region3 v10+4"))
        #expect(printed.contains("v19 = icmp eq v18, v11"))
        #expect(printed.contains("brif v5, block4(v6), block2  ; v6 = 1"))
    }

    @Test func functionTypeTestReadsTheFuncRef() throws {
        let printed = try translate("(module \(Self.types) (func (param funcref) (result i32) (ref.test (ref $ft) (local.get 0))))")[0]
        #expect(printed.contains("jump block3"))
        #expect(!printed.contains("band"))
        #expect(printed.contains("v9 = load.i32 notrap aligned readonly region4 v2+16"))
    }

    @Test func castKeepsTheReferenceInTheBuiltinCallsStackMap() throws {
        let printed = try translate("(module \(Self.types) (func (param anyref) (result (ref null $s)) (ref.cast (ref null $s) (local.get 0))))")[0]
        #expect(printed.contains("ss0 = explicit_slot 4, align = 4"))
        #expect(printed.contains("v21 = call fn0(v0, v18, v11), stack_map=[i32 @ ss0+0]"))
        #expect(printed.contains("trapz v23, user19"))
        #expect(printed.contains("v25 = load.i32 notrap aligned region7 v24"))
    }
}

/// `call_indirect` checks the callee's signature with the same subtype test as the casts.
@Suite struct IndirectCallSubtypeTests {
    @Test func nonFinalSignatureCallsIsSubtype() throws {
        let printed = try ReferenceCastTests().translate("""
            (module (type $t (sub (func))) (table 1 funcref) (func (call_indirect (type $t) (i32.const 0))))
            """)[0]
        #expect(printed.contains("fn1 = colocated u805306368:27 sig2"))
        #expect(printed.contains("v22 = load.i32 user7 aligned readonly region7 v16+16"))
        #expect(printed.contains("v25 = call fn1(v0, v22, v21)"))
        #expect(printed.contains("trapz v26, user8"))
    }

    @Test func typedTableOfAnotherTypeChecksAtRunTime() throws {
        let printed = try ReferenceCastTests().translate("""
            (module (type $a (sub (func))) (type $b (sub $a (func)))
              (table 1 (ref null $b)) (func (call_indirect (type $a) (i32.const 0))))
            """)[0]
        #expect(printed.contains("v21 = load.i32 notrap aligned readonly can_move region6 v20"))
        #expect(printed.contains("v25 = call fn1(v0, v22, v21)"))
        #expect(printed.contains("trapz v26, user8"))
    }
}
