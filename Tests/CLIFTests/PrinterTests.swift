import Testing
import CLIF
import SourceText

/// Printing details that must match Cranelift's writer byte for byte.
@Suite struct PrinterTests {
    func roundTrip(_ text: String) -> String {
        let file = CLIFFile.parse(SourceFile(text))
        #expect(file.diagnostics.filter { $0.severity == .error }.isEmpty, "\(file.diagnostics.map(\.message))")
        return file.functions.map { Printer.print($0) }.joined(separator: "\n")
    }

    @Test func sourceLocationColumns() {
        let text = """
        function u0:0(i64 vmctx, i64, i32) -> i32 tail {
            gv0 = vmctx
            gv1 = load.i64 notrap aligned readonly gv0+8
            stack_limit = gv1

                                        block0(v0: i64, v1: i64, v2: i32):
        @0027                               v3 = iconst.i32 0
                                            v4 = iconst.i32 -2
        @0029                               v5 = iadd v2, v3  ; v3 = 0
        @0030                               jump block1(v5)

                                        block1(v6: i32):
        @10000                              return v6
        }

        """
        #expect(roundTrip(text) == text)
    }

    @Test func memoryFlagsInCraneliftOrder() {
        let printed = roundTrip("""
        function %f(i64) -> i64 {
            region0 = 1 "heap"

        block0(v0: i64):
            v1 = load.i64 region0 big can_move readonly aligned notrap v0-8
            v2 = load.i64 user7 v0
            v3 = iadd v1, v2
            return v3
        }
        """)
        #expect(printed.contains("v1 = load.i64 notrap aligned readonly can_move big region0 v0-8"))
        #expect(printed.contains("v2 = load.i64 user7 v0"))
    }

    @Test func immediateNumberFormats() {
        let printed = roundTrip("""
        function %f() {
            ss0 = explicit_slot 65536

        block0:
            v0 = iconst.i64 9999
            v1 = iconst.i64 10000
            v2 = iconst.i8 255
            v3 = iconst.i64 0xffff_ffff_ffff_fff0
            v4 = stack_addr.i64 ss0+0x10000
            v5 = f32const 0x1.0p0
            v6 = f64const -0x0.8p-1022
            v7 = f32const NaN:0x1
            return
        }
        """)
        #expect(printed.contains("v0 = iconst.i64 9999\n"))
        #expect(printed.contains("v1 = iconst.i64 0x2710\n"))
        #expect(printed.contains("v2 = iconst.i8 -1\n"))
        #expect(printed.contains("v3 = iconst.i64 -16\n"))
        #expect(printed.contains("v4 = stack_addr.i64 ss0+0x0001_0000\n"))
        #expect(printed.contains("v5 = f32const 0x1.000000p0\n"))
        #expect(printed.contains("v6 = f64const -0x0.8000000000000p-1022\n"))
        #expect(printed.contains("v7 = f32const +NaN:0x1\n"))
    }

    @Test func typeSuffixOnlyWhenOperandIsInAnotherBlock() {
        let text = """
        function %f(i32) -> i32 fast {
        block0(v0: i32):
            v1 = iadd v0, v0
            jump block1

        block1:
            v2 = iadd.i32 v1, v0
            return v2
        }

        """
        #expect(roundTrip(text) == text)
    }

    @Test func recordsInstructionRanges() {
        let file = CLIFFile.parse(SourceFile("""
        function %f(i32) -> i32 {
        block0(v0: i32):
            v1 = iadd v0, v0
            return v1
        }
        """))
        let printed = Printer.printWithRanges(file.functions[0])
        let ranges = printed.instructionRanges[0]
        let utf8 = Array(printed.text.utf8)
        #expect(String(decoding: utf8[ranges[0].range], as: UTF8.self) == "v1 = iadd v0, v0")
        #expect(String(decoding: utf8[ranges[1].range], as: UTF8.self) == "return v1")
    }

    @Test func buildsAndPrintsAFunctionInCode() {
        var function = Function(name: .user(namespace: 0, index: 3),
                                signature: Signature(params: [AbiParam(.i64, purpose: .vmContext)], returns: [AbiParam(.i32)], callConv: .tail))
        function.globalValues.append(Declared(number: 0, data: .vmContext))
        var block = BlockData(block: Block(0), params: [BlockParam(value: Value(0), type: .i64)])
        function.setType(.i64, of: Value(0))
        let iconst = Instruction(opcode: Opcode(named: "iconst")!, controllingType: .i32, results: [Value(1)],
                                 immediates: .imm64(42), sourceLocation: 0x20)
        function.setType(.i32, of: Value(1))
        block.instructions = [iconst, Instruction(opcode: Opcode(named: "return")!, arguments: [Value(1)], sourceLocation: 0x21)]
        function.blocks = [block]
        #expect(Printer.print(function) == """
        function u0:3(i64 vmctx) -> i32 tail {
            gv0 = vmctx

                                        block0(v0: i64):
        @0020                               v1 = iconst.i32 42
        @0021                               return v1  ; v1 = 42
        }

        """)
        #expect(Verifier.verify(function).isEmpty)
    }
}
