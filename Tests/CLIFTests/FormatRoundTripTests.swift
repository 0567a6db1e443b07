import Testing
import CLIF
import SourceText

/// One function per instruction format, written the way Cranelift prints it: each must parse
/// and verify cleanly and print back to the same text.
@Suite struct FormatRoundTripTests {
    static let samples: [(InstructionFormat, String)] = [
        (.atomicCas, """
        function %f(i64, i32, i32) -> i32 fast {
        block0(v0: i64, v1: i32, v2: i32):
            v3 = atomic_cas v0, v1, v2
            return v3
        }
        """),
        (.atomicRmw, """
        function %f(i64, i32) -> i32 fast {
        block0(v0: i64, v1: i32):
            v2 = atomic_rmw.i32 add v0, v1
            return v2
        }
        """),
        (.binary, """
        function %f(i32, i32) -> i32 fast {
        block0(v0: i32, v1: i32):
            v2 = iadd v0, v1
            return v2
        }
        """),
        (.binaryImm8, """
        function %f(i32x4) -> i32 fast {
        block0(v0: i32x4):
            v1 = extractlane v0, 3
            return v1
        }
        """),
        (.branchTable, """
        function %f(i32) fast {
        block0(v0: i32):
            br_table v0, block1, [block2, block1]

        block1:
            return

        block2:
            return
        }
        """),
        (.brif, """
        function %f(i32) -> i32 fast {
        block0(v0: i32):
            brif v0, block1(v0), block2

        block1(v1: i32):
            return v1

        block2:
            v2 = iconst.i32 0
            return v2  ; v2 = 0
        }
        """),
        (.call, """
        function %f(i32) -> i32 fast {
            sig0 = (i32) -> i32 fast
            fn0 = colocated %g sig0

        block0(v0: i32):
            v1 = call fn0(v0)
            return v1
        }
        """),
        (.callIndirect, """
        function %f(i64, i32) -> i32 fast {
            sig0 = (i32) -> i32 fast

        block0(v0: i64, v1: i32):
            v2 = call_indirect sig0, v0(v1)
            return v2
        }
        """),
        (.condTrap, """
        function %f(i32) fast {
        block0(v0: i32):
            trapnz v0, user1
            return
        }
        """),
        (.dynamicStackAddr, """
        function %f() -> i64 fast {
            dt0 = i32x4*gv0
            dss0 = explicit_dynamic_slot dt0
            gv0 = dyn_scale_target_const.i32x4

        block0:
            v0 = dynamic_stack_addr.i64 dss0
            return v0
        }
        """),
        (.exceptionHandlerAddress, """
        function %f() -> i64 tail {
            sig0 = () tail
            fn0 = %g sig0

        block0:
            jump block1

        block1:
            try_call fn0(), sig0, block2, [ default: block3 ]

        block2:
            v0 = get_exception_handler_address.i64 block1, 0
            return v0

        block3:
            v1 = iconst.i64 0
            return v1  ; v1 = 0
        }
        """),
        (.floatCompare, """
        function %f(f64, f64) -> i8 fast {
        block0(v0: f64, v1: f64):
            v2 = fcmp lt v0, v1
            return v2
        }
        """),
        (.funcAddr, """
        function %f() -> i64 fast {
            sig0 = () fast
            fn0 = %g sig0

        block0:
            v0 = func_addr.i64 fn0
            return v0
        }
        """),
        (.intAddTrap, """
        function %f(i64, i64) -> i64 fast {
        block0(v0: i64, v1: i64):
            v2 = uadd_overflow_trap v0, v1, heap_oob
            return v2
        }
        """),
        (.intCompare, """
        function %f(i32, i32) -> i8 fast {
        block0(v0: i32, v1: i32):
            v2 = icmp uge v0, v1
            return v2
        }
        """),
        (.jump, """
        function %f(i32) -> i32 fast {
        block0(v0: i32):
            jump block1(v0)

        block1(v1: i32):
            return v1
        }
        """),
        (.load, """
        function %f(i64) -> i32 fast {
        block0(v0: i64):
            v1 = load.i32 notrap aligned readonly v0+8
            v2 = uload8.i32 v0-16
            v3 = iadd v1, v2
            return v3
        }
        """),
        (.loadNoOffset, """
        function %f(i32) -> f32 fast {
        block0(v0: i32):
            v1 = bitcast.f32 v0
            return v1
        }
        """),
        (.multiAry, """
        function %f(i32, i64) -> i32, i64 fast {
        block0(v0: i32, v1: i64):
            return v0, v1
        }
        """),
        (.nullAry, """
        function %f() fast {
        block0:
            nop 
            return
        }
        """),
        (.shuffle, """
        function %f(i8x16, i8x16) -> i8x16 fast {
        block0(v0: i8x16, v1: i8x16):
            v2 = shuffle v0, v1, 0x1f1e1d1c1b1a19181716151413121110
            return v2
        }
        """),
        (.stackAddr, """
        function %f() -> i64 fast {
            ss0 = explicit_slot 16, align = 8

        block0:
            v0 = stack_addr.i64 ss0+4
            return v0
        }
        """),
        (.store, """
        function %f(i64, i32) fast {
        block0(v0: i64, v1: i32):
            store notrap aligned v1, v0+16
            istore8 little v1, v0
            return
        }
        """),
        (.storeNoOffset, """
        function %f(i64, i32) fast {
        block0(v0: i64, v1: i32):
            atomic_store v1, v0
            return
        }
        """),
        (.ternary, """
        function %f(i8, i32, i32) -> i32 fast {
        block0(v0: i8, v1: i32, v2: i32):
            v3 = select v0, v1, v2
            return v3
        }
        """),
        (.ternaryImm8, """
        function %f(i32x4, i32) -> i32x4 fast {
        block0(v0: i32x4, v1: i32):
            v2 = insertlane v0, v1, 2
            return v2
        }
        """),
        (.trap, """
        function %f() fast {
        block0:
            trap int_divz
        }
        """),
        (.tryCall, """
        function %f(i32) -> i32 tail {
            sig0 = (i32) -> i32 tail
            fn0 = %g sig0

        block0(v0: i32):
            try_call fn0(v0), sig0, block1(ret0), [ tag1: block2(exn0), default: block2(exn0) ]

        block1(v1: i32):
            return v1

        block2(v2: i64):
            v3 = ireduce.i32 v2
            return v3
        }
        """),
        (.tryCallIndirect, """
        function %f(i64, i32) -> i32 tail {
            sig0 = (i32) -> i32 tail

        block0(v0: i64, v1: i32):
            try_call_indirect v0(v1), sig0, block1(ret0), []

        block1(v2: i32):
            return v2
        }
        """),
        (.unary, """
        function %f(i32) -> i64 fast {
        block0(v0: i32):
            v1 = uextend.i64 v0
            return v1
        }
        """),
        (.unaryConst, """
        function %f() -> i32x4 fast {
            const0 = 0x00000004000000030000000200000001

        block0:
            v0 = vconst.i32x4 const0
            return v0  ; v0 = const0
        }
        """),
        (.unaryGlobalValue, """
        function %f() -> i64 fast {
            gv0 = symbol colocated %data+8

        block0:
            v0 = symbol_value.i64 gv0
            return v0
        }
        """),
        (.unaryIeee16, """
        function %f() -> f16 fast {
        block0:
            v0 = f16const 0x1.800p1
            return v0  ; v0 = 0x1.800p1
        }
        """),
        (.unaryIeee32, """
        function %f() -> f32 fast {
        block0:
            v0 = f32const -0x1.800000p-3
            return v0  ; v0 = -0x1.800000p-3
        }
        """),
        (.unaryIeee64, """
        function %f() -> f64 fast {
        block0:
            v0 = f64const +Inf
            return v0  ; v0 = +Inf
        }
        """),
        (.unaryImm, """
        function %f() -> i32 fast {
        block0:
            v0 = iconst.i32 -1
            v1 = iconst.i32 0x0001_0000
            v2 = iadd v0, v1  ; v0 = -1, v1 = 0x0001_0000
            return v2
        }
        """),
    ]

    @Test func everyFormatHasASample() {
        let covered = Set(Self.samples.map(\.0))
        #expect(covered == Set(InstructionFormat.allCases))
    }

    @Test(arguments: samples.map(\.1))
    func roundTrip(_ text: String) {
        let file = CLIFFile.check(SourceFile(text))
        #expect(file.diagnostics.isEmpty, "\(file.diagnostics.map(\.message))")
        #expect(file.functions.count == 1)
        guard let function = file.functions.first else { return }
        let printed = Printer.print(function)
        #expect(printed == text + "\n", "printed:\n\(printed)")
    }
}
