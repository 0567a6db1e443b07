import SourceText
import TestSupport
import Testing
import Wasm
@testable import WAT

@Suite struct NameResolutionTests {
    @Test func duplicatesReportBothPlaces() {
        let source = MarkedSource("(module (func 1️⃣$f) (func 2️⃣$f))")
        let (_, diagnostics) = WAT.compile(source.sourceFile)
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.range.start == source["2️⃣"])
        #expect(diagnostics.first?.related.first?.range.start == source["1️⃣"])
    }

    @Test func unknownNamesAreReportedAtTheUse() {
        let source = MarkedSource("(module (func (call 1️⃣$missing)))")
        let (compiled, diagnostics) = WAT.compile(source.sourceFile)
        #expect(diagnostics.map(\.range.start) == [source["1️⃣"]])
        #expect(compiled.module.functions.first?.isPlaceholder == true)
    }

    @Test func resolutionFindsDefinitions() {
        let source = MarkedSource("""
        (module
          (type 1️⃣$t (func (param i32)))
          (global 2️⃣$g (mut i32) (i32.const 0))
          (func 3️⃣$f (type 4️⃣$t) (param 5️⃣$x i32)
            6️⃣block 7️⃣$l
              local.get 8️⃣$x
              global.set 9️⃣$g
              br 🔟$l
            end
            i32.const 0
            call 0️⃣$f))
        """)
        let compiled = WAT.compile(source.sourceFile).compiled
        let resolution = compiled.resolution
        #expect(resolution.definition(at: source["4️⃣"] + 1)?.definition.start == source["1️⃣"])
        #expect(resolution.definition(at: source["8️⃣"] + 1)?.definition.start == source["5️⃣"])
        #expect(resolution.definition(at: source["9️⃣"] + 1)?.definition.start == source["2️⃣"])
        #expect(resolution.definition(at: source["🔟"] + 1)?.definition.start == source["7️⃣"])
        #expect(resolution.definition(at: source["0️⃣"] + 1)?.definition.start == source["3️⃣"])
        #expect(resolution.definition(at: source["6️⃣"]) == nil)
    }

    @Test func labelsCountOutwards() {
        let (compiled, diagnostics) = WAT.compile(SourceFile("""
        (func (block $outer (block $inner (br $outer) (br $inner) (br 0))))
        """))
        #expect(diagnostics.isEmpty)
        let branches = compiled.module.functions[0].body.filter { $0.opcode == .br }
        #expect(branches.map(\.immediates) == [.index(1), .index(0), .index(0)])
    }
}
