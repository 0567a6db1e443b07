import CLIF
import Wasm

/// Wasmtime's atomics: the misalignment trap before the bounds check, and wait/notify through
/// builtins that take the memory index and the 64-bit effective address.
extension WasmtimeEnvironment {
    public mutating func atomicAddress(_ builder: inout FunctionBuilder, memory: UInt32, index: Value, offset: UInt64,
                                       accessSize: UInt8) throws(TranslationFailure) -> (flags: MemFlags, address: Value)? {
        if accessSize > 1 {
            let effective = offset == 0 ? index : builder.binaryImmediate(Op.iadd, index, Int64(bitPattern: offset))
            let misalignment = builder.binaryImmediate(Op.band, effective, Int64(accessSize - 1))
            let zero = builder.iconst(builder.type(of: misalignment), 0)
            builder.trapIf(zero: false, builder.icmp(.ne, misalignment, zero), WasmtimeTrap.heapMisaligned)
        }
        return try memoryAddress(&builder, memory: memory, index: index, offset: offset, accessSize: accessSize)
    }

    public mutating func atomicWait(_ builder: inout FunctionBuilder, memory: UInt32, index: Value, offset: UInt64,
                                    expected: Value, timeout: Value) throws(TranslationFailure) -> Value {
        let wide = builder.type(of: expected) == .i64
        let address = try atomicEffectiveAddress(&builder, memory: memory, index: index, offset: offset)
        let function = builtin(&builder, wide ? .memoryAtomicWait64 : .memoryAtomicWait32)
        let memoryIndex = builder.iconst(.i32, Int64(memory))
        let result = builder.ins(Op.call, nil, [vmctx, memoryIndex, address, expected, timeout],
                                 immediates: .functionRef(function))[0]
        return builder.convert(Op.ireduce, .i32, result)
    }

    public mutating func atomicNotify(_ builder: inout FunctionBuilder, memory: UInt32, index: Value, offset: UInt64,
                                      count: Value) throws(TranslationFailure) -> Value {
        let address = try atomicEffectiveAddress(&builder, memory: memory, index: index, offset: offset)
        let function = builtin(&builder, .memoryAtomicNotify)
        let memoryIndex = builder.iconst(.i32, Int64(memory))
        let result = builder.ins(Op.call, nil, [vmctx, memoryIndex, address, count], immediates: .functionRef(function))[0]
        return builder.convert(Op.ireduce, .i32, result)
    }

    /// The index plus the offset, trapping on overflow, widened to i64; the builtin checks bounds.
    mutating func atomicEffectiveAddress(_ builder: inout FunctionBuilder, memory: UInt32, index: Value,
                                         offset: UInt64) throws(TranslationFailure) -> Value {
        let heap = try heap(&builder, memory)
        var address = index
        if offset != 0 {
            let offsetValue = builder.iconst(heap.indexType, Int64(bitPattern: offset))
            address = uaddOverflowTrap(&builder, index, offsetValue, .heapOutOfBounds)
        }
        return heap.is64 ? address : builder.convert(Op.uextend, .i64, address)
    }

    /// The byte length of a shared memory, which other threads may grow: an atomic load of the
    /// definition's length field.
    mutating func sharedMemoryLength(_ builder: inout FunctionBuilder, _ heap: Heap) -> Value {
        guard let length = heap.boundChain.last else { return emitChain(&builder, heap.boundChain) }
        let definition = emitChain(&builder, Array(heap.boundChain.dropLast()))
        let address = builder.binaryImmediate(Op.iadd, definition, Int64(length.offset))
        let flags = self.flags(length, region: builder.function.region(length.region))
        return builder.ins1(AtomicAccess.atomicLoad, .i64, [address], immediates: .memory(flags, offset: 0))
    }
}
