import Testing
import Wasm

@Suite struct PrinterTests {
    @Test func printsFieldsNamesAndInstructions() throws {
        var module = Module()
        module.types = [RecGroup(SubType(function: FunctionType(parameters: [.i32], results: [.f32])))]
        module.memories = [MemoryType(limits: Limits(min: 1, max: 2))]
        module.functions = [
            Function(
                typeIndex: 0, locals: [LocalGroup(count: 2, type: .i64)],
                body: [
                    Instruction(.block, .blockType(.value(.f32))),
                    Instruction(.localGet, .index(0)),
                    Instruction(.i32Load8U, .memArg(MemArg(alignLog2: 0, offset: 4))),
                    Instruction(.f32ConvertI32S),
                    Instruction(.f32Const, .f32(0x3fc0_0000)),
                    Instruction(.f32Add),
                    .end,
                    .end,
                ])
        ]
        module.exports = [Export(name: "run", kind: .function, index: 0)]
        module.data = [DataSegment(mode: .active(memory: 0, offset: .i32(8)), bytes: Array("hi\"\n".utf8))]
        module.names.functions = NameMap([Naming(index: 0, name: "run")])
        module.names.locals = IndirectNameMap([IndirectNaming(index: 0, names: NameMap([Naming(index: 0, name: "x y")]))])
        let expected = """
            (module
              (type (;0;) (func (param i32) (result f32)))
              (memory (;0;) 1 2)
              (export "run" (func $run))
              (func $run (;0;) (type 0) (param $"x y" i32) (result f32)
                (local i64 i64)
                block (result f32)
                  local.get $"x y"
                  i32.load8_u offset=4
                  f32.convert_i32_s
                  f32.const 0x1.8p+0
                  f32.add
                end
              )
              (data (;0;) (offset i32.const 8) "hi\\22\\0a")
            )

            """
        #expect(module.printed() == expected)
    }

    @Test(arguments: [
        (UInt64(0x0000_0000), "0x0p+0"), (0x8000_0000, "-0x0p+0"), (0x3f80_0000, "0x1p+0"),
        (0x7f80_0000, "inf"), (0xff80_0000, "-inf"), (0x7fc0_0000, "nan"), (0x7fa0_0000, "nan:0x200000"),
        (0x0000_0001, "0x0.000002p-126"), (0x4049_0fdb, "0x1.921fb6p+1"),
    ])
    func printsExactFloats(bits: UInt64, text: String) {
        var module = Module()
        module.globals = [Global(type: GlobalType(valueType: .f32, mutable: false), initializer: ConstExpr([Instruction(.f32Const, .f32(UInt32(bits))), .end]))]
        #expect(module.printed().contains("f32.const \(text))"))
    }
}
