import CLIF
import SourceText
import Testing
import WAT
import Wasm
import WasmToCLIF

/// Bulk memory and table operators: where runtime data lives in the `VMContext`, and the shape of
/// the inline copy and fill loops.
@Suite struct BulkOperatorTests {
    func translate(_ text: String, flags: [String] = []) throws -> [String] {
        try WATTranslation.printed(text, flags: flags)
    }

    static let initAndDrop = "(func (param i32 i32 i32) local.get 0 local.get 1 local.get 2 memory.init $p) (func data.drop $p)"

    @Test func passiveSegmentFollowsTheFuncRefs() throws {
        // One escaped function: func_refs at 80..112; the segment's base at 112, its length at 120.
        let printed = try translate("(module (memory 1) (data $p \"abc\") \(Self.initAndDrop) (export \"f\" (func 0)))")
        #expect(printed[0].contains("load.i32 notrap aligned region4 v0+120"))
        #expect(printed[0].contains("load.i64 notrap aligned region5 v0+112"))
        #expect(printed[1].contains("store notrap aligned region2 v2, v0+120"))
    }

    @Test func activeSegmentsComeFirstAndNeedAStartupFunction() throws {
        // An active segment becomes a memory image (runtime data 0) and a startup function's
        // VMFuncRef follows the func_refs (112..144): bases at 144 and 152, lengths at 160 and 164.
        let printed = try translate("""
            (module (memory 1) (data (i32.const 8) "x") (data $p "abc") \(Self.initAndDrop) (export "f" (func 0)))
            """)
        #expect(printed[0].contains("v0+164"))
        #expect(printed[0].contains("v0+152"))
    }

    @Test func segmentBySegmentInitialisationWithoutCopyOnWrite() throws {
        let printed = try translate("""
            (module (memory 1) (data (i32.const 8) "") (data (i32.const 9) "y") (data $p "abc") \(Self.initAndDrop))
            """, flags: ["-O", "memory-init-cow=n"])
        // Three runtime-data entries after the startup function's VMFuncRef (80..112): bases at
        // 112, 120, 128; lengths at 136, 140, 144. The passive segment is the third.
        #expect(printed[0].contains("v0+144"))
        #expect(printed[0].contains("v0+128"))
    }

    @Test func tableCopyIsAnElementLoopInBothDirections() throws {
        let printed = try translate("""
            (module (table $t 4 funcref) (func (param i32 i32 i32) local.get 0 local.get 1 local.get 2 table.copy $t $t))
            """)[0]
        #expect(printed.contains("brif v"))
        #expect(printed.contains("icmp.i64 ult"))
        #expect(printed.contains("isub"))
        #expect(printed.contains("bor"))
        #expect(!printed.contains("u805306368:1 "))
    }

    @Test func tableCopyWithoutLazyInitIsAMemcpy() throws {
        let printed = try translate("""
            (module (table $t 4 funcref) (func (param i32 i32 i32) local.get 0 local.get 1 local.get 2 table.copy $t $t))
            """, flags: ["-O", "table-lazy-init=n"])[0]
        #expect(printed.contains("colocated u805306368:1 sig0"))
    }

    @Test func tableInitAsksTheRuntimeForTheSegment() throws {
        let printed = try translate("""
            (module (table $t 4 funcref) (elem $e func 0) (func (param i32 i32 i32) local.get 0 local.get 1 local.get 2 table.init $t $e))
            """)[0]
        #expect(printed.contains("colocated u805306368:3"))
        #expect(printed.contains("colocated u805306368:4"))
        #expect(printed.contains("load.i64 notrap aligned little region"))
    }

    @Test func tableGrowFillsTheNewSlots() throws {
        let printed = try translate("""
            (module (table $t 1 funcref) (func (param i32 funcref) (result i32) local.get 1 local.get 0 table.grow $t))
            """)[0]
        #expect(printed.contains("colocated u805306368:8"))
        #expect(printed.contains("icmp eq v7, v8"))
        #expect(printed.contains("store notrap aligned"))
    }
}
