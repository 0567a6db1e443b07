import CLIF
import Wasm

/// GC references (`externref`, `anyref`, `exnref`, structs, arrays) held in tables and globals,
/// the operators on references that need no heap (`ref.i31`, `i31.get_*`, `ref.eq`), and `array.len`.
/// Wasmtime 49's default collector is the copying collector: it moves objects (so references
/// need stack maps) and needs no read or write barriers, so these are plain 32-bit loads and stores
/// of the reference (`unbarriered_load_gc_ref`).
extension WasmtimeEnvironment {
    /// Whether values of this type are 32-bit GC references.
    func isGCReference(_ type: RefType) -> Bool { referenceType(type) == .i32 }

    /// Reads a GC reference from `address` (`translate_read_gc_reference`): the bottom type `none`
    /// reads as null without touching memory unless the access must trap.
    mutating func readGCReference(_ builder: inout FunctionBuilder, _ type: RefType, from address: Value, flags: MemFlags) -> Value {
        guard case .abstract(.none, _) = type.heapType else {
            let reference = builder.load(Op.load, .i32, flags, address)
            if case .abstract(.i31, _) = type.heapType { return reference }
            builder.declareValueNeedsStackMap(reference)
            return reference
        }
        let null = builder.iconst(.i32, 0)
        if flags.trapCode != nil { _ = builder.load(Op.load, .i32, flags, address) }
        if !type.nullable {
            let zero = builder.iconst(.i32, 0)
            builder.trapIf(zero: true, zero, WasmtimeTrap.internalAssert)
        }
        return null
    }

    /// The address of a GC-reference global (`iadd_imm` of its location) and its flags.
    mutating func gcGlobalAddress(_ builder: inout FunctionBuilder, _ index: UInt32) -> (Value, MemFlags) {
        let (base, offset) = globalLocation(&builder, index)
        let address = builder.binaryImmediate(Op.iadd, base, Int64(offset))
        var flags = MemFlags.trusted
        flags.region = builder.function.region(globalRegion(index).data)
        return (address, flags)
    }

    mutating func globalGetGCReference(_ builder: inout FunctionBuilder, _ index: UInt32, _ type: RefType) -> Value {
        let (address, flags) = gcGlobalAddress(&builder, index)
        return readGCReference(&builder, type, from: address, flags: flags)
    }

    mutating func globalSetGCReference(_ builder: inout FunctionBuilder, _ index: UInt32, _ value: Value) {
        let (address, flags) = gcGlobalAddress(&builder, index)
        builder.store(Op.store, flags, value, address)
    }

    /// `table.get` of a table of GC references.
    mutating func tableGetGCReference(_ builder: inout FunctionBuilder, tableIndex: UInt32, index: Value) throws(TranslationFailure) -> Value {
        let table = try table(&builder, tableIndex)
        let (address, flags) = tableElementAddress(&builder, table, tableIndex: tableIndex, index: index)
        return readGCReference(&builder, table.type.elementType, from: address, flags: flags)
    }

    /// The `i31`, `ref.eq`, extern/any conversion and `array.len` operators; false for any other opcode.
    mutating func translateReferenceOperator(_ builder: inout FunctionBuilder, _ opcode: Wasm.Opcode,
                                             stack: inout [Value]) throws(TranslationFailure) -> Bool {
        func pop() throws(TranslationFailure) -> Value {
            guard let value = stack.popLast() else { throw .invalid("operand stack underflow") }
            return value
        }
        switch opcode {
        case .refI31:
            let shifted = builder.binaryImmediate(Op.ishl, try pop(), 1)
            stack.append(builder.binaryImmediate(Op.named("bor"), shifted, 1))
        case .i31GetS, .i31GetU:
            let reference = try pop()
            builder.trapIf(zero: true, reference, WasmtimeTrap.nullReference)
            stack.append(builder.binaryImmediate(opcode == .i31GetS ? Op.named("sshr") : Op.ushr, reference, 1))
        case .refEq:
            let second = try pop()
            let first = try pop()
            let equal = builder.icmp(.eq, first, second)
            stack.append(builder.convert(Op.uextend, .i32, equal))
        case .anyConvertExtern, .externConvertAny:
            break
        case .arrayLen:
            stack.append(arrayLength(&builder, try pop()))
        default:
            return false
        }
        return true
    }
}
