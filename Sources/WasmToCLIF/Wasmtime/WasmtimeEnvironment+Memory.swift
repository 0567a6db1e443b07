import CLIF
import Wasm

/// A linear memory as one function sees it: how to load its base and its current length.
struct Heap: Sendable {
    var memory: MemoryType
    /// Loads from the `VMContext` to the base pointer and to the current length.
    var baseChain: [WasmtimeEnvironment.Field]
    var boundChain: [WasmtimeEnvironment.Field]
    /// The memory's index (for the decision record).
    var index: UInt32 = 0

    var is64: Bool { memory.limits.is64 }
    var indexType: CLIFType { is64 ? .i64 : .i32 }
    var pageSizeLog2: UInt64 { UInt64(memory.limits.pageSizeLog2 ?? 16) }
    var pageSize: UInt64 { 1 << pageSizeLog2 }

    var minimumByteSize: UInt64 {
        let (product, overflow) = memory.limits.min.multipliedReportingOverflow(by: pageSize)
        return overflow ? UInt64.max : product
    }

    var maximumByteSize: UInt64 {
        if let max = memory.limits.max {
            let (product, overflow) = max.multipliedReportingOverflow(by: pageSize)
            return overflow ? UInt64.max : product
        }
        let byIndexType: UInt64 = is64 ? 0 &- pageSize : 1 << 32
        return Swift.max(minimumByteSize, byIndexType)
    }

    var staticSize: UInt64? { minimumByteSize == maximumByteSize ? minimumByteSize : nil }

    func mayMove(_ tunables: Tunables) -> Bool {
        if memory.limits.shared || !tunables.memoryMayMove { return false }
        if let max = memory.limits.max, max == memory.limits.min { return false }
        return maximumByteSize > tunables.memoryReservation
    }
}

/// Linear memories: heap creation, Wasmtime's bounds-check ladder, `memory.size` and `memory.grow`.
extension WasmtimeEnvironment {
    mutating func heap(_ builder: inout FunctionBuilder, _ index: UInt32) throws(TranslationFailure) -> Heap {
        if let heap = heaps[index] { return heap }
        guard Int(index) < info.memories.count else { throw .invalid("memory \(index) out of range") }
        let memory = info.memories[Int(index)]
        var heap = Heap(memory: memory, baseChain: [], boundChain: [])
        heap.index = index
        let baseReadonly = !heap.mayMove(tunables)
        var base = Field(region: .vm(.vmMemoryDefinition, offset: 0), offset: 0, canMove: true)
        base.readonly = baseReadonly
        var length = Field(region: .vm(.vmMemoryDefinition, offset: 8), offset: 8)
        if Int(index) >= info.importedMemoryCount {
            let defined = Int(index) - info.importedMemoryCount
            if memory.limits.shared {
                let pointer = Field(region: .vm(.vmContext, offset: UInt32(offsets.definedMemoryPointer(defined))),
                                    offset: offsets.definedMemoryPointer(defined), readonly: true, canMove: true)
                registerRegions(&builder, [pointer, base, length])
                heap.baseChain = [pointer, base]
                heap.boundChain = [pointer, length]
            } else {
                let owned = info.memories[info.importedMemoryCount..<Int(index)].filter { !$0.limits.shared }.count
                let offset = offsets.ownedMemory(owned)
                base.offset += offset
                length.offset += offset
                registerRegions(&builder, [base, length])
                heap.baseChain = [base]
                heap.boundChain = [length]
            }
        } else {
            let from = Field(region: .vm(.vmMemoryImport, offset: 0), offset: offsets.importedMemory(Int(index)),
                             readonly: true, canMove: true)
            registerRegions(&builder, [from, base, length])
            heap.baseChain = [from, base]
            heap.boundChain = [from, length]
        }
        heaps[index] = heap
        return heap
    }

    func registerRegions(_ builder: inout FunctionBuilder, _ fields: [Field]) {
        for field in fields { _ = builder.function.region(field.region) }
    }

    mutating func emitChain(_ builder: inout FunctionBuilder, _ chain: [Field]) -> Value {
        var value = vmctx
        for field in chain { value = load(&builder, field, from: value) }
        return value
    }

    func memoryRegion(_ index: UInt32) -> AliasRegionKey {
        if Int(index) < info.importedMemoryCount || info.exportedMemories.contains(index) { return .publicMemory }
        return .definedMemory(index: index - UInt32(info.importedMemoryCount))
    }

    public mutating func memoryAddress(_ builder: inout FunctionBuilder, memory: UInt32, index: Value, offset: UInt64,
                                       accessSize: UInt8) throws(TranslationFailure) -> (flags: MemFlags, address: Value)? {
        let heap = try heap(&builder, memory)
        let address: Value?
        if offset <= UInt64(UInt32.max) {
            address = boundsCheck(&builder, heap, index: index, offset: UInt32(offset), accessSize: accessSize)
        } else {
            let offsetValue = builder.iconst(heap.indexType, Int64(bitPattern: offset))
            let adjusted = uaddOverflowTrap(&builder, index, offsetValue, .heapOutOfBounds)
            address = boundsCheck(&builder, heap, index: adjusted, offset: 0, accessSize: accessSize)
        }
        guard let address else { return nil }
        var flags = MemFlags()
        flags.littleEndian = true
        flags.region = builder.function.region(memoryRegion(memory))
        return (flags, address)
    }

    mutating func uaddOverflowTrap(_ builder: inout FunctionBuilder, _ a: Value, _ b: Value, _ code: TrapCode) -> Value {
        builder.ins1(Op.uaddOverflowTrap, nil, [a, b], immediates: .trapCode(code))
    }

    /// The constant an `iconst` defines, zero-extended, or nil.
    func constant(_ builder: FunctionBuilder, _ value: Value) -> UInt64? {
        guard case .result(let instruction) = builder.function.valueDefinitions[Int(value.number)] else { return nil }
        let data = builder.function.instructions[Int(instruction)]
        guard data.opcode == Op.iconst, case .imm64(let raw) = data.immediates else { return nil }
        let bits = builder.type(of: value).bits
        return bits >= 64 ? UInt64(bitPattern: raw) : UInt64(bitPattern: raw) & ((1 << UInt64(bits)) - 1)
    }

    /// Wasmtime's `bounds_check_field_access`: the first rung that applies decides the check.
    mutating func boundsCheck(_ builder: inout FunctionBuilder, _ heap: Heap, index wasmIndex: Value, offset: UInt32,
                              accessSize: UInt8) -> Value? {
        let memoryTraps = tunables.signalsBasedTraps
        let spectre = tunables.heapAccessSpectreMitigation && memoryTraps
        let canUseVirtualMemory = memoryTraps && heap.pageSizeLog2 >= UInt64(tunables.pageSizeLog2)
        let reservation = tunables.memoryReservation
        let guardSize = tunables.memoryGuardSize
        let canElide = canUseVirtualMemory && !heap.is64 && reservation &+ guardSize >= (1 << 32)
        let offsetAndSize = UInt64(offset) + UInt64(accessSize)
        var staticallyInBounds = false
        if let constant = constant(builder, wasmIndex) {
            let (sum, overflow) = constant.addingReportingOverflow(offsetAndSize)
            staticallyInBounds = !overflow && sum <= heap.minimumByteSize
        }
        let index = heap.is64 ? wasmIndex : builder.convert(Op.uextend, .i64, wasmIndex)
        let selectSpectreGuard = spectre
        let loadFromZero = spectre

        func note(_ check: RuntimeDecision.BoundsCheck) {
            builder.note(.memoryAccess(memory: heap.index, check: check, spectreGuard: loadFromZero))
        }
        if offsetAndSize > heap.maximumByteSize {
            note(.alwaysTraps)
            trap(&builder, .heapOutOfBounds)
            return nil
        }
        if canElide && UInt64(UInt32.max) <= reservation &+ guardSize &- offsetAndSize {
            note(.coveredByReservationAndGuard(reservation: reservation, guardSize: guardSize))
            return computeAddress(&builder, heap, index, offset)
        }
        if staticallyInBounds {
            note(.constantIndexInBounds)
            return computeAddress(&builder, heap, index, offset)
        }
        func check(_ builder: inout FunctionBuilder, _ oob: Value) -> Value {
            if !loadFromZero { builder.trapIf(zero: false, oob, .heapOutOfBounds) }
            var address = computeAddress(&builder, heap, index, offset)
            if loadFromZero {
                let null = builder.iconst(.i64, 0)
                address = builder.ins1(selectSpectreGuard ? Op.selectSpectreGuard : Op.select, nil, [oob, null, address])
            }
            return address
        }
        if canUseVirtualMemory && heap.minimumByteSize <= reservation && !heap.mayMove(tunables) && reservation >= offsetAndSize {
            note(.againstReservation(bound: reservation - offsetAndSize))
            let bound = builder.iconst(.i64, Int64(bitPattern: reservation - offsetAndSize))
            let oob = builder.icmp(.ugt, index, bound)
            return check(&builder, oob)
        }
        if offsetAndSize == 1 {
            note(.againstLengthOneByte)
            let bound = dynamicBound(&builder, heap)
            let oob = builder.icmp(.uge, index, bound)
            return check(&builder, oob)
        }
        if canUseVirtualMemory && offsetAndSize <= guardSize {
            note(.againstLengthGuardCoversAccess)
            let bound = dynamicBound(&builder, heap)
            let oob = builder.icmp(.ugt, index, bound)
            return check(&builder, oob)
        }
        if offsetAndSize <= heap.minimumByteSize {
            note(.againstLengthMinusAccess)
            let bound = dynamicBound(&builder, heap)
            let adjustment = builder.iconst(.i64, Int64(offsetAndSize))
            let adjusted = builder.binary(Op.isub, bound, adjustment)
            let oob = builder.icmp(.ugt, index, adjusted)
            return check(&builder, oob)
        }
        note(.overflowCheckedAdd)
        let sizeValue = builder.iconst(.i64, Int64(offsetAndSize))
        let adjustedIndex = uaddOverflowTrap(&builder, index, sizeValue, .heapOutOfBounds)
        let bound = dynamicBound(&builder, heap)
        let oob = builder.icmp(.ugt, adjustedIndex, bound)
        return check(&builder, oob)
    }

    mutating func dynamicBound(_ builder: inout FunctionBuilder, _ heap: Heap) -> Value {
        if let size = heap.staticSize { return builder.iconst(.i64, Int64(bitPattern: size)) }
        return emitChain(&builder, heap.boundChain)
    }

    mutating func computeAddress(_ builder: inout FunctionBuilder, _ heap: Heap, _ index: Value, _ offset: UInt32) -> Value {
        let base = emitChain(&builder, heap.baseChain)
        let sum = builder.binary(Op.iadd, base, index)
        if offset == 0 { return sum }
        let offsetValue = builder.iconst(.i64, Int64(offset))
        return builder.binary(Op.iadd, sum, offsetValue)
    }

    public mutating func memorySize(_ builder: inout FunctionBuilder, memory: UInt32) throws(TranslationFailure) -> Value {
        let heap = try heap(&builder, memory)
        let length = heap.memory.limits.shared ? sharedMemoryLength(&builder, heap) : emitChain(&builder, heap.boundChain)
        let shift = builder.iconst(.i64, Int64(heap.pageSizeLog2))
        let pages = builder.binary(Op.ushr, length, shift)
        return heap.is64 ? pages : builder.convert(Op.ireduce, .i32, pages)
    }

    public mutating func memoryGrow(_ builder: inout FunctionBuilder, memory: UInt32, delta: Value) throws(TranslationFailure) -> Value {
        let heap = try heap(&builder, memory)
        let function = builtin(&builder, .memoryGrow)
        let (memoryVMContext, definedIndex) = memoryVMContextAndIndex(&builder, memory)
        let delta64 = heap.is64 ? delta : builder.convert(Op.uextend, .i64, delta)
        let result = builder.ins(Op.call, nil, [memoryVMContext, delta64, definedIndex], immediates: .functionRef(function))[0]
        if heap.is64 { return result }
        if heap.pageSizeLog2 == 0 { throw .notTranslated("memory.grow of a 32-bit memory with one-byte pages") }
        return builder.convert(Op.ireduce, .i32, result)
    }

    mutating func memoryVMContextAndIndex(_ builder: inout FunctionBuilder, _ memory: UInt32) -> (Value, Value) {
        if Int(memory) >= info.importedMemoryCount {
            return (vmctx, builder.iconst(.i32, Int64(Int(memory) - info.importedMemoryCount)))
        }
        let base = offsets.importedMemory(Int(memory))
        let context = load(&builder, Field(region: .vm(.vmMemoryImport, offset: 8), offset: base + 8, readonly: true, canMove: true), from: vmctx)
        let index = load(&builder, Field(region: .vm(.vmMemoryImport, offset: 16), offset: base + 16, type: .i32, readonly: true, canMove: true), from: vmctx)
        return (context, index)
    }
}
