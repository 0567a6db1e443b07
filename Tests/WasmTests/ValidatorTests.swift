import Testing
import Wasm

/// The validator on modules built in code: operand and control stacks, unreachable code, locals,
/// references and GC subtyping, module-level rules, and nesting far deeper than real code.
@Suite struct ValidatorTests {
    static func module(
        parameters: [ValueType] = [], results: [ValueType] = [], locals: [LocalGroup] = [], _ body: [Instruction]
    ) -> Module {
        var module = Module()
        module.types = [RecGroup(SubType(function: FunctionType(parameters: parameters, results: results)))]
        module.functions = [Function(typeIndex: 0, locals: locals, body: body)]
        return module
    }

    static func i32(_ value: Int32) -> Instruction { Instruction(.i32Const, .i32(value)) }
    static func i64(_ value: Int64) -> Instruction { Instruction(.i64Const, .i64(value)) }

    @Test func validFunctionHasNoErrors() {
        let module = Self.module(parameters: [.i32], results: [.i32],
                                 [Instruction(.localGet, .index(0)), Self.i32(1), Instruction(.i32Add), .end])
        #expect(module.validate().isEmpty)
    }

    @Test func typeMismatchNamesBothTypesAndTheInstruction() {
        let module = Self.module(results: [.i32], [Self.i32(1), Self.i64(2), Instruction(.i32Add), .end])
        let errors = module.validate()
        #expect(errors.count == 1)
        #expect(errors.first?.message == "type mismatch: expected i32, found i64")
        #expect(errors.first?.item == .instruction(function: 0, index: 2))
    }

    @Test func emptyStackAndLeftoverValues() {
        let missing = Self.module(results: [.i32], [Instruction(.i32Eqz), .end]).validate()
        #expect(missing.first?.message == "type mismatch: expected i32 but nothing on stack")
        let leftover = Self.module([Self.i32(1), .end]).validate()
        #expect(leftover.first?.message == "type mismatch: values remaining on stack at end of block")
        #expect(leftover.first?.item == .instruction(function: 0, index: 1))
    }

    @Test func unreachableCodeIsPolymorphic() {
        let module = Self.module(results: [.i32], [.unreachable, Instruction(.i32Add), Instruction(.i64Eqz), .end])
        let errors = module.validate()
        #expect(errors.first?.message == "type mismatch: expected i64, found i32")
        #expect(errors.first?.item == .instruction(function: 0, index: 2))
        let fine = Self.module(results: [.i64], [.unreachable, Instruction(.i64Eqz), Instruction(.i64ExtendI32U), .end])
        #expect(fine.validate().isEmpty)
    }

    @Test func branchesCheckLabelTypes() {
        let good = Self.module(results: [.i32], [
            Instruction(.block, .blockType(.value(.i32))), Self.i32(1), Instruction(.br, .index(0)), .end, .end,
        ])
        #expect(good.validate().isEmpty)
        let badDepth = Self.module([Instruction(.br, .index(1)), .end]).validate()
        #expect(badDepth.first?.message.hasPrefix("unknown label") == true)
        let arity = Self.module([
            Instruction(.block, .blockType(.value(.i32))), Self.i32(0), Self.i32(0),
            Instruction(.brTable, .labelTable([0], default: 1)), .end, Instruction(.drop), .end,
        ]).validate()
        #expect(arity.first?.message.hasPrefix("type mismatch: br_table") == true)
    }

    @Test func operandStacksBeforeEachInstruction() {
        let module = Self.module(results: [.i32], [Self.i32(1), Self.i32(2), Instruction(.i32Add), .end])
        let stacks = module.operandStacks(ofFunction: 0)
        #expect(stacks == [[], [.i32], [.i32, .i32], [.i32]])
        let unreachable = Self.module(results: [.i32], [.unreachable, Instruction(.i32Eqz), .end])
        #expect(unreachable.operandStacks(ofFunction: 0) == [[], [], [.i32]])
    }

    @Test func nonDefaultableLocalsMustBeSetFirst() {
        let nonNull = ValueType.ref(RefType(nullable: false, heapType: .abstract(.func)))
        let read = Self.module(locals: [LocalGroup(count: 1, type: nonNull)], [Instruction(.localGet, .index(0)), Instruction(.drop), .end])
        #expect(read.validate().first?.message == "uninitialized local: 0")
        var module = Self.module(locals: [LocalGroup(count: 1, type: nonNull)], [
            Instruction(.refFunc, .index(0)), Instruction(.localSet, .index(0)),
            Instruction(.localGet, .index(0)), Instruction(.drop), .end,
        ])
        module.exports = [Export(name: "f", kind: .function, index: 0)]
        #expect(module.validate().isEmpty)
        var scoped = Self.module(locals: [LocalGroup(count: 1, type: nonNull)], [
            Instruction(.block, .blockType(.empty)), Instruction(.refFunc, .index(0)), Instruction(.localSet, .index(0)), .end,
            Instruction(.localGet, .index(0)), Instruction(.drop), .end,
        ])
        scoped.exports = [Export(name: "f", kind: .function, index: 0)]
        #expect(scoped.validate().first?.message == "uninitialized local: 0")
    }

    @Test func refFuncNeedsADeclaration() {
        let module = Self.module([Instruction(.refFunc, .index(0)), Instruction(.drop), .end])
        #expect(module.validate().first?.message == "undeclared function reference")
    }

    @Test func structurallyEqualRecGroupsAreTheSameType() {
        var module = Module()
        let array = SubType(composite: CompositeType(.array(FieldType(storage: .value(.i32), mutable: true))))
        module.types = [RecGroup(array), RecGroup(array), RecGroup(SubType(function: FunctionType(
            parameters: [.ref(RefType(nullable: true, heapType: .concrete(0)))],
            results: [.ref(RefType(nullable: true, heapType: .concrete(1)))])))]
        module.functions = [Function(typeIndex: 2, body: [Instruction(.localGet, .index(0)), .end])]
        #expect(module.validate().isEmpty)
        module.types[1] = RecGroup(SubType(composite: CompositeType(.array(FieldType(storage: .value(.i64), mutable: true)))))
        #expect(module.validate().first?.message.hasPrefix("type mismatch") == true)
    }

    @Test func declaredSubtypesAndFinality() {
        var module = Module()
        let base = SubType(isFinal: false, composite: CompositeType(.struct([FieldType(storage: .value(.i32), mutable: false)])))
        let derived = SubType(isFinal: true, supertype: 0, composite: CompositeType(.struct([
            FieldType(storage: .value(.i32), mutable: false), FieldType(storage: .i8, mutable: true),
        ])))
        module.types = [RecGroup(base), RecGroup(derived)]
        #expect(module.validate().isEmpty)
        module.types[0].types[0].isFinal = true
        #expect(module.validate().first?.message.hasPrefix("sub type 1 cannot have a final super type 0") == true)
        module.types[0].types[0].isFinal = false
        module.types[1].types[0].composite = CompositeType(.struct([FieldType(storage: .value(.i64), mutable: false)]))
        #expect(module.validate().first?.message == "sub type 1 does not match super type 0")
    }

    @Test func moduleLevelRules() {
        var module = Module()
        module.memories = [MemoryType(limits: Limits(min: 2, max: 1))]
        module.exports = [Export(name: "a", kind: .memory, index: 0), Export(name: "a", kind: .function, index: 3)]
        let messages = module.validate().map(\.message)
        #expect(messages.contains("size minimum must not be greater than maximum"))
        #expect(messages.contains { $0.hasPrefix("duplicate export name") })
        #expect(messages.contains { $0.hasPrefix("unknown function 3") })
        var shared = Module()
        shared.memories = [MemoryType(limits: Limits(min: 1, shared: true))]
        #expect(shared.validate().first?.message == "shared memory must have maximum size")
    }

    @Test func memoryAccessesCheckAlignmentAndMemory() {
        var module = Self.module([Self.i32(0), Instruction(.i32Load, .memArg(MemArg(alignLog2: 3))), Instruction(.drop), .end])
        #expect(module.validate().first?.message == "unknown memory 0")
        module.memories = [MemoryType(limits: Limits(min: 1))]
        #expect(module.validate().first?.message == "alignment must not be larger than natural")
        module.functions[0].body[1] = Instruction(.i32Load, .memArg(MemArg(alignLog2: 2)))
        #expect(module.validate().isEmpty)
        module.memories = [MemoryType(limits: Limits(min: 1, is64: true))]
        #expect(module.validate().first?.message == "type mismatch: expected i64, found i32")
    }

    @Test func constantExpressions() {
        var module = Module()
        module.globals = [
            Global(type: GlobalType(valueType: .i32, mutable: true), initializer: .i32(1)),
            Global(type: GlobalType(valueType: .i32, mutable: false),
                   initializer: ConstExpr([Instruction(.globalGet, .index(0)), .end])),
        ]
        #expect(module.validate().first?.message.hasPrefix("constant expression required") == true)
        module.globals[1].initializer = ConstExpr([Self.i32(1), Self.i32(2), Instruction(.i32Add), .end])
        #expect(module.validate().isEmpty)
        module.globals[1].initializer = ConstExpr([Self.i32(1), Instruction(.i32Eqz), .end])
        #expect(module.validate().first?.message.hasPrefix("constant expression required") == true)
    }

    @Test func deepNestingNeedsNoRecursion() {
        for depth in [3_000, 200_000] {
            var body: [Instruction] = Array(repeating: Instruction(.block, .blockType(.empty)), count: depth)
            body += Array(repeating: Instruction.end, count: depth)
            body.append(.end)
            #expect(Self.module(body).validate().isEmpty)
            body.removeLast(2)
            let errors = Self.module(body).validate()
            #expect(errors.first?.message.hasPrefix("control frames remain") == true)
        }
    }

    @Test func tailCallsCheckResults() {
        var module = Self.module(results: [.i32], [Instruction(.returnCall, .index(1)), .end])
        module.types.append(RecGroup(SubType(function: FunctionType(results: [.i64]))))
        module.functions.append(Function(typeIndex: 1, body: [Self.i64(0), .end]))
        #expect(module.validate().first?.message.hasPrefix("type mismatch: current function requires result type [i32]") == true)
    }
}
