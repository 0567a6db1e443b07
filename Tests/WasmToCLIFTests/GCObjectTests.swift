import CLIF
import SourceText
import Testing
import WAT
import Wasm
@testable import WasmToCLIF

/// GC structs and arrays under Wasmtime 49's default copying collector: object layouts, inline
/// bump allocation with the `gc_alloc_raw` fallback, field and element accesses, and the bulk
/// array operators. Every translated function must verify.
@Suite struct GCObjectTests {
    func translate(_ text: String) throws -> [String] {
        try WATTranslation.printed(text)
    }

    @Test func structNewAllocatesInlineWithACallAsFallback() throws {
        let printed = try translate("""
            (module (type $s (struct (field i8) (field (mut i32)) (field i64) (field anyref) (field f32)))
              (func (param i32 i64 anyref) (result (ref $s))
                (struct.new $s (local.get 0) (local.get 0) (local.get 1) (local.get 2) (f32.const 1))))
            """)[0]
        // 16-byte header, fields at 16, 20, 24, 32, 36; 40 bytes rounded up to 48.
        #expect(printed.contains("iconst.i32 48"))
        #expect(printed.contains("load.i64 notrap aligned readonly can_move region2 v0+32"))
        #expect(printed.contains("icmp ule v"))
        #expect(printed.contains("block3 cold:"))
        #expect(printed.contains("fn0 = colocated u805306368:24 sig0"))
        #expect(printed.contains("sig0 = (i64 vmctx, i32, i32, i32, i32) -> i32 tail"))
        // Struct kind with the inline trace bits: the reference at data slot 4.
        #expect(printed.contains("iconst.i32 -1342177150"))
        #expect(printed.contains("istore32.i64 user2 region8 v"))
        #expect(printed.contains("istore8.i32 user2 little region8 v2, v"))
        #expect(printed.contains("store.f32 user2 little region8 v"))
        #expect(printed.contains("block4(v"))
    }

    @Test func structNewDefaultStoresZeroes() throws {
        let printed = try translate("""
            (module (type $s (struct (field (mut f64)) (field v128)))
              (func (result (ref $s)) (struct.new_default $s)))
            """)[0]
        #expect(printed.contains("f64const 0.0"))
        #expect(printed.contains("vconst.i8x16"))
        // Fields at 16 and 32: 48 bytes.
        #expect(printed.contains("iconst.i32 48"))
    }

    @Test func structGetChecksNullThenReadsAtTheFieldOffset() throws {
        let printed = try translate("""
            (module (type $s (struct (field i8) (field (mut i16))))
              (func (param (ref null $s)) (result i32) (struct.get_s $s 0 (local.get 0)))
              (func (param (ref null $s)) (result i32) (struct.get_u $s 1 (local.get 0)))
              (func (param (ref null $s) i32) (struct.set $s 1 (local.get 0) (local.get 1))))
            """)
        #expect(printed[0].contains("trapz v2, user16"))
        #expect(printed[0].contains("load.i8 user2 little region4 v"))
        #expect(printed[0].contains("sextend.i32"))
        #expect(printed[1].contains("iconst.i64 18"))
        #expect(printed[1].contains("load.i16 user2 little region4 v"))
        #expect(printed[1].contains("uextend.i32"))
        #expect(printed[2].contains("istore16 user2 little region4 v3, v"))
    }

    @Test func arrayGetChecksTheIndexAndTheObjectSize() throws {
        let printed = try translate("""
            (module (type $a (array (mut i16)))
              (func (param (ref null $a) i32) (result i32) (array.get_u $a (local.get 0) (local.get 1))))
            """)[0]
        #expect(printed.contains("icmp ult v3, v"))
        #expect(printed.contains("trapz v11, user17"))
        #expect(printed.contains("iconst.i32 20"))
        #expect(printed.contains("uadd_overflow_trap v2, v"))
        #expect(printed.contains("isub v"))
        #expect(printed.contains("load.i16 user2 little region4 v"))
    }

    @Test func arrayNewFillsElementByElement() throws {
        let printed = try translate("""
            (module (type $a (array (mut i16)))
              (func (param i32 i32) (result (ref $a)) (array.new $a (local.get 0) (local.get 1))))
            """)[0]
        // Array kind with the inline trace bits.
        #expect(printed.contains("iconst.i32 -1476395002"))
        #expect(printed.contains("trapnz v9, user18"))
        #expect(printed.contains("uadd_overflow_trap v4, v10, user18"))
        #expect(printed.contains("store.i32 user2 region8 v3, v"))
        #expect(printed.contains("load.i64 notrap aligned region9 v"))
        #expect(printed.contains("istore16.i32 user2 little region8 v2, v"))
    }

    @Test func constantFillsOfByteArraysUseMemoryFill() throws {
        let printed = try translate("""
            (module (type $a (array (mut i8)))
              (func (param i32) (result (ref $a)) (array.new_default $a (local.get 0))))
            """)[0]
        #expect(printed.contains("fn1 = colocated u805306368:2 sig1"))
        #expect(!printed.contains("istore8"))
    }

    @Test func referenceArrayCopiesLoopAndByteCopiesCallMemoryCopy() throws {
        let printed = try translate("""
            (module (type $r (array (mut anyref))) (type $b (array (mut i8)))
              (func (param (ref null $r) i32 (ref null $r) i32 i32)
                (array.copy $r $r (local.get 0) (local.get 1) (local.get 2) (local.get 3) (local.get 4)))
              (func (param (ref null $b) (ref null $b) i32)
                (array.copy $b $b (local.get 0) (i32.const 0) (local.get 1) (i32.const 0) (local.get 2))))
            """)
        #expect(printed[0].contains("icmp.i64 ult v"))
        #expect(printed[0].contains("block4(v"))
        #expect(printed[0].contains("load.i32 user2 little region4 v"))
        #expect(printed[1].contains("u805306368:1"))
    }

    @Test func newDataChecksTheSegmentInElementUnits() throws {
        let printed = try translate("""
            (module (type $a (array (mut i32))) (data $d "\\aa\\bb\\cc\\dd")
              (func (result (ref $a)) (array.new_data $a $d (i32.const 0) (i32.const 1))))
            """)[0]
        #expect(printed.contains("iconst.i64 4"))
        #expect(printed.contains("trapnz v11, heap_oob"))
        // A one-element constant copy is expanded inline.
        #expect(printed.contains("load.i32 notrap aligned little region"))
    }

    @Test func funcrefFieldsAreInterned() throws {
        let printed = try translate("""
            (module (type $s (struct (field (mut funcref))))
              (func (param (ref null $s)) (result funcref) (struct.get $s 0 (local.get 0)))
              (func (param (ref null $s) funcref) (struct.set $s 0 (local.get 0) (local.get 1))))
            """)
        #expect(printed[0].contains("u805306368:26"))
        #expect(printed[0].contains("iconst.i32 -1"))
        #expect(printed[1].contains("u805306368:25"))
        #expect(printed[1].contains("ireduce.i32"))
    }

    @Test func referencesLiveAcrossCallsAreSpilledAndListedInStackMaps() throws {
        let printed = try translate("""
            (module (type $s (struct (field anyref)))
              (func (param anyref) (result (ref $s)) (struct.new $s (local.get 0))))
            """)[0]
        // The parameter is live across the allocation's slow-path call: stored to a slot on entry,
        // named in the call's stack map, reloaded before the field store.
        #expect(printed.contains("ss0 = explicit_slot 4, align = 4"))
        #expect(printed.contains("stack_map=[i32 @ ss0+0]"))
        #expect(printed.contains("stack_addr.i64 ss0"))
        #expect(printed.contains("load.i32 notrap aligned region"))
        let scalars = try translate("""
            (module (type $s (struct (field i32)))
              (func (param i32) (result (ref $s)) (struct.new $s (local.get 0))))
            """)[0]
        #expect(!scalars.contains("stack_map"))
        #expect(!scalars.contains("explicit_slot"))
    }

    @Test func deeplyNestedSafepointsStayIterative() throws {
        let depth = 3_000
        let level = "(block (result anyref) local.get 0 call 1 drop "
        let text = "(module (func (param anyref) (result anyref) " + String(repeating: level, count: depth)
            + "local.get 0" + String(repeating: ")", count: depth) + ") (func (param anyref) (result anyref) local.get 0))"
        let printed = try translate(text)[0]
        #expect(printed.split(separator: "\n").filter { $0.contains("stack_map=[i32 @ ss0+0]") }.count == depth)
    }

    @Test func layoutsFollowTheCopyingCollector() {
        let fields = [FieldType(storage: .i8, mutable: false), FieldType(storage: .value(.i64), mutable: false),
                      FieldType(storage: .value(.ref(RefType(nullable: true, heapType: .abstract(.any)))), mutable: true)]
        let layout = GCLayout.structLayout(fields) { if case .value(.ref) = $0 { true } else { false } }
        #expect(layout.fieldOffsets == [16, 24, 32])
        #expect(layout.size == 48)
        #expect(layout.reservedBits == (2 | (1 << 4) << 3))
        let empty = GCLayout.structLayout([]) { _ in false }
        #expect(empty.size == 32)
        let array = GCLayout.arrayLayout(.value(.f64), traced: false)
        #expect(array.baseSize == 24)
        #expect(array.reservedBits == 6)
        #expect(GCLayout.arrayLayout(.value(.ref(RefType(nullable: true, heapType: .abstract(.any)))), traced: true).reservedBits == 14)
    }
}
