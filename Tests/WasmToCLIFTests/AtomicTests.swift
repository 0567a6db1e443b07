import CLIF
import SourceText
import Testing
import WAT
import Wasm
import WasmToCLIF

/// Threads-proposal operators: the misalignment trap before the bounds check, the atomic CLIF
/// opcodes with narrow operands reduced and narrow results extended, and wait/notify builtins.
@Suite struct AtomicTests {
    func translate(_ text: String) throws -> TranslatedFunction {
        let translated = try #require(try WATTranslation.functions(text).first)
        #expect(translated.diagnostics.isEmpty)
        #expect(translated.isComplete)
        return translated
    }

    func lines(_ translated: TranslatedFunction) throws -> [String] {
        let function = try #require(translated.function)
        #expect(Verifier.verify(function).isEmpty)
        return Printer.print(function).split(separator: "\n").map {
            var line = $0.drop { $0 == " " }
            if line.first == "@" { line = line.drop { $0 != " " }.drop { $0 == " " } }
            return String(line)
        }
    }

    func body(_ params: String, _ result: String, _ code: String, memory: String = "(memory 1 1 shared)") throws -> [String] {
        try lines(translate("(module \(memory) (func (param \(params)) (result \(result)) \(code)))"))
    }

    @Test func loadChecksAlignmentOfTheEffectiveAddressFirst() throws {
        let lines = try body("i32", "i32", "local.get 0 i32.atomic.load offset=4")
        let expected = [
            "v3 = iconst.i32 4", "v4 = iadd v2, v3  ; v3 = 4", "v5 = iconst.i32 3", "v6 = band v4, v5  ; v5 = 3",
            "v7 = iconst.i32 0", "v8 = icmp ne v6, v7  ; v7 = 0", "trapnz v8, user5", "v9 = uextend.i64 v2",
        ]
        let start = try #require(lines.firstIndex(of: expected[0]))
        #expect(Array(lines[start..<start + expected.count]) == expected)
        #expect(lines.contains { $0.hasPrefix("v15 = atomic_load.i32 little region") })
    }

    @Test func byteAccessHasNoAlignmentCheckAndWidensItsResult() throws {
        let lines = try body("i32", "i64", "local.get 0 i64.atomic.load8_u")
        #expect(!lines.contains { $0.hasPrefix("trapnz") })
        #expect(lines.contains { $0.hasPrefix("v7 = atomic_load.i8 little region") })
        #expect(lines.contains("v8 = uextend.i64 v7"))
    }

    @Test func narrowStoreReducesItsValueBeforeTheAddress() throws {
        let lines = try body("i32 i64", "i32", "local.get 0 local.get 1 i64.atomic.store16 i32.const 0")
        #expect(lines[lines.firstIndex { $0.hasPrefix("v4 =") } ?? 0] == "v4 = ireduce.i16 v3")
        #expect(lines.contains { $0.hasPrefix("atomic_store little region") && $0.hasSuffix(" v4, v12") })
    }

    @Test func readModifyWritePrintsItsOperation() throws {
        let lines = try body("i32 i64", "i64", "local.get 0 local.get 1 i64.atomic.rmw32.xchg_u")
        #expect(lines.contains("v4 = ireduce.i32 v3"))
        #expect(lines.contains("v13 = atomic_rmw.i32 xchg v12, v4"))
        #expect(lines.contains("v14 = uextend.i64 v13"))
    }

    @Test func compareExchangeReducesExpectedThenReplacement() throws {
        let lines = try body("i32 i64 i64", "i64", "local.get 0 local.get 1 local.get 2 i64.atomic.rmw8.cmpxchg_u")
        #expect(lines.contains("v5 = ireduce.i8 v3"))
        #expect(lines.contains("v6 = ireduce.i8 v4"))
        #expect(lines.contains("v11 = atomic_cas v10, v5, v6"))
        #expect(lines.contains("v12 = uextend.i64 v11"))
    }

    @Test func fenceIsAPlainFence() throws {
        let lines = try body("i32", "i32", "atomic.fence local.get 0")
        #expect(lines.contains("fence "))
    }

    @Test func notifyCallsTheBuiltinWithMemoryIndexAndOverflowCheckedAddress() throws {
        let lines = try body("i32", "i32", "local.get 0 i32.const 1 memory.atomic.notify offset=12")
        #expect(lines.contains("fn0 = colocated u805306368:9 sig0"))
        #expect(lines.contains("sig0 = (i64 vmctx, i32, i64, i32) -> i64 tail"))
        #expect(lines.contains("v5 = uadd_overflow_trap v2, v4, heap_oob  ; v4 = 12"))
        #expect(lines.contains("v6 = uextend.i64 v5"))
        #expect(lines.contains("v8 = call fn0(v0, v7, v6, v3)  ; v7 = 0, v3 = 1"))
        #expect(lines.contains("v9 = ireduce.i32 v8"))
    }

    @Test func waitOnA64BitMemoryPassesTheIndexUnchanged() throws {
        let lines = try body("i64 i64", "i32", "local.get 0 local.get 1 i64.const 5 memory.atomic.wait64",
                             memory: "(memory i64 1 1 shared)")
        #expect(lines.contains("fn0 = colocated u805306368:11 sig0"))
        #expect(lines.contains("sig0 = (i64 vmctx, i32, i64, i64, i64) -> i64 tail"))
        #expect(lines.contains("v6 = call fn0(v0, v5, v2, v3, v4)  ; v5 = 0, v4 = 5"))
    }

    @Test func accessBeyondTheMaximumTrapsAfterTheAlignmentCheck() throws {
        let lines = try body("i32", "i32", "local.get 0 i32.atomic.load offset=70000", memory: "(memory 1 1 shared)")
        #expect(lines.contains("trapnz v8, user5"))
        #expect(lines.contains("trap heap_oob"))
    }
}

extension AtomicTests {
    @Test func sharedMemorySizeLoadsTheLengthAtomically() throws {
        let lines = try body("i32", "i32", "memory.size")
        #expect(lines.contains("v3 = load.i64 notrap aligned readonly can_move region2 v0+48"))
        #expect(lines.contains("v5 = iadd v3, v4  ; v4 = 8"))
        #expect(lines.contains { $0.hasPrefix("v6 = atomic_load.i64 notrap aligned region") && $0.hasSuffix(" v5") })
        #expect(lines.contains("v8 = ushr v6, v7  ; v7 = 16"))
    }

    @Test func bulkMemoryOnASharedMemoryChecksTheAtomicLength() throws {
        let lines = try body("i32", "i32", "local.get 0 i32.const 0 i32.const 4 memory.fill i32.const 0")
        #expect(lines.contains { $0.hasPrefix("v8 = atomic_load.i64 notrap aligned region") })
        #expect(lines.contains("v14 = icmp ugt v13, v8"))
    }
}
