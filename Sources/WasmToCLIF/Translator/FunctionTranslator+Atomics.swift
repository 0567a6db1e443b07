import CLIF
import Wasm

/// The shape of an atomic memory access of the threads proposal, read off the Wasm instruction
/// table: the kind of access, the width in memory and the Wasm value type it widens to.
struct AtomicAccess: Sendable {
    enum Kind: Sendable {
        case load, store, compareExchange
        case readModifyWrite(AtomicRmwOp)
    }

    var kind: Kind
    var accessType: CLIFType
    var valueType: CLIFType
    var size: UInt8

    static let atomicLoad = Op.named("atomic_load"), atomicStore = Op.named("atomic_store")
    static let atomicRmw = Op.named("atomic_rmw"), atomicCas = Op.named("atomic_cas"), fence = Op.named("fence")

    /// Every `iNN.atomic.*` access of the table, keyed by opcode.
    static let table: [Wasm.Opcode: AtomicAccess] = {
        var shapes: [Wasm.Opcode: AtomicAccess] = [:]
        for entry in InstructionTable.entries where entry.proposal == .threads {
            if let shape = AtomicAccess(entry) { shapes[entry.opcode] = shape }
        }
        return shapes
    }()

    static func of(_ opcode: Wasm.Opcode) -> AtomicAccess? { table[opcode] }

    /// `i64.atomic.rmw16.add_u` is an `add` of 2 bytes widened to i64; nil for fence, wait and notify.
    init?(_ entry: InstructionInfo) {
        let parts = entry.name.split(separator: ".")
        guard parts.count >= 3, parts[1] == "atomic", case .memArg(let bytes) = entry.immediates else { return nil }
        switch parts[0] {
        case "i32": valueType = .i32
        case "i64": valueType = .i64
        default: return nil
        }
        size = UInt8(bytes)
        switch size {
        case 1: accessType = .i8
        case 2: accessType = .i16
        case 4: accessType = .i32
        default: accessType = .i64
        }
        let operation = parts[parts.count - 1]
        if operation.hasPrefix("load") {
            kind = .load
        } else if operation.hasPrefix("store") {
            kind = .store
        } else {
            let name = operation.hasSuffix("_u") ? operation.dropLast(2) : operation
            if name == "cmpxchg" {
                kind = .compareExchange
            } else if let op = AtomicRmwOp(rawValue: String(name)) {
                kind = .readModifyWrite(op)
            } else {
                return nil
            }
        }
    }
}

extension FunctionTranslator {
    /// Translates a threads-proposal operator; false when `opcode` is not one.
    mutating func translateAtomic(_ instruction: Wasm.Instruction) throws(TranslationFailure) -> Bool {
        switch instruction.opcode {
        case .atomicFence:
            builder.ins(AtomicAccess.fence)
        case .memoryAtomicNotify:
            let memarg = try atomicMemArg(instruction)
            let count = try pop()
            let address = try pop()
            stack.append(try environment.atomicNotify(&builder, memory: memarg.memory, index: address,
                                                      offset: memarg.offset, count: count))
        case .memoryAtomicWait32, .memoryAtomicWait64:
            let memarg = try atomicMemArg(instruction)
            let timeout = try pop()
            let expected = try pop()
            let address = try pop()
            stack.append(try environment.atomicWait(&builder, memory: memarg.memory, index: address, offset: memarg.offset,
                                                    expected: expected, timeout: timeout))
        default:
            guard let access = AtomicAccess.of(instruction.opcode) else { return false }
            try translateAtomicAccess(access, try atomicMemArg(instruction))
        }
        return true
    }

    func atomicMemArg(_ instruction: Wasm.Instruction) throws(TranslationFailure) -> MemArg {
        guard case .memArg(let memarg) = instruction.immediates else { throw .invalid("missing memory argument") }
        return memarg
    }

    /// Operands are narrowed to the access width before the address is checked; narrow results
    /// are zero-extended back to the Wasm type.
    mutating func translateAtomicAccess(_ access: AtomicAccess, _ memarg: MemArg) throws(TranslationFailure) {
        func narrowed(_ value: Value) -> Value {
            builder.type(of: value) == access.accessType ? value : builder.convert(Op.ireduce, access.accessType, value)
        }
        var operands: [Value] = []
        switch access.kind {
        case .load: break
        case .store, .readModifyWrite: operands = [try pop()]
        case .compareExchange:
            let replacement = try pop()
            operands = [try pop(), replacement]
        }
        let index = try pop()
        operands = operands.map(narrowed)
        guard let (flags, address) = try environment.atomicAddress(&builder, memory: memarg.memory, index: index,
                                                                   offset: memarg.offset, accessSize: access.size) else {
            reachable = false
            return
        }
        let result: Value
        switch access.kind {
        case .store:
            builder.ins(AtomicAccess.atomicStore, access.accessType, [operands[0], address], immediates: .memory(flags, offset: 0))
            return
        case .load:
            result = builder.ins1(AtomicAccess.atomicLoad, access.accessType, [address], immediates: .memory(flags, offset: 0))
        case .readModifyWrite(let op):
            result = builder.ins1(AtomicAccess.atomicRmw, access.accessType, [address, operands[0]], immediates: .atomicRmw(flags, op))
        case .compareExchange:
            result = builder.ins1(AtomicAccess.atomicCas, access.accessType, [address, operands[0], operands[1]],
                                  immediates: .memory(flags, offset: 0))
        }
        stack.append(access.accessType == access.valueType ? result : builder.convert(Op.uextend, access.valueType, result))
    }
}
