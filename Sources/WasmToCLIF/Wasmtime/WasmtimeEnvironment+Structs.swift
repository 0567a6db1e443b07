import CLIF
import Wasm

/// `struct.new`, `struct.new_default`, `struct.get`, `struct.get_s`, `struct.get_u` and
/// `struct.set` as Wasmtime 49 translates them with its default copying collector: inline
/// allocation then one store per field, and a null check then a plain access at the field's
/// static offset (the GC heap's guard region makes a bounds check unnecessary).
extension WasmtimeEnvironment {
    /// The struct operators; false for any other opcode.
    mutating func translateStructOperator(_ builder: inout FunctionBuilder, _ instruction: Wasm.Instruction,
                                          stack: inout [Value]) throws(TranslationFailure) -> Bool {
        func pop() throws(TranslationFailure) -> Value {
            guard let value = stack.popLast() else { throw .invalid("operand stack underflow") }
            return value
        }
        switch instruction.opcode {
        case .structNew:
            guard case .index(let typeIndex) = instruction.immediates else { throw .invalid("struct.new without a type") }
            let count = try structFields(typeIndex).count
            guard count <= stack.count else { throw .invalid("operand stack underflow") }
            let values = Array(stack.suffix(count))
            let result = try structNew(&builder, typeIndex: typeIndex, values: values)
            stack.removeLast(count)
            stack.append(result)
        case .structNewDefault:
            guard case .index(let typeIndex) = instruction.immediates else { throw .invalid("struct.new_default without a type") }
            var values: [Value] = []
            for field in try structFields(typeIndex) { values.append(defaultValue(&builder, field.storage)) }
            stack.append(try structNew(&builder, typeIndex: typeIndex, values: values))
        case .structGet, .structGetS, .structGetU:
            guard case .indexPair(let typeIndex, let field) = instruction.immediates else { throw .invalid("struct.get immediates") }
            let reference = try pop()
            let (storage, address) = try fieldAddress(&builder, typeIndex: typeIndex, field: field, reference: reference)
            stack.append(try readField(&builder, storage, at: address, signed: instruction.opcode == .structGetS))
        case .structSet:
            guard case .indexPair(let typeIndex, let field) = instruction.immediates else { throw .invalid("struct.set immediates") }
            let value = try pop()
            let reference = try pop()
            let (storage, address) = try fieldAddress(&builder, typeIndex: typeIndex, field: field, reference: reference)
            try writeField(&builder, storage, at: address, value: value)
        default:
            return false
        }
        return true
    }

    /// Allocates a struct of type `typeIndex` and stores `values` into its fields (`alloc_struct`).
    mutating func structNew(_ builder: inout FunctionBuilder, typeIndex: UInt32, values: [Value]) throws(TranslationFailure) -> Value {
        let fields = try structFields(typeIndex)
        guard fields.count == values.count else { throw .invalid("struct.new with \(values.count) values for \(fields.count) fields") }
        let layout = try structLayout(typeIndex)
        let size = builder.iconst(.i32, Int64(layout.size))
        let (reference, address) = try allocateGCObject(&builder, kind: GCLayout.structKind, reservedBits: layout.reservedBits,
                                                        internedType: info.internedTypeIndex(typeIndex), size: size)
        for (position, field) in fields.enumerated() {
            let fieldAddress = builder.binaryImmediate(Op.iadd, address, Int64(layout.fieldOffsets[position]))
            try writeField(&builder, field.storage, at: fieldAddress, value: values[position])
        }
        return reference
    }

    /// Traps on a null struct, then returns the field's storage type and native address.
    mutating func fieldAddress(_ builder: inout FunctionBuilder, typeIndex: UInt32, field: UInt32,
                               reference: Value) throws(TranslationFailure) -> (StorageType, Value) {
        let fields = try structFields(typeIndex)
        guard Int(field) < fields.count else { throw .invalid("field \(field) out of range") }
        let layout = try structLayout(typeIndex)
        builder.trapIf(zero: true, reference, WasmtimeTrap.nullReference)
        let address = gcObjectAddress(&builder, reference, offset: Int64(layout.fieldOffsets[Int(field)]))
        return (fields[Int(field)].storage, address)
    }
}
