import CLIF
import SourceText
import Testing
import WAT
import Wasm
import WasmToCLIF

/// Stack maps as cranelift-frontend builds them for Wasmtime: GC references live across a call are
/// spilled to a stack slot after their definition, reloaded before each use, and listed in the
/// call's `stack_map`; slots are reused once a value's definition is passed.
@Suite struct StackMapTests {
    func translate(_ text: String) throws -> [String] {
        try WATTranslation.printed(text)
    }

    /// The instruction lines of a printed function, without their source-location column.
    func body(_ printed: String) -> [String] {
        printed.split(separator: "\n").compactMap { line -> String? in
            guard line.count > 36, line.hasPrefix("@") || line.hasPrefix(String(repeating: " ", count: 36)) else { return nil }
            let text = String(line.dropFirst(36).drop(while: { $0 == " " }))
            return text.isEmpty ? nil : text
        }
    }

    @Test func parameterLiveAcrossACallIsSpilledAndReloaded() throws {
        let printed = try translate("""
            (module (func $g) (func (param externref) (result externref) call $g local.get 0))
            """)[1]
        #expect(printed.contains("ss0 = explicit_slot 4, align = 4"))
        #expect(printed.contains("region2 = 1543503872 \"Stack(ss0)\""))
        #expect(body(printed) == [
            "v5 = stack_addr.i64 ss0",
            "store notrap aligned region2 v2, v5",
            "call fn0(v0, v0), stack_map=[i32 @ ss0+0]",
            "jump block1",
            "v3 = stack_addr.i64 ss0",
            "v4 = load.i32 notrap aligned region2 v3",
            "return v4",
        ])
    }

    @Test func referenceUsedBeforeTheCallNeedsNoSlot() throws {
        let printed = try translate("""
            (module (func $g) (func (param externref) (result i32) local.get 0 ref.is_null call $g))
            """)[1]
        #expect(!printed.contains("explicit_slot"))
        #expect(!printed.contains("stack_map"))
    }

    @Test func slotIsReusedOnceADefinitionIsPassed() throws {
        let printed = try translate("""
            (module
              (func $g) (func $h (result externref) ref.null extern)
              (global $gl (mut externref) (ref.null extern))
              (func (param externref) (result externref)
                call $g local.get 0 global.set $gl call $h call $g))
            """)[2]
        #expect(!printed.contains("ss1"))
        #expect(body(printed) == [
            "v11 = stack_addr.i64 ss0",
            "store notrap aligned region3 v2, v11",
            "call fn0(v0, v0), stack_map=[i32 @ ss0+0]",
            "v3 = iconst.i64 48",
            "v4 = iadd v0, v3  ; v3 = 48",
            "v9 = stack_addr.i64 ss0",
            "v10 = load.i32 notrap aligned region3 v9",
            "store notrap aligned region2 v10, v4",
            "v5 = call fn1(v0, v0)",
            "v8 = stack_addr.i64 ss0",
            "store notrap aligned region3 v5, v8",
            "call fn0(v0, v0), stack_map=[i32 @ ss0+0]",
            "jump block1",
            "v6 = stack_addr.i64 ss0",
            "v7 = load.i32 notrap aligned region3 v6",
            "return v7",
        ])
    }

    @Test func loopCallKeepsTheReferenceInItsStackMap() throws {
        let printed = try translate("""
            (module (func $g)
              (func (param externref i32) (result externref) (loop $l call $g local.get 1 br_if $l) local.get 0))
            """)[1]
        #expect(printed.contains("store notrap aligned region2 v2, v8"))
        #expect(printed.contains("call fn0(v0, v0), stack_map=[i32 @ ss0+0]"))
        #expect(printed.contains("v7 = load.i32 notrap aligned region2 v6"))
    }

    @Test func functionAndI31ReferencesNeedNoStackMap() throws {
        let printed = try translate("""
            (module (func $g) (func (param funcref i31ref) (result funcref i31ref) call $g local.get 0 local.get 1))
            """)[1]
        #expect(!printed.contains("stack_map"))
    }

    @Test func typedSelectOfReferencesIsSpilled() throws {
        let printed = try translate("""
            (module (func $g)
              (func (param externref externref i32) (result externref)
                local.get 0 local.get 1 local.get 2 select (result externref) call $g))
            """)[1]
        #expect(body(printed).prefix(3) == [
            "v5 = select v4, v2, v3",
            "v8 = stack_addr.i64 ss0",
            "store notrap aligned region2 v5, v8",
        ])
    }

    /// Block values of `br_table` and loop parameters, a lazily initialised table and an
    /// indirect call: two slots, and a call with two live references (checked against Wasmtime 49).
    @Test func controlFlowValuesAreTrackedThroughBlocksAndLoops() throws {
        let printed = try translate("""
            (module
              (type $ft (func (param externref) (result externref)))
              (table $t 10 externref)
              (table $f 10 funcref)
              (func $id (type $ft) local.get 0)
              (func (param externref externref i32) (result externref)
                (local $x externref) (local $y anyref)
                (block $b1 (result externref)
                  (block $b2 (result externref) local.get 0 local.get 2 br_table $b1 $b2 $b1)
                  call $id local.set $x local.get 1)
                (loop $l (param externref) (result externref)
                  call $id local.get 2 i32.const 1 i32.sub local.tee 2 br_if $l)
                local.get $x local.get 2 call_indirect $f (type $ft) drop))
            """)[1]
        #expect(printed.contains("ss1 = explicit_slot 4, align = 4"))
        #expect(!printed.contains("ss2"))
        #expect(printed.contains("v7 = call fn0(v0, v0, v2), stack_map=[i32 @ ss1+0]"))
        #expect(printed.contains("v33 = call fn1(v0, v31, v32), stack_map=[i32 @ ss0+0, i32 @ ss1+0]  ; v31 = 1"))
        #expect(printed.contains("v41 = call_indirect sig0, v39(v40, v0, v45), stack_map=[i32 @ ss0+0]"))
    }
}
