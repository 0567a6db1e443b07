import Testing
import CLIF
import SourceText
import TestSupport

/// Ranges, headers, comments, recovery and syntax diagnostics of the CLIF parser.
@Suite struct ParserTests {
    @Test func mentionsCarryRanges() {
        let source = MarkedSource("""
        function 5️⃣%f(i32) -> i32 {
            3️⃣sig0 = (i32) -> i32 fast
            fn0 = %g 4️⃣sig0

        1️⃣block0(2️⃣v0: i32):
            v1 = call fn0(6️⃣v0)
            return v1
        }
        """)
        let file = CLIFFile.parse(source.sourceFile)
        #expect(file.diagnostics.isEmpty)
        let function = file.functions[0]
        let mentions = function.mentions
        #expect(mentions.contains(EntityMention(entity: EntityRef(.block, 0), range: TextRange(start: source["1️⃣"], end: source["1️⃣"] + 6), isDefinition: true)))
        #expect(mentions.contains(EntityMention(entity: EntityRef(.value, 0), range: TextRange(start: source["2️⃣"], end: source["2️⃣"] + 2), isDefinition: true)))
        #expect(mentions.contains(EntityMention(entity: EntityRef(.signature, 0), range: TextRange(start: source["3️⃣"], end: source["3️⃣"] + 4), isDefinition: true)))
        #expect(mentions.contains(EntityMention(entity: EntityRef(.signature, 0), range: TextRange(start: source["4️⃣"], end: source["4️⃣"] + 4), isDefinition: false)))
        #expect(mentions.contains(EntityMention(entity: EntityRef(.value, 0), range: TextRange(start: source["6️⃣"], end: source["6️⃣"] + 2), isDefinition: false)))
        #expect(function.nameRange == TextRange(start: source["5️⃣"], end: source["5️⃣"] + 2))
        #expect(function.signatures.first?.nameRange?.start == source["3️⃣"])
    }

    @Test func headersAndUnknownTarget() {
        let source = MarkedSource("""
        test compile precise-output
        set opt_level=speed
        target x86_64
        target 1️⃣i686 haswell

        function %f() {
        block0:
            return
        }
        """)
        let file = CLIFFile.parse(source.sourceFile)
        #expect(file.testCommands.map(\.text) == ["test compile precise-output"])
        #expect(file.settings.map(\.text) == ["set opt_level=speed"])
        #expect(file.targets.count == 2)
        #expect(file.diagnostics.count == 1)
        #expect(file.diagnostics.first?.severity == .warning)
        #expect(file.diagnostics.first?.range.start == source["1️⃣"])
    }

    @Test func commentsAttachToTheEntityBefore() {
        let file = CLIFFile.parse(SourceFile("""
        ; file comment
        function %f(i32) -> i32 { ; on the function
            gv0 = vmctx ; on gv0
        block0(v0: i32): ; on block0
            v1 = iadd v0, v0 ; error: on the iadd
            ; still the iadd
            return v1
        }
        ; after the function
        """))
        let located = file.comments.map { ($0.text, $0.location) }
        #expect(located[0].1 == nil)
        #expect(located[1].1 == .function)
        #expect(located[2].1 == .entity(EntityRef(.globalValue, 0)))
        #expect(located[3].1 == .entity(EntityRef(.block, 0)))
        #expect(located[4].1 == .instruction(block: 0, index: 0))
        #expect(located[5].1 == .instruction(block: 0, index: 0))
        #expect(located[6].1 == .instruction(block: 0, index: 1))
        #expect(file.comments[4].directive("error:") == "on the iadd")
    }

    @Test func recoversAtTheNextInstruction() {
        let source = MarkedSource("""
        function %f(i32) -> i32 {
        block0(v0: i32):
            v1 = 1️⃣frobnicate v0
            v2 = iadd v0, 2️⃣
            v3 = iadd v0, v0
            return v3
        }

        function %g() {
        block0:
            return
        }
        """)
        let file = CLIFFile.parse(source.sourceFile)
        #expect(file.diagnostics.count == 2)
        #expect(file.diagnostics[0].message == "unknown opcode: 'frobnicate'")
        #expect(file.diagnostics[0].range.start == source["1️⃣"])
        #expect(file.diagnostics[1].range.start > source["2️⃣"] - 1)
        #expect(file.functions.count == 2)
        #expect(file.functions[0].blocks[0].instructions.map(\.opcode.name) == ["iadd", "return"])
    }

    @Test func typeSuffixRequiredWhenNotInferable() {
        let source = MarkedSource("""
        function %f() -> i32 {
        block0:
            v0 = iconst 1️⃣1
            return v0
        }
        """)
        let file = CLIFFile.parse(source.sourceFile)
        #expect(file.diagnostics.first?.range.start == source["1️⃣"])
    }

    @Test func globalValueLoadMustBeNotrapAligned() {
        let source = MarkedSource("""
        function %f(i64 vmctx) {
            gv0 = vmctx
            gv1 = 1️⃣load.i64 notrap gv0

        block0(v0: i64):
            return
        }
        """)
        let file = CLIFFile.parse(source.sourceFile)
        #expect(file.diagnostics.map(\.message) == ["global-value load must be notrap and aligned"])
        #expect(file.diagnostics.first?.range.start == source["1️⃣"])
    }

    @Test func valueAliasesResolveAndPrint() {
        let text = """
        function %f(i32) -> i32 fast {
        block0(v0: i32):
            v1 -> v0
            v2 = iadd v1, v1
            return v2
        }

        """
        let file = CLIFFile.check(SourceFile(text))
        #expect(file.diagnostics.isEmpty)
        #expect(file.functions[0].type(of: Value(1)) == .i32)
        #expect(Printer.print(file.functions[0]) == text)
    }

    @Test func neverCrashesOnAnyPrefix() {
        let text = """
        function u0:0(i64 vmctx, i64, i32) -> i32 tail {
            region0 = 8 "VMContext+0x8"
            gv0 = vmctx
            gv1 = load.i64 notrap aligned readonly region0 gv0+8
            ss0 = explicit_slot 8, align = 4
            sig0 = (i64 vmctx, i32) -> i32 tail
            fn0 = colocated u0:1 sig0
            const0 = 0x000102030405060708090a0b0c0d0e0f

        block0(v0: i64, v1: i64, v2: i32):
        @0020    v3 = iconst.i32 0x7fff_ffff
        @0021    v4 = call fn0(v0, v3)
        @0022    br_table v4, block1, [block1, block2(v2)]

        block1:
            v5 = f64const -0x1.8p3
            return v3

        block2(v6: i32) cold:
            v7 = vconst.i8x16 const0
            trap user3
        }
        """
        let bytes = Array(text.utf8)
        var total = 0
        for end in stride(from: 0, through: bytes.count, by: 3) {
            let file = CLIFFile.check(SourceFile(utf8: Array(bytes[..<end])))
            total += file.diagnostics.count
        }
        #expect(total > 0)
    }

    @Test func aMillionLinesOfJunkGiveDiagnosticsNotACrash() {
        let junk = String(repeating: "((((\n", count: 200_000)
        let file = CLIFFile.parse(SourceFile(junk))
        #expect(!file.diagnostics.isEmpty)
    }
}

/// Inputs that must give a diagnostic instead of exhausting memory.
@Suite struct ParserLimitTests {
    @Test func hugeValueNumbersAreRejected() {
        let file = CLIFFile.check(SourceFile("""
        function %f() -> i32 {
        block0:
            v4000000000 = iconst.i32 1
            return v4000000000
        }
        """))
        #expect(file.diagnostics.contains { $0.message.hasPrefix("value number 4000000000 is too large") })
    }
}
