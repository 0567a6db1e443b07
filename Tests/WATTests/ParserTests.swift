import SourceText
import TestSupport
import Testing
import Wasm
@testable import WAT

@Suite struct ParserTests {
    @Test func everyNodeHasItsRange() throws {
        let source = MarkedSource("""
        (module
          1️⃣(func $f (param i32) (result i32)
            2️⃣(i32.add 3️⃣(local.get 0)4️⃣ (i32.const 1))5️⃣)6️⃣)
        """)
        let parsed = WAT.parseModule(source.sourceFile)
        #expect(parsed.diagnostics.isEmpty)
        guard case .function(let function) = parsed.syntax.fields.first else {
            Issue.record("expected a function")
            return
        }
        #expect(function.range == source.range("1️⃣", "6️⃣"))
        let instructions = function.body.instructions
        #expect(instructions.map(\.opcode) == [.localGet, .i32Const, .i32Add])
        #expect(instructions[0].range == source.range("3️⃣", "4️⃣"))
        #expect(instructions[2].range == source.range("2️⃣", "5️⃣"))
    }

    @Test func oneDiagnosticPerErrorAndParsingGoesOn() {
        let source = MarkedSource("""
        (module
          (func $a (i32.const 1️⃣oops) drop)
          (func $b (result i32) (i32.const 7))
          (global 2️⃣i33 (i32.const 0))
          (func $c (call $b) drop))
        """)
        let parsed = WAT.parseModule(source.sourceFile)
        #expect(parsed.diagnostics.map(\.range.start) == [source["1️⃣"], source["2️⃣"]])
        let compiled = WAT.compile(parsed.syntax)
        #expect(compiled.module.functions.count == 3)
        #expect(compiled.module.functions[0].isPlaceholder)
        #expect(!compiled.module.functions[1].isPlaceholder)
        #expect(compiled.module.functions[2].body.first == Instruction(.call, .index(1)))
    }

    @Test func thirtyTwoBitMemoryLimitsAreU32ButStillEncode() {
        let source = MarkedSource("""
        (memory 0 1️⃣0x1_0000_00002️⃣)
        (memory i64 0x1_0000_0000_0000)
        (table i64 0x1_0000_0000 funcref)
        """)
        let parsed = WAT.parseModule(source.sourceFile)
        #expect(parsed.diagnostics.map(\.range) == [source.range("1️⃣", "2️⃣")])
        #expect(parsed.diagnostics.first?.message.contains("memory size") == true)
        let compiled = WAT.compile(parsed.syntax)
        #expect(compiled.module.memories.map(\.limits.max) == [0x1_0000_0000, nil])
        #expect(compiled.module.memories.map(\.limits.min) == [0, 0x1_0000_0000_0000])
        #expect(compiled.module.tables.map(\.type.limits.min) == [0x1_0000_0000])
    }

    @Test func flatErrorResumesAtNextInstruction() {
        let source = MarkedSource("(func i32.const 1 1️⃣bogus.op 2 i32.const 3 drop drop)")
        let parsed = WAT.parseModule(source.sourceFile)
        #expect(parsed.diagnostics.count == 1)
        #expect(parsed.diagnostics.first?.range.start == source["1️⃣"])
        guard case .function(let function) = parsed.syntax.fields.first else { return }
        #expect(function.body.hasErrors)
        #expect(function.body.instructions.map(\.opcode) == [.i32Const, .i32Const, .drop, .drop])
    }

    @Test func foldedIfAndBlocksUnfold() {
        let parsed = WAT.parseModule(SourceFile("""
        (func (param i32) (result i32)
          (if (result i32) (local.get 0) (then (i32.const 1)) (else (i32.const 2))))
        """))
        #expect(parsed.diagnostics.isEmpty)
        guard case .function(let function) = parsed.syntax.fields.first else { return }
        #expect(function.body.instructions.map(\.opcode) == [.localGet, .if, .i32Const, .else, .i32Const, .end])
    }

    @Test func scriptCommands() {
        let parsed = WAT.parseScript(SourceFile("""
        (module $m (func (export "f") (result i32) (i32.const 1)))
        (register "m" $m)
        (assert_return (invoke "f") (i32.const 1))
        (assert_malformed (module quote "(func (i32.const nope))") "unknown operator")
        (module binary "\\00asm" "\\01\\00\\00\\00")
        (module definition $d (func))
        (module instance $i $d)
        (assert_trap (invoke "f") "unreachable")
        """))
        #expect(parsed.diagnostics.isEmpty)
        #expect(parsed.syntax.commands.count == 8)
        guard case .module(let binary) = parsed.syntax.commands[4] else { return }
        #expect(binary.joinedBytes == [0, 0x61, 0x73, 0x6d, 1, 0, 0, 0])
    }

    @Test func deepNestingParses() {
        let depth = 3_000
        let text = "(func " + String(repeating: "(block ", count: depth) + "(nop)" + String(repeating: ")", count: depth) + ")"
        let (compiled, diagnostics) = WAT.compile(SourceFile(text))
        #expect(diagnostics.isEmpty)
        #expect(compiled.module.functions.first?.body.count == 2 * depth + 2)
    }

    @Test func millionNestedParensGiveADiagnostic() async {
        let text = String(repeating: "(", count: 1_000_000) + String(repeating: ")", count: 1_000_000)
        // Run off the main thread, where stacks are small, to show that nothing recurses.
        let count = await Task.detached { WAT.parseScript(SourceFile(text)).diagnostics.count }.value
        #expect(count >= 1)
        let flat = await Task.detached {
            WAT.parseModule(SourceFile("(func " + String(repeating: "(i32.add ", count: 1_000_000))).diagnostics.count
        }.value
        #expect(flat >= 1)
    }
}

@Suite struct RecoveryTests {
    @Test func unclosedModuleGivesOneDiagnostic() {
        let source = MarkedSource("(module (func (i32.const 1) drop)\n  (func nop 1️⃣")
        let parsed = WAT.parseModule(source.sourceFile)
        #expect(parsed.diagnostics.count == 1)
        #expect(parsed.diagnostics.first?.range.start == source["1️⃣"])
    }

    @Test func lexicalErrorIsReportedOnce() {
        let source = MarkedSource("(module (func (i32.const 1️⃣\"unterminated\n)))")
        let parsed = WAT.parseModule(source.sourceFile)
        #expect(parsed.diagnostics.count == 1)
        #expect(parsed.diagnostics.first?.range.start == source["1️⃣"])
    }
}
