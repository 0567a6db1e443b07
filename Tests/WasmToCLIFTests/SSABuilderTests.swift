import CLIF
import Testing
@testable import WasmToCLIF

/// The SSA builder on hand-built control flow: parameters appear only where definitions differ,
/// trivial parameters become aliases, and undefined variables read as zero.
@Suite struct SSABuilderTests {
    func makeBuilder() -> FunctionBuilder {
        FunctionBuilder(function: IRFunction(name: .user(namespace: 0, index: 0),
                                             signature: Signature(params: [AbiParam(.i32)], callConv: .tail)))
    }

    @Test func singlePredecessorNeedsNoParameter() {
        var builder = makeBuilder()
        let entry = builder.createBlock()
        builder.appendBlockParamsForFunctionParams(entry)
        builder.switchToBlock(entry)
        builder.sealBlock(entry)
        let x = builder.declareVariable(.i32)
        builder.defineVariable(x, builder.blockParams(entry)[0])
        let next = builder.createBlock()
        builder.jump(next)
        builder.switchToBlock(next)
        builder.sealBlock(next)
        let value = builder.useVariable(x)
        #expect(value == builder.blockParams(entry)[0])
        #expect(builder.blockParams(next).isEmpty)
    }

    @Test func loopHeaderKeepsParameterWhenDefinitionsDiffer() {
        var builder = makeBuilder()
        let entry = builder.createBlock()
        builder.appendBlockParamsForFunctionParams(entry)
        builder.switchToBlock(entry)
        builder.sealBlock(entry)
        let x = builder.declareVariable(.i32)
        builder.defineVariable(x, builder.blockParams(entry)[0])
        let header = builder.createBlock()
        builder.jump(header)
        builder.switchToBlock(header)
        let inHeader = builder.useVariable(x)
        #expect(builder.blockParams(header) == [inHeader])
        let one = builder.iconst(.i32, 1)
        let sum = builder.binary(Op.iadd, inHeader, one)
        builder.defineVariable(x, sum)
        builder.jump(header)
        builder.sealBlock(header)
        #expect(builder.blockParams(header) == [inHeader])
        let jumps = builder.function.instructions.filter { $0.opcode == Op.jump }
        #expect(jumps.map { $0.destinations[0].arguments } == [[.value(builder.blockParams(entry)[0])], [.value(sum)]])
    }

    @Test func loopHeaderDropsParameterWhenUnchanged() {
        var builder = makeBuilder()
        let entry = builder.createBlock()
        builder.appendBlockParamsForFunctionParams(entry)
        builder.switchToBlock(entry)
        builder.sealBlock(entry)
        let x = builder.declareVariable(.i32)
        let initial = builder.blockParams(entry)[0]
        builder.defineVariable(x, initial)
        let header = builder.createBlock()
        builder.jump(header)
        builder.switchToBlock(header)
        let inHeader = builder.useVariable(x)
        builder.jump(header)
        builder.sealBlock(header)
        #expect(builder.blockParams(header).isEmpty)
        #expect(builder.function.resolveAliases(inHeader) == initial)
    }

    @Test func undefinedVariableReadsAsZeroConstant() {
        var builder = makeBuilder()
        let entry = builder.createBlock()
        builder.appendBlockParamsForFunctionParams(entry)
        builder.switchToBlock(entry)
        builder.sealBlock(entry)
        let x = builder.declareVariable(.i64)
        let orphan = builder.createBlock()
        builder.switchToBlock(orphan)
        builder.sealBlock(orphan)
        let value = builder.useVariable(x)
        let resolved = builder.function.resolveAliases(value)
        guard case .result(let instruction) = builder.function.valueDefinitions[Int(resolved.number)] else {
            Issue.record("the zero is not an instruction result")
            return
        }
        #expect(builder.function.instructions[Int(instruction)].opcode == Op.iconst)
        #expect(builder.function.instructions[Int(instruction)].sourceLocation == nil)
    }
}
