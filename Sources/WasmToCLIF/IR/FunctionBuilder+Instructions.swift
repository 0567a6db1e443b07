import CLIF

/// Opcodes the translator builds, looked up once in the CLIF opcode table.
enum Op {
    static func named(_ name: String) -> Opcode {
        guard let opcode = Opcode(named: name) else { preconditionFailure("no CLIF opcode \(name)") }
        return opcode
    }
    static let jump = named("jump"), brif = named("brif"), brTable = named("br_table")
    static let `return` = named("return"), trap = named("trap"), trapz = named("trapz"), trapnz = named("trapnz")
    static let call = named("call"), callIndirect = named("call_indirect")
    static let returnCall = named("return_call"), returnCallIndirect = named("return_call_indirect")
    static let iconst = named("iconst"), f16const = named("f16const"), f32const = named("f32const"), f64const = named("f64const")
    static let vconst = named("vconst")
    static let iadd = named("iadd"), isub = named("isub"), band = named("band"), ishl = named("ishl"), ushr = named("ushr")
    static let icmp = named("icmp"), fcmp = named("fcmp")
    static let uextend = named("uextend"), sextend = named("sextend"), ireduce = named("ireduce")
    static let select = named("select"), selectSpectreGuard = named("select_spectre_guard")
    static let load = named("load"), store = named("store"), bitcast = named("bitcast")
    static let uaddOverflowTrap = named("uadd_overflow_trap")
}

extension FunctionBuilder {
    /// The controlling type of a new instruction: `type` when given, otherwise the type of the
    /// opcode's type-variable operand; `.invalid` for opcodes that are not polymorphic.
    func controllingType(_ info: OpcodeInfo, _ type: CLIFType?, _ arguments: ValueList) -> CLIFType {
        guard info.isPolymorphic else { return .invalid }
        if let type { return type }
        if info.typeVariableOperand < arguments.count { return function.type(of: arguments[info.typeVariableOperand]) }
        return .invalid
    }

    /// Builds `opcode` with value operands and returns the instruction's index.
    @discardableResult
    mutating func insert(_ opcode: Opcode, _ type: CLIFType?, _ arguments: ValueList, immediates: Immediates = .none,
                         destinations: [BlockCall] = []) -> Int32 {
        let controlling = controllingType(opcode.info, type, arguments)
        return build(Instruction(opcode: opcode, controllingType: controlling, arguments: arguments,
                                 destinations: destinations, immediates: immediates))
    }

    /// Builds `opcode` with value operands and returns its first result.
    mutating func insert1(_ opcode: Opcode, _ type: CLIFType?, _ arguments: ValueList, immediates: Immediates = .none) -> Value {
        let index = insert(opcode, type, arguments, immediates: immediates)
        return function.firstResult(of: index)
    }

    /// Builds `opcode` with value operands; the controlling type is `type` when given, otherwise
    /// the type of the opcode's type-variable operand. Returns the results.
    @discardableResult
    mutating func ins(_ opcode: Opcode, _ type: CLIFType? = nil, _ arguments: [Value] = [],
                      immediates: Immediates = .none, destinations: [BlockCall] = []) -> [Value] {
        let index = insert(opcode, type, ValueList(arguments), immediates: immediates, destinations: destinations)
        return function.results(of: index)
    }

    mutating func ins1(_ opcode: Opcode, _ type: CLIFType? = nil, _ arguments: [Value] = [],
                       immediates: Immediates = .none) -> Value {
        insert1(opcode, type, ValueList(arguments), immediates: immediates)
    }

    mutating func iconst(_ type: CLIFType, _ value: Int64) -> Value {
        let masked: Int64 = type.bits >= 64 ? value : value & ((1 << Int64(type.bits)) - 1)
        return insert1(Op.iconst, type, ValueList(), immediates: .imm64(masked))
    }

    mutating func f32const(_ bits: UInt32) -> Value {
        insert1(Op.f32const, .f32, ValueList(), immediates: .ieee32(bits))
    }

    mutating func f64const(_ bits: UInt64) -> Value {
        insert1(Op.f64const, .f64, ValueList(), immediates: .ieee64(bits))
    }

    mutating func vconst(_ type: CLIFType, _ bytes: [UInt8]) -> Value {
        let handle = function.constant(bytes)
        return insert1(Op.vconst, type, ValueList(), immediates: .constant(handle))
    }

    mutating func binary(_ opcode: Opcode, _ a: Value, _ b: Value) -> Value {
        insert1(opcode, nil, ValueList(a, b))
    }

    mutating func unary(_ opcode: Opcode, _ a: Value) -> Value {
        insert1(opcode, nil, ValueList(a))
    }

    mutating func convert(_ opcode: Opcode, _ type: CLIFType, _ a: Value) -> Value {
        insert1(opcode, type, ValueList(a))
    }

    mutating func icmp(_ cc: IntCC, _ a: Value, _ b: Value) -> Value {
        insert1(Op.icmp, nil, ValueList(a, b), immediates: .intCC(cc))
    }

    mutating func fcmp(_ cc: FloatCC, _ a: Value, _ b: Value) -> Value {
        insert1(Op.fcmp, nil, ValueList(a, b), immediates: .floatCC(cc))
    }

    mutating func load(_ opcode: Opcode = Op.load, _ type: CLIFType, _ flags: MemFlags, _ address: Value, _ offset: Int32 = 0) -> Value {
        insert1(opcode, type, ValueList(address), immediates: .memory(flags, offset: offset))
    }

    mutating func store(_ opcode: Opcode = Op.store, _ flags: MemFlags, _ value: Value, _ address: Value, _ offset: Int32 = 0) {
        insert(opcode, function.type(of: value), ValueList(value, address), immediates: .memory(flags, offset: offset))
    }

    @discardableResult
    mutating func jump(_ block: Block) -> Int32 {
        build(Instruction(opcode: Op.jump, destinations: [BlockCall(block)]))
    }

    @discardableResult
    mutating func brif(_ condition: Value, _ then: Block, _ otherwise: Block) -> Int32 {
        build(Instruction(opcode: Op.brif, controllingType: function.type(of: condition), arguments: ValueList(condition),
                          destinations: [BlockCall(then), BlockCall(otherwise)]))
    }

    @discardableResult
    mutating func jump(_ block: Block, _ arguments: [Value]) -> Int32 {
        build(Instruction(opcode: Op.jump, destinations: [BlockCall(block, arguments.map { .value($0) })]))
    }

    @discardableResult
    mutating func brif(_ condition: Value, _ then: Block, _ thenArguments: [Value], _ otherwise: Block,
                       _ otherwiseArguments: [Value] = []) -> Int32 {
        build(Instruction(opcode: Op.brif, controllingType: function.type(of: condition), arguments: ValueList(condition),
                          destinations: [BlockCall(then, thenArguments.map { .value($0) }),
                                         BlockCall(otherwise, otherwiseArguments.map { .value($0) })]))
    }

    mutating func brTable(_ index: Value, default defaultBlock: Block, _ table: [Block]) {
        var destinations: [BlockCall] = []
        destinations.reserveCapacity(table.count + 1)
        destinations.append(BlockCall(defaultBlock))
        for block in table { destinations.append(BlockCall(block)) }
        build(Instruction(opcode: Op.brTable, arguments: ValueList(index), destinations: destinations))
    }

    mutating func returnValues(_ values: [Value]) {
        build(Instruction(opcode: Op.return, arguments: ValueList(values)))
    }

    mutating func trap(_ code: TrapCode) {
        build(Instruction(opcode: Op.trap, immediates: .trapCode(code)))
    }

    mutating func trapIf(zero: Bool, _ value: Value, _ code: TrapCode) {
        insert(zero ? Op.trapz : Op.trapnz, nil, ValueList(value), immediates: .trapCode(code))
    }
}

extension FunctionBuilder {
    /// Puts `block` into the layout right after `previous` (cranelift-frontend's `insert_block_after`);
    /// instructions added to it later keep it there.
    mutating func insertBlock(_ block: Block, after previous: Block) {
        guard !function.blockInLayout[Int(block.number)], let position = function.layout.firstIndex(of: previous) else { return }
        function.blockInLayout[Int(block.number)] = true
        function.layout.insert(block, at: position + 1)
    }

    /// `iconst` then the binary operation: the `*_imm_s` helpers of Wasmtime's translator.
    mutating func binaryImmediate(_ opcode: Opcode, _ value: Value, _ immediate: Int64) -> Value {
        let constant = iconst(type(of: value), immediate)
        return binary(opcode, value, constant)
    }
}
