import Testing
import SourceText
import TestSupport
@testable import LanguageServer

/// Instruction types in WAT hovers for instructions whose type depends on their context.
@Suite struct InstructionTypeHoverTests {
    static let source = MarkedSource("""
        (module
          (global $g (mut i64) (i64.const 0))
          (func $f (param $x f32) (result f32)
            (local $y f64)
            local.get $x
            1️⃣local.tee $x
            2️⃣global.get $g
            3️⃣drop
            f32.const 1
            i32.const 0
            4️⃣select
            5️⃣return
            6️⃣f32.add))
        """)

    func hover(_ marker: String) async throws -> String {
        let snapshot = DocumentSnapshot(uri: "file:///t.wat", language: .wat, version: 1, file: Self.source.sourceFile)
        let analysis = try await WATService().analyze(snapshot, previous: nil)
        return WATService().hover(at: Self.source[marker], in: analysis)?.markdown ?? ""
    }

    @Test(arguments: [("1️⃣", "`[f32] -> [f32]`"), ("2️⃣", "`[] -> [i64]`"), ("3️⃣", "`[i64] -> []`"),
                      ("4️⃣", "`[f32 f32 i32] -> [f32]`")])
    func typeFromTheValidator(marker: String, type: String) async throws {
        let text = try await hover(marker)
        #expect(text.contains(type), "\(text)")
    }

    @Test func stackPolymorphicAndUnreachableInstructionsHaveNoType() async throws {
        let ret = try await hover("5️⃣")
        #expect(ret.hasPrefix("`return`") && !ret.contains("->"), "\(ret)")
        // After `return` the stack is unknown; `f32.add` still has its fixed type.
        let add = try await hover("6️⃣")
        #expect(add.contains("`[f32 f32] -> [f32]`"), "\(add)")
    }
}
