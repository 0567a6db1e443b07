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
    static let iconst = named("iconst"), f32const = named("f32const"), f64const = named("f64const")
    static let vconst = named("vconst")
    static let iadd = named("iadd"), isub = named("isub"), band = named("band"), ishl = named("ishl"), ushr = named("ushr")
    static let icmp = named("icmp"), fcmp = named("fcmp")
    static let uextend = named("uextend"), sextend = named("sextend"), ireduce = named("ireduce")
    static let select = named("select"), selectSpectreGuard = named("select_spectre_guard")
    static let load = named("load"), store = named("store"), bitcast = named("bitcast")
    static let uaddOverflowTrap = named("uadd_overflow_trap")
}

extension FunctionBuilder {
    /// Builds `opcode` with value operands; the controlling type is `type` when given, otherwise
    /// the type of the opcode's type-variable operand. Returns the results.
    @discardableResult
    mutating func ins(_ opcode: Opcode, _ type: CLIFType? = nil, _ arguments: [Value] = [],
                      immediates: Immediates = .none, destinations: [BlockCall] = []) -> [Value] {
        let info = opcode.info
        var controlling = CLIFType.invalid
        if info.isPolymorphic {
            if let type {
                controlling = type
            } else if info.typeVariableOperand < arguments.count {
                controlling = function.type(of: arguments[info.typeVariableOperand])
            }
        }
        let resultTypes: [CLIFType]
        if info.variadicResults {
            switch immediates {
            case .functionRef(let ref):
                resultTypes = function.signatures[Int(function.functionRefs[Int(ref)].signature)].returns.map(\.type)
            case .signatureRef(let sig):
                resultTypes = function.signatures[Int(sig)].returns.map(\.type)
            default:
                resultTypes = []
            }
        } else {
            resultTypes = info.results.map { $0.resolve(controllingType: controlling) ?? .invalid }
        }
        let instruction = Instruction(opcode: opcode, controllingType: controlling, arguments: ValueList(arguments),
                                      destinations: destinations, immediates: immediates)
        let index = build(instruction, resultTypes: resultTypes)
        return function.results(of: index)
    }

    mutating func ins1(_ opcode: Opcode, _ type: CLIFType? = nil, _ arguments: [Value] = [],
                       immediates: Immediates = .none) -> Value {
        ins(opcode, type, arguments, immediates: immediates)[0]
    }

    mutating func iconst(_ type: CLIFType, _ value: Int64) -> Value {
        let masked: Int64 = type.bits >= 64 ? value : value & ((1 << Int64(type.bits)) - 1)
        return ins1(Op.iconst, type, immediates: .imm64(masked))
    }

    mutating func f32const(_ bits: UInt32) -> Value { ins1(Op.f32const, .f32, immediates: .ieee32(bits)) }
    mutating func f64const(_ bits: UInt64) -> Value { ins1(Op.f64const, .f64, immediates: .ieee64(bits)) }

    mutating func vconst(_ type: CLIFType, _ bytes: [UInt8]) -> Value {
        let handle = function.constant(bytes)
        return ins1(Op.vconst, type, immediates: .constant(handle))
    }

    mutating func binary(_ opcode: Opcode, _ a: Value, _ b: Value) -> Value { ins1(opcode, nil, [a, b]) }
    mutating func unary(_ opcode: Opcode, _ a: Value) -> Value { ins1(opcode, nil, [a]) }
    mutating func convert(_ opcode: Opcode, _ type: CLIFType, _ a: Value) -> Value { ins1(opcode, type, [a]) }

    mutating func icmp(_ cc: IntCC, _ a: Value, _ b: Value) -> Value { ins1(Op.icmp, nil, [a, b], immediates: .intCC(cc)) }
    mutating func fcmp(_ cc: FloatCC, _ a: Value, _ b: Value) -> Value { ins1(Op.fcmp, nil, [a, b], immediates: .floatCC(cc)) }

    mutating func load(_ opcode: Opcode = Op.load, _ type: CLIFType, _ flags: MemFlags, _ address: Value, _ offset: Int32 = 0) -> Value {
        ins1(opcode, type, [address], immediates: .memory(flags, offset: offset))
    }

    mutating func store(_ opcode: Opcode = Op.store, _ flags: MemFlags, _ value: Value, _ address: Value, _ offset: Int32 = 0) {
        ins(opcode, function.type(of: value), [value, address], immediates: .memory(flags, offset: offset))
    }

    @discardableResult
    mutating func jump(_ block: Block) -> Int32 {
        let instruction = Instruction(opcode: Op.jump, destinations: [BlockCall(block)])
        return build(instruction, resultTypes: [])
    }

    @discardableResult
    mutating func brif(_ condition: Value, _ then: Block, _ otherwise: Block) -> Int32 {
        let instruction = Instruction(opcode: Op.brif, controllingType: function.type(of: condition), arguments: [condition],
                                      destinations: [BlockCall(then), BlockCall(otherwise)])
        return build(instruction, resultTypes: [])
    }

    @discardableResult
    mutating func jump(_ block: Block, _ arguments: [Value]) -> Int32 {
        let instruction = Instruction(opcode: Op.jump, destinations: [BlockCall(block, arguments.map { .value($0) })])
        return build(instruction, resultTypes: [])
    }

    @discardableResult
    mutating func brif(_ condition: Value, _ then: Block, _ thenArguments: [Value], _ otherwise: Block,
                       _ otherwiseArguments: [Value] = []) -> Int32 {
        let instruction = Instruction(opcode: Op.brif, controllingType: function.type(of: condition), arguments: [condition],
                                      destinations: [BlockCall(then, thenArguments.map { .value($0) }),
                                                     BlockCall(otherwise, otherwiseArguments.map { .value($0) })])
        return build(instruction, resultTypes: [])
    }

    mutating func brTable(_ index: Value, default defaultBlock: Block, _ table: [Block]) {
        let instruction = Instruction(opcode: Op.brTable, arguments: [index],
                                      destinations: [BlockCall(defaultBlock)] + table.map { BlockCall($0) })
        build(instruction, resultTypes: [])
    }

    mutating func returnValues(_ values: [Value]) {
        build(Instruction(opcode: Op.return, arguments: ValueList(values)), resultTypes: [])
    }

    mutating func trap(_ code: TrapCode) {
        build(Instruction(opcode: Op.trap, immediates: .trapCode(code)), resultTypes: [])
    }

    mutating func trapIf(zero: Bool, _ value: Value, _ code: TrapCode) {
        ins(zero ? Op.trapz : Op.trapnz, nil, [value], immediates: .trapCode(code))
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
