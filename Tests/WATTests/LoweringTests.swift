import SourceText
import TestSupport
import Testing
import Wasm
@testable import WAT

@Suite struct LoweringTests {
    @Test func implicitTypesFollowExplicitOnesAndAreShared() {
        let (compiled, diagnostics) = WAT.compile(SourceFile("""
        (module
          (func (param i32))
          (type $v (func))
          (func (param i32))
          (func)
          (func (type $v) (param) (result)))
        """))
        #expect(diagnostics.isEmpty)
        #expect(compiled.module.typeList.count == 2)
        #expect(compiled.module.functions.map(\.typeIndex) == [1, 1, 0, 0])
    }

    @Test func localsAreGroupedAndInlineExportsPulledOut() {
        let (compiled, _) = WAT.compile(SourceFile("""
        (module
          (memory (export "mem") (data "hello"))
          (func (export "f") (local i32 i32) (local i64) (local $x i32)))
        """))
        let module = compiled.module
        #expect(module.functions[0].locals == [LocalGroup(count: 2, type: .i32), LocalGroup(count: 1, type: .i64),
                                               LocalGroup(count: 1, type: .i32)])
        #expect(module.exports.map(\.name) == ["mem", "f"])
        #expect(module.memories.first?.limits.min == 1)
        #expect(module.data.first?.bytes == Array("hello".utf8))
        #expect(module.names.locals.entries.first?.names.entries == [Naming(index: 3, name: "x")])
    }

    @Test func encodesLikeWasmTools() {
        let (compiled, diagnostics) = WAT.compile(SourceFile("""
        (module (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))
        """))
        #expect(diagnostics.isEmpty)
        // Bytes checked against `wasm-tools parse` 1.262 for the same text.
        #expect(compiled.bytes == [
            0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
            0x01, 0x07, 0x01, 0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f,
            0x03, 0x02, 0x01, 0x00,
            0x07, 0x07, 0x01, 0x03, 0x61, 0x64, 0x64, 0x00, 0x00,
            0x0a, 0x09, 0x01, 0x07, 0x00, 0x20, 0x00, 0x20, 0x01, 0x6a, 0x0b,
        ])
    }

    @Test func offsetsAndRangesMapBothWays() {
        let source = MarkedSource("(module (func (result i32) 1️⃣i32.const 42 2️⃣drop 3️⃣i32.const 7))")
        let compiled = WAT.compile(source.sourceFile).compiled
        let map = compiled.map
        guard let drop = map.offset(atTextPosition: source["2️⃣"] + 1) else {
            Issue.record("no offset for drop")
            return
        }
        #expect(drop.item == .instruction(function: 0, index: 1))
        #expect(compiled.bytes[drop.offset] == 0x1a)
        #expect(map.range(atOffset: drop.offset)?.range.start == source["2️⃣"])
        let constant = map.offset(atTextPosition: source["3️⃣"])
        #expect(constant.map { compiled.bytes[$0.offset] } == 0x41)
        #expect(map.range(atOffset: constant!.offset + 1)?.range.start == source["3️⃣"])
    }

    @Test func placeholderBodyKeepsTheModuleWorking() {
        let (compiled, diagnostics) = WAT.compile(SourceFile("""
        (module (func $bad (result i32) (i32.add (i32.const 1) (i32.const))) (func (export "ok") (call $bad) drop))
        """))
        #expect(diagnostics.count == 1)
        #expect(compiled.module.functions[0].body == [.unreachable, .end])
        #expect(compiled.module.exports.first?.index == 1)
    }
}
