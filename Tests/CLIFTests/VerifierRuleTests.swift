import Testing
import CLIF
import SourceText
import TestSupport

/// One test per verifier rule: the marked source must produce exactly one error whose message
/// contains the expected text and whose range starts at 1️⃣.
@Suite struct VerifierRuleTests {
    func expectError(_ marked: String, _ message: String, context: VerifierContext = VerifierContext(),
                     sourceLocation: SourceLocation = #_sourceLocation) {
        let source = MarkedSource(marked)
        let file = CLIFFile.parse(source.sourceFile)
        #expect(file.diagnostics.isEmpty, "syntax: \(file.diagnostics.map(\.message))", sourceLocation: sourceLocation)
        let errors = file.functions.flatMap { Verifier.verify($0, context: context) }
        #expect(errors.count == 1, "\(errors.map(\.diagnostic.message))", sourceLocation: sourceLocation)
        guard let error = errors.first else { return }
        #expect(error.diagnostic.message.contains(message), "\(error.diagnostic.message)", sourceLocation: sourceLocation)
        #expect(error.diagnostic.range.start == source["1️⃣"], sourceLocation: sourceLocation)
        #expect(error.diagnostic.code == "clif-verifier", sourceLocation: sourceLocation)
    }

    @Test func undefinedValue() {
        expectError("""
        function %f(i32) -> i32 {
        block0(v0: i32):
            v1 = iadd v0, 1️⃣v7
            return v1
        }
        """, "invalid value reference v7")
    }

    @Test func useNotDominatedByDefinition() {
        let source = MarkedSource("""
        function %f(i32) -> i32 {
        block0(v0: i32):
            brif v0, block1, block2

        block1:
            2️⃣v1 = iconst.i32 1
            jump block2

        block2:
            return 1️⃣v1
        }
        """)
        let file = CLIFFile.parse(source.sourceFile)
        let errors = Verifier.verify(file.functions[0])
        #expect(errors.count == 1)
        #expect(errors.first?.diagnostic.message.contains("uses value v1 from non-dominating") == true)
        #expect(errors.first?.diagnostic.range.start == source["1️⃣"])
        #expect(errors.first?.diagnostic.related.first?.range.start == source["2️⃣"])
    }

    @Test func useOfOwnResult() {
        expectError("""
        function %f() -> i32 {
        block0:
            v1 = iadd.i32 1️⃣v1, v1
            return v1
        }
        """, "uses value v1 from")
    }

    @Test func operandTypeMismatch() {
        expectError("""
        function %f(i32, i64) -> i32 {
        block0(v0: i32, v1: i64):
            v2 = iadd v0, 1️⃣v1
            return v2
        }
        """, "arg 1 (v1) has type i64, expected i32")
    }

    @Test func branchArgumentCount() {
        expectError("""
        function %f(i32) -> i32 {
        block0(v0: i32):
            1️⃣jump block1

        block1(v1: i32):
            return v1
        }
        """, "mismatched argument count for `jump block1`: got 0, expected 1")
    }

    @Test func branchArgumentType() {
        expectError("""
        function %f(i64) -> i32 {
        block0(v0: i64):
            1️⃣jump block1(v0)

        block1(v1: i32):
            return v1
        }
        """, "arg v0 has type i64, expected i32")
    }

    @Test func blockWithoutTerminator() {
        expectError("""
        function %f(i32) -> i32 {
        1️⃣block0(v0: i32):
            v1 = iadd v0, v0
        }
        """, "block does not end in a terminator instruction")
    }

    @Test func terminatorBeforeEndOfBlock() {
        expectError("""
        function %f(i32) -> i32 {
        block0(v0: i32):
            1️⃣return v0
            return v0
        }
        """, "a terminator instruction was encountered before the end of block0")
    }

    @Test func callArgumentType() {
        expectError("""
        function %f(i64) {
            sig0 = (i32) fast
            fn0 = %g sig0

        block0(v0: i64):
            call fn0(1️⃣v0)
            return
        }
        """, "arg 0 (v0) has type i64, expected i32")
    }

    @Test func callResultCount() {
        expectError("""
        function %f(i32) -> i32 {
        block0(v0: i32):
            1️⃣return
        }
        """, "arguments of return must match function signature")
    }

    @Test func undefinedFunctionReference() {
        expectError("""
        function %f() {
        block0:
            1️⃣call fn3()
            return
        }
        """, "invalid function reference fn3")
    }

    @Test func undefinedAliasRegion() {
        expectError("""
        function %f(i64) -> i32 {
        block0(v0: i64):
            1️⃣v1 = load.i32 notrap region4 v0
            return v1
        }
        """, "undefined alias region region4")
    }

    @Test func entryBlockParameters() {
        expectError("""
        function %f(i32) -> i32 {
        1️⃣block0:
            v0 = iconst.i32 0
            return v0
        }
        """, "entry block parameters (0) must match function signature (1)")
    }

    @Test func entryBlockNotCold() {
        expectError("""
        function %f() {
        1️⃣block0 cold:
            return
        }
        """, "entry block cannot be marked as cold")
    }

    @Test func globalValueCycle() {
        expectError("""
        function %f(i64 vmctx) {
            1️⃣gv0 = load.i64 notrap aligned gv1
            gv1 = load.i64 notrap aligned gv0

        block0(v0: i64):
            return
        }
        """, "global value cycle: [gv0, gv1]")
    }

    @Test func undeclaredVMContext() {
        expectError("""
        function %f() {
            1️⃣gv0 = vmctx

        block0:
            return
        }
        """, "undeclared vmctx reference gv0")
    }

    @Test func laneIndexOutOfRange() {
        expectError("""
        function %f(i32x4) -> i32 {
        block0(v0: i32x4):
            1️⃣v1 = extractlane v0, 4
            return v1
        }
        """, "The lane 4 does not index into the type i32x4")
    }

    @Test func branchToEntryBlock() {
        expectError("""
        function %f() {
        block0:
            1️⃣jump block0
        }
        """, "invalid reference to entry block block0")
    }

    @Test func tailCallConvention() {
        expectError("""
        function %f() fast {
            sig0 = () fast
            fn0 = %g sig0

        block0:
            1️⃣return_call fn0()
        }
        """, "calling convention `fast` does not support tail calls")
    }

    @Test func debugTagsOnlyOnCalls() {
        expectError("""
        function %f(i32) -> i32 {
        block0(v0: i32):
            <1> 1️⃣v1 = iadd v0, v0
            return v1
        }
        """, "debug tags present on non-call, non-sequence point instruction")
    }

    @Test func pointerWidthWithTarget() {
        expectError("""
        function %f(i32) -> i32 {
        block0(v0: i32):
            v1 = load.i32 1️⃣v0
            return v1
        }
        """, "invalid pointer width (got 32, expected 64) encountered v0",
        context: VerifierContext(pointerType: .i64))
    }

    @Test func validFunctionHasNoErrors() {
        let file = CLIFFile.check(SourceFile("""
        function %f(i64 vmctx, i32) -> i32 tail {
            gv0 = vmctx
            gv1 = load.i64 notrap aligned readonly gv0+8

        block0(v0: i64, v1: i32):
            v2 = global_value.i64 gv1
            return v1
        }
        """))
        // `global_value` is no longer an opcode: a syntax error, and nothing else.
        #expect(file.diagnostics.count == 1)
        #expect(file.diagnostics.first?.message == "unknown opcode: 'global_value'")
    }
}
