import CLIF
import SourceText
import Testing
import WAT
import Wasm
import WasmToCLIF

/// Stack switching as Wasmtime translates it inline: `i128` continuation objects, the stack
/// chain in `VMStoreContext`, handler lists on the stack, `stack_switch`, and the builtins it calls.
@Suite struct StackSwitchingTests {
    static let flags = ["-W", "stack-switching=y", "-W", "exceptions=y", "-W", "function-references=y"]

    /// Every function's CLIF; each must be complete and pass the verifier.
    func translate(_ text: String, flags: [String] = StackSwitchingTests.flags) throws -> [String] {
        try WATTranslation.printed(text, flags: flags)
    }

    func translated(_ text: String, flags: [String] = StackSwitchingTests.flags,
                    target: Tunables.Target = .x86_64) throws -> [TranslatedFunction] {
        try WATTranslation.functions(text, flags: flags, target: target)
    }

    static let types = """
        (type $f0 (func))
        (type $c0 (cont $f0))
        (type $f1 (func (param i32)))
        (type $c1 (cont $f1))
        (type $f2 (func (param i64 i32)))
        (type $c2 (cont $f2))
        """

    @Test func contNewCallsTheBuiltinAndBuildsAFatPointer() throws {
        let printed = try translate("""
            (module \(Self.types) (elem declare func $g) (func $g (param i64 i32))
              (func (result (ref $c2)) (cont.new $c2 (ref.func $g))))
            """)
        #expect(printed[1].hasPrefix("function u0:1(i64 vmctx, i64) -> i128 tail {"))
        #expect(printed[1].contains("fn1 = colocated u805306368:42 sig1"))
        #expect(printed[1].contains("sig1 = (i64 vmctx, i64, i32, i32) -> i64 tail"))
        #expect(printed[1].contains("trapz v3, user16"))
        // Two parameters, no results; then the revision joins the pointer in the upper half.
        #expect(printed[1].contains("v4 = iconst.i32 2"))
        #expect(printed[1].contains("v6 = call fn1(v0, v3, v4, v5)"))
        #expect(printed[1].contains("v7 = load.i64 notrap aligned region2 v6+88"))
        #expect(printed[1].contains("region2 = 1073741824 \"VMContRef+0x0\""))
        #expect(printed[1].contains("v12 = ishl v9, v11"))
        #expect(printed[1].contains("v13 = bor v12, v8"))
    }

    @Test func contBindStoresIntoArgumentsOrValues() throws {
        let printed = try translate("""
            (module \(Self.types) (func (param (ref $c2)) (result (ref $c1))
              (cont.bind $c2 $c1 (i64.const 7) (local.get 0))))
            """)[0]
        // Null and consumed checks, then the payload goes to `args` (offset 120) of a fresh
        // continuation or to `values` (136) of one that already ran.
        #expect(printed.contains("user16"))
        #expect(printed.contains("user23"))
        #expect(printed.contains("= iconst.i64 120"))
        #expect(printed.contains("= iconst.i64 136"))
        #expect(printed.contains("ContinuationStackMemory+0x0"))
        #expect(printed.contains("store.i64 notrap aligned region3 v3, v"))
        #expect(!printed.contains("stack_switch"))
    }

    @Test func suspendSearchesHandlersAndSwitchesStacks() throws {
        let printed = try translate("""
            (module (tag $t (param i32) (result i64)) (func (result i64) (suspend $t (i32.const 5))))
            """)[0]
        #expect(printed.contains("ss0 = explicit_slot 16, align = 65536"))
        // The handler search loops over the parent's handler list and traps when none matches.
        #expect(printed.contains("trap user22"))
        #expect(printed.contains("icmp ult"))
        // The suspend effect: discriminant 2 in the upper half, the handler index below.
        #expect(printed.contains("= iconst.i64 2"))
        #expect(printed.contains("bor"))
        #expect(printed.contains("stack_switch"))
        // A `resume_throw_ref` into this suspension rethrows through `throw_ref`.
        #expect(printed.contains("colocated u805306368:44"))
        #expect(printed.contains("[ context v0 ]"))
        #expect(printed.contains("load.i64 notrap aligned region"))
    }

    @Test func suspendsShareOneValuesBuffer() throws {
        let printed = try translate("""
            (module (tag $t (param i32)) (func (suspend $t (i32.const 1)) (suspend $t (i32.const 2))))
            """)[0]
        #expect(printed.contains("ss0 = explicit_slot 16"))
        #expect(!printed.contains("ss1"))
    }

    @Test func resumeDispatchesSuspensionsToHandlerLabels() throws {
        let printed = try translate("""
            (module \(Self.types) (tag $t (param i32))
              (func (param (ref $c0)) (result i32)
                (block $h (result i32 (ref $c0))
                  (resume $c0 (on $t $h) (local.get 0))
                  (return (i32.const 0)))
                drop))
            """)[0]
        // One handler: a pointer-sized handler list on the stack, tag 0 at vmctx+48, no switch handlers.
        #expect(printed.contains("ss0 = explicit_slot 8, align = 256"))
        #expect(printed.contains("iconst.i64 48"))
        #expect(printed.contains("stack_switch"))
        #expect(printed.contains("br_table"))
        // A trapping child re-raises in the parent through the `raise` builtin.
        #expect(printed.contains("colocated u805306368:41"))
        #expect(printed.contains("cold:"))
    }

    @Test func switchCopiesControlContextsThroughAStackSlot() throws {
        let printed = try translate("""
            (module (type $fa (func)) (type $ca (cont $fa)) (type $fb (func (param (ref $ca)))) (type $cb (cont $fb))
              (tag $y) (func (param (ref $cb)) (switch $cb $y (local.get 0))))
            """)[0]
        #expect(printed.contains("ss1 = explicit_slot 24, align = 256"))
        #expect(printed.contains("1543503873 \"Stack(ss1)\""))
        #expect(printed.contains("stack_switch"))
        #expect(printed.contains("trap user22"))
    }

    @Test func resumeThrowRefRaisesInAFreshContinuation() throws {
        let printed = try translate("""
            (module \(Self.types) (func (param (ref $c0)) (param exnref) (resume_throw_ref $c0 (local.get 1) (local.get 0))))
            """)[0]
        #expect(printed.contains("colocated u805306368:44"))
        // The throw effect (discriminant 5) rather than a plain resume (1).
        #expect(printed.contains("= iconst.i64 5"))
    }

    @Test func resumeThrowAllocatesTheExceptionFirst() throws {
        let printed = try translate("""
            (module \(Self.types) (tag $e (param i32)) (func (param (ref $c0)) (resume_throw $c0 $e (i32.const 1) (local.get 0))))
            """)[0]
        // The exception object comes from the GC heap (`gc_alloc_raw`) before the stack switch.
        let lines = printed.split(separator: "\n")
        let allocation = try #require(lines.firstIndex { $0.contains("= call fn") })
        let stackSwitch = try #require(lines.firstIndex { $0.contains("stack_switch") })
        #expect(allocation < stackSwitch)
        #expect(printed.contains("colocated u805306368:24"))
        #expect(printed.contains("colocated u805306368:44"))
        #expect(printed.contains("= iconst.i64 5"))
    }

    @Test func throwingBuiltinsReachTheCatchHandlersInScope() throws {
        let printed = try translate("""
            (module (tag $t (param i32)) (tag $x)
              (func (block $h (try_table (catch_all $h) (suspend $t (i32.const 1))))))
            """)[0]
        // The `throw_ref` of an injected exception lists the try_table's handler.
        #expect(printed.contains("[ context v0, default: block"))
    }

    @Test func nullContinuationsAreZeroFatPointers() throws {
        let printed = try translate("""
            (module \(Self.types) (func (result i32) (local $c (ref null $c0)) (ref.is_null (local.get $c))))
            """)[0]
        // The local starts as (0 << 64) | 0; the null test looks at the pointer half only.
        #expect(printed.contains("v2 = iconst.i64 0"))
        #expect(printed.contains("v3 = uextend.i128 v2"))
        #expect(printed.contains("v8 = bor v7, v3"))
        #expect(printed.contains("v9 = ireduce.i64 v8"))
        #expect(printed.contains("icmp eq v9, v"))
        #expect(printed.contains("uextend.i32"))
    }

    @Test func continuationGlobalsAreSixteenByteLoadsAndStores() throws {
        let printed = try translate("""
            (module \(Self.types) (global $g (mut (ref null $c0)) (ref.null $c0))
              (func (result (ref null $c0)) (global.get $g)) (func (param (ref null $c0)) (global.set $g (local.get 0))))
            """)
        #expect(printed[0].contains("v2 = load.i128 notrap aligned region2 v0+48"))
        #expect(printed[1].contains("store notrap aligned region2 v2, v0+48"))
    }

    @Test func continuationTablesHoldSixteenByteElements() throws {
        let printed = try translate("""
            (module \(Self.types) (table $t 4 (ref null $c0)) (table $u 2 (ref null $c0))
              (func (param i32) (result (ref null $c0)) (table.get $t (local.get 0)))
              (func (param i32 (ref null $c0)) (table.set $t (local.get 0) (local.get 1)))
              (func (param (ref null $c0) i32) (result i32) (table.grow $t (local.get 0) (local.get 1)))
              (func (param i32 i32 i32) (table.copy $t $u (local.get 0) (local.get 1) (local.get 2))))
            """)
        // Element addresses shift the index by 4; elements are i128 loads and stores that trap out of
        // bounds (Spectre-guarded addresses).
        #expect(printed[0].contains("= iconst.i64 4"))
        #expect(printed[0].contains("load.i128 user6 aligned"))
        #expect(printed[1].contains("store user6 aligned"))
        // table.grow fills the new slots with the initial value, 16 bytes at a time.
        #expect(printed[2].contains("colocated u805306368:8"))
        #expect(printed[2].contains("= iconst.i64 16"))
        // A copy between continuation tables is a memcpy (no lazy-init bits to preserve).
        #expect(printed[3].contains("colocated u805306368:1 "))
    }

    @Test func importedTagsAreReadFromTheirImport() throws {
        let printed = try translate("""
            (module (import "m" "t" (tag $t)) (func (suspend $t)))
            """)[0]
        #expect(printed.contains("\"VMTagImport+0x0\""))
    }

    @Test func switchNeedsX86() throws {
        // Wasmtime knows the control-context size only for x86_64 Linux.
        let functions = try translated("""
            (module (type $fa (func)) (type $ca (cont $fa)) (type $fb (func (param (ref $ca)))) (type $cb (cont $fb))
              (tag $y) (func (param (ref $cb)) (switch $cb $y (local.get 0))))
            """, target: .aarch64)
        #expect(functions.count == 1)
        #expect(!functions[0].isComplete)
        #expect(functions[0].diagnostics.contains { $0.message.contains("switch") })
    }
}
