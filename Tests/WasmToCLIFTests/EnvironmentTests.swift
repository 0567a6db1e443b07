import CLIF
import SourceText
import Testing
import WAT
import Wasm
import WasmToCLIF

/// Wasmtime-environment decisions on small modules: bounds checks per tunables, alias regions,
/// globals, calls, and diagnostics for what is not translated.
@Suite struct EnvironmentTests {
    func translate(_ text: String, flags: [String] = []) throws -> [TranslatedFunction] {
        try WATTranslation.functions(text, flags: flags)
    }

    func text(_ function: TranslatedFunction) -> String {
        function.function.map { Printer.print($0) } ?? ""
    }

    let load = "(module (memory 1) (func (param i32) (result i32) local.get 0 i32.load offset=16))"

    @Test func defaultTunablesElideBoundsChecks() throws {
        let printed = text(try translate(load)[0])
        #expect(!printed.contains("icmp"))
        #expect(printed.contains("load.i64 notrap aligned readonly can_move region2 v0+56"))
        #expect(printed.contains("load.i32 little region4"))
    }

    @Test func noReservationChecksAgainstCurrentLength() throws {
        let printed = text(try translate(load, flags: ["-O", "memory-reservation=0", "-O", "memory-guard-size=0"])[0])
        #expect(printed.contains("select_spectre_guard"))
        #expect(printed.contains("load.i64 notrap aligned region3 v0+64"))
    }

    @Test func noSpectreMitigationTrapsExplicitly() throws {
        let printed = text(try translate(load, flags: ["-O", "memory-reservation=0", "-O", "memory-guard-size=0",
                                                       "-C", "cranelift-enable-heap-access-spectre-mitigation=false"])[0])
        #expect(printed.contains("trapnz"))
        #expect(!printed.contains("select_spectre_guard"))
    }

    @Test func exportedGlobalUsesPublicRegionAndConstantsFold() throws {
        let functions = try translate("""
            (module (global $c i32 (i32.const 7)) (global $m (export "m") (mut i32) (i32.const 0))
              (func (result i32) global.get $c global.get $m i32.add))
            """)
        let printed = text(functions[0])
        #expect(printed.contains("iconst.i32 7"))
        #expect(printed.contains("402653184 \"PublicGlobal\""))
    }

    @Test func importedCallGoesThroughVMFunctionImport() throws {
        let printed = text(try translate("(module (import \"m\" \"f\" (func)) (func call 0))")[0])
        #expect(printed.contains("VMFunctionImport+0x18"))
        #expect(printed.contains("call_indirect sig0"))
    }

    @Test func unsupportedOperatorGivesDiagnosticOnItsRange() throws {
        let functions = try translate("(module (func (param f32) (result f32) local.get 0 f32.floor) (func))",
                                      flags: ["-C", "cranelift-has-sse41=false"])
        #expect(functions[0].function != nil)
        #expect(!functions[0].isComplete)
        #expect(functions[0].diagnostics.count == 1)
        #expect(functions[0].diagnostics.first?.message.hasPrefix("not translated yet:") == true)
        #expect(functions[1].isComplete)
    }

    @Test func deepNestingTranslates() throws {
        let depth = 3000
        let body = String(repeating: "(block ", count: depth) + "nop" + String(repeating: ")", count: depth)
        let functions = try translate("(module (func \(body)))")
        #expect(functions[0].isComplete)
    }

    @Test func truncatedBodyGivesDiagnosticNotCrash() throws {
        var module = Module()
        module.types = [RecGroup(SubType(function: FunctionType(results: [.i32])))]
        module.functions = [Wasm.Function(typeIndex: 0, body: [Wasm.Instruction(.i32Add), .end])]
        let encoded = module.encode()
        let decoded = try Module.decode(encoded.bytes)
        let functions = ModuleTranslator.translate(decoded, bytes: encoded.bytes)
        #expect(functions[0].function == nil)
        #expect(functions[0].diagnostics.first?.message.contains("underflow") == true)
    }
}
