import CLIF
import Wasm

/// The array operators as Wasmtime 49 translates them with its default copying collector:
/// `array.new*` allocate inline then fill or copy into the fresh array, `array.get`/`array.set`
/// check the index against the length and the object against the heap, and `array.fill`,
/// `array.copy`, `array.init_*` check both entities then use `memory_fill`/`memory_copy`, an
/// inline copy, or an element loop (`translate_entity_fill`/`translate_entity_copy` on a
/// `CheckedEntity::Array`).
extension WasmtimeEnvironment {
    /// An entity an array operator reads or writes.
    enum ArrayEntity {
        /// An array of module type `type`; `initialized` is false inside `array.new*`.
        case array(type: UInt32, reference: Value, initialized: Bool)
        /// A data segment read as elements of `elementSize` bytes.
        case data(segment: UInt32, elementSize: UInt32)
        case element(segment: UInt32)
    }

    /// The array operators; false for any other opcode.
    mutating func translateArrayOperator(_ builder: inout FunctionBuilder, _ instruction: Wasm.Instruction,
                                         stack: inout [Value]) throws(TranslationFailure) -> Bool {
        func pop() throws(TranslationFailure) -> Value {
            guard let value = stack.popLast() else { throw .invalid("operand stack underflow") }
            return value
        }
        func type() throws(TranslationFailure) -> UInt32 {
            guard case .index(let value) = instruction.immediates else { throw .invalid("missing array type") }
            return value
        }
        func pair() throws(TranslationFailure) -> (UInt32, UInt32) {
            guard case .indexPair(let first, let second) = instruction.immediates else { throw .invalid("missing immediates") }
            return (first, second)
        }
        switch instruction.opcode {
        case .arrayNew:
            let typeIndex = try type()
            let length = try pop()
            let value = try pop()
            let array = try allocateArray(&builder, typeIndex: typeIndex, length: length)
            let zero = builder.iconst(.i32, 0)
            try arrayFill(&builder, typeIndex: typeIndex, array: array, initialized: false, index: zero, value: value, length: length)
            stack.append(array)
        case .arrayNewDefault:
            let typeIndex = try type()
            let length = try pop()
            let array = try allocateArray(&builder, typeIndex: typeIndex, length: length)
            let value = defaultValue(&builder, try arrayElement(typeIndex).storage)
            let zero = builder.iconst(.i32, 0)
            try arrayFill(&builder, typeIndex: typeIndex, array: array, initialized: false, index: zero, value: value, length: length)
            stack.append(array)
        case .arrayNewFixed:
            let (typeIndex, count) = try pair()
            guard Int(count) <= stack.count else { throw .invalid("operand stack underflow") }
            let values = Array(stack.suffix(Int(count)))
            let length = builder.iconst(.i32, Int64(count))
            let array = try allocateArray(&builder, typeIndex: typeIndex, length: length)
            let storage = try arrayElement(typeIndex).storage
            for (position, value) in values.enumerated() {
                let index = builder.iconst(.i32, Int64(position))
                let address = try elementAddress(&builder, typeIndex: typeIndex, array: array, index: index)
                try writeField(&builder, storage, at: address, value: value)
            }
            stack.removeLast(Int(count))
            stack.append(array)
        case .arrayNewData, .arrayNewElem:
            let (typeIndex, segment) = try pair()
            let length = try pop()
            let offset = try pop()
            let source: ArrayEntity = instruction.opcode == .arrayNewData
                ? .data(segment: segment, elementSize: try arrayLayout(typeIndex).elementSize)
                : .element(segment: segment)
            _ = try boundsCheck(&builder, source, index: offset, length: length)
            let array = try allocateArray(&builder, typeIndex: typeIndex, length: length)
            let zero = builder.iconst(.i32, 0)
            try arrayCopy(&builder, destination: .array(type: typeIndex, reference: array, initialized: false), source: source,
                          destinationIndex: zero, sourceIndex: offset, length: length)
            stack.append(array)
        case .arrayGet, .arrayGetS, .arrayGetU:
            let typeIndex = try type()
            let index = try pop()
            let array = try pop()
            let address = try elementAddress(&builder, typeIndex: typeIndex, array: array, index: index)
            stack.append(try readField(&builder, try arrayElement(typeIndex).storage, at: address,
                                       signed: instruction.opcode == .arrayGetS))
        case .arraySet:
            let typeIndex = try type()
            let value = try pop()
            let index = try pop()
            let array = try pop()
            let address = try elementAddress(&builder, typeIndex: typeIndex, array: array, index: index)
            try writeField(&builder, try arrayElement(typeIndex).storage, at: address, value: value)
        case .arrayFill:
            let typeIndex = try type()
            let length = try pop()
            let value = try pop()
            let index = try pop()
            let array = try pop()
            try arrayFill(&builder, typeIndex: typeIndex, array: array, initialized: true, index: index, value: value, length: length)
        case .arrayCopy:
            let (destinationType, sourceType) = try pair()
            let length = try pop()
            let sourceIndex = try pop()
            let sourceArray = try pop()
            let destinationIndex = try pop()
            let destinationArray = try pop()
            try arrayCopy(&builder, destination: .array(type: destinationType, reference: destinationArray, initialized: true),
                          source: .array(type: sourceType, reference: sourceArray, initialized: true),
                          destinationIndex: destinationIndex, sourceIndex: sourceIndex, length: length)
        case .arrayInitData, .arrayInitElem:
            let (typeIndex, segment) = try pair()
            let length = try pop()
            let sourceIndex = try pop()
            let destinationIndex = try pop()
            let array = try pop()
            let source: ArrayEntity = instruction.opcode == .arrayInitData
                ? .data(segment: segment, elementSize: try arrayLayout(typeIndex).elementSize)
                : .element(segment: segment)
            try arrayCopy(&builder, destination: .array(type: typeIndex, reference: array, initialized: true), source: source,
                          destinationIndex: destinationIndex, sourceIndex: sourceIndex, length: length)
        default:
            return false
        }
        return true
    }

    /// Allocates an array of `length` elements whose contents the caller then writes
    /// (`alloc_uninit_array`): the size, with traps for a size beyond 32 bits, then the length.
    mutating func allocateArray(_ builder: inout FunctionBuilder, typeIndex: UInt32, length: Value) throws(TranslationFailure) -> Value {
        let layout = try arrayLayout(typeIndex)
        let base = builder.iconst(.i32, Int64(layout.baseSize))
        let length64 = builder.convert(Op.uextend, .i64, length)
        let elementsSize64 = builder.binaryImmediate(Op.named("imul"), length64, Int64(layout.elementSize))
        let high = builder.binaryImmediate(Op.ushr, elementsSize64, 32)
        builder.trapIf(zero: false, high, WasmtimeTrap.allocationTooLarge)
        let elementsSize = builder.convert(Op.ireduce, .i32, elementsSize64)
        let size = builder.ins1(Op.uaddOverflowTrap, nil, [base, elementsSize], immediates: .trapCode(WasmtimeTrap.allocationTooLarge))
        let (reference, address) = try allocateGCObject(&builder, kind: GCLayout.arrayKind, reservedBits: layout.reservedBits,
                                                        internedType: info.internedTypeIndex(typeIndex), size: size)
        let lengthAddress = builder.binaryImmediate(Op.iadd, address, Int64(GCLayout.arrayLengthOffset))
        builder.store(Op.store, gcObjectFlags(&builder, littleEndian: false), length, lengthAddress)
        return reference
    }

    /// `array.len` after a null check (`translate_array_len`).
    mutating func arrayLength(_ builder: inout FunctionBuilder, _ array: Value) -> Value {
        builder.trapIf(zero: true, array, WasmtimeTrap.nullReference)
        let address = gcObjectAddress(&builder, array, offset: Int64(GCLayout.arrayLengthOffset))
        return builder.load(Op.load, .i32, gcHeapFlags(&builder), address)
    }

    /// The native address of element `index` after the Wasm-visible index check and the
    /// object-size check against the heap (`array_elem_addr`).
    mutating func elementAddress(_ builder: inout FunctionBuilder, typeIndex: UInt32, array: Value,
                                 index: Value) throws(TranslationFailure) -> Value {
        let layout = try arrayLayout(typeIndex)
        let length = arrayLength(&builder, array)
        let inBounds = builder.icmp(.ult, index, length)
        builder.trapIf(zero: true, inBounds, WasmtimeTrap.arrayOutOfBounds)
        let elementSize64 = builder.iconst(.i64, Int64(layout.elementSize))
        let length64 = builder.convert(Op.uextend, .i64, length)
        let elementsSize64 = builder.binary(Op.named("imul"), elementSize64, length64)
        let high = builder.binaryImmediate(Op.ushr, elementsSize64, 32)
        builder.trapIf(zero: false, high, WasmtimeTrap.gcHeapCorrupt)
        let elementsSize = builder.convert(Op.ireduce, .i32, elementsSize64)
        let base = builder.iconst(.i32, Int64(layout.baseSize))
        let objectSize = builder.ins1(Op.uaddOverflowTrap, nil, [elementsSize, base], immediates: .trapCode(WasmtimeTrap.gcHeapCorrupt))
        let elementSize = builder.convert(Op.ireduce, .i32, elementSize64)
        let offsetInElements = builder.binary(Op.named("imul"), index, elementSize)
        let offset = builder.binary(Op.iadd, offsetInElements, base)
        let objectEnd = builder.ins1(Op.uaddOverflowTrap, nil, [array, objectSize], immediates: .trapCode(WasmtimeTrap.gcHeapCorrupt))
        let objectEnd64 = builder.convert(Op.uextend, .i64, objectEnd)
        let endAddress = builder.binary(Op.iadd, gcHeapBase(&builder), objectEnd64)
        let fromEnd = builder.convert(Op.uextend, .i64, builder.binary(Op.isub, objectSize, offset))
        return builder.binary(Op.isub, endAddress, fromEnd)
    }

    /// Traps unless `index + length` elements lie within the entity; returns the native address of
    /// element `index` (`translate_entity_bounds_check`).
    mutating func boundsCheck(_ builder: inout FunctionBuilder, _ entity: ArrayEntity, index: Value,
                              length: Value) throws(TranslationFailure) -> Value {
        switch entity {
        case .element(let segment):
            return try entityBoundsCheck(&builder, .element(segment), index: index, length: length)
        case .data(let segment, let elementSize):
            let runtime = try runtimeDataIndex(segment)
            let size = if let runtime {
                toNative(&builder, load(&builder, runtimeDataLength(runtime), from: vmctx))
            } else {
                builder.iconst(.i64, 0)
            }
            let end = scaledEnd(&builder, index: index, length: length, factor: Int64(elementSize))
            builder.trapIf(zero: false, builder.icmp(.ugt, end, size), .heapOutOfBounds)
            let base = if let runtime { load(&builder, runtimeDataBase(runtime), from: vmctx) } else { builder.iconst(.i64, 1) }
            return builder.binary(Op.iadd, base, toNative(&builder, index))
        case .array(let typeIndex, let array, _):
            let layout = try arrayLayout(typeIndex)
            let size = toNative(&builder, arrayLength(&builder, array))
            let end = scaledEnd(&builder, index: index, length: length, factor: 1)
            builder.trapIf(zero: false, builder.icmp(.ugt, end, size), WasmtimeTrap.arrayOutOfBounds)
            let object = builder.binary(Op.iadd, gcHeapBase(&builder), toNative(&builder, array))
            let elements = builder.binaryImmediate(Op.iadd, object, Int64(layout.baseSize))
            let offset = builder.binaryImmediate(Op.named("imul"), toNative(&builder, index), Int64(layout.elementSize))
            return builder.binary(Op.iadd, elements, offset)
        }
    }

    /// `index + length * factor` in 64 bits, which cannot overflow for 32-bit operands.
    mutating func scaledEnd(_ builder: inout FunctionBuilder, index: Value, length: Value, factor: Int64) -> Value {
        let index64 = builder.convert(Op.uextend, .i64, index)
        let length64 = builder.convert(Op.uextend, .i64, length)
        return builder.binary(Op.iadd, index64, builder.binaryImmediate(Op.named("imul"), length64, factor))
    }

    /// Traps when `bytes` from `address` run past the end of the GC heap, which only a corrupt
    /// length can cause (`emit_defensive_array_bounds_check`).
    mutating func defensiveHeapCheck(_ builder: inout FunctionBuilder, address: Value, bytes: Value) {
        let base = gcHeapBase(&builder)
        let bound = gcHeapBound(&builder)
        let heapEnd = builder.binary(Op.iadd, base, bound)
        let end = builder.ins1(Op.uaddOverflowTrap, nil, [address, bytes], immediates: .trapCode(WasmtimeTrap.gcHeapCorrupt))
        builder.trapIf(zero: false, builder.icmp(.ugt, end, heapEnd), WasmtimeTrap.gcHeapCorrupt)
    }

    func elementSize(_ entity: ArrayEntity) throws(TranslationFailure) -> UInt32 {
        switch entity {
        case .array(let typeIndex, _, _): try arrayLayout(typeIndex).elementSize
        case .data(_, let elementSize): elementSize
        case .element: 16
        }
    }

    func region(_ entity: ArrayEntity) -> AliasRegionKey {
        switch entity {
        case .array: .gcHeap
        case .data: .dataSegment
        case .element: .elementSegment
        }
    }

    /// `array.fill` and the filling of a fresh array (`translate_entity_fill` and
    /// `emit_raw_array_or_table_fill`).
    mutating func arrayFill(_ builder: inout FunctionBuilder, typeIndex: UInt32, array: Value, initialized: Bool,
                            index: Value, value: Value, length: Value) throws(TranslationFailure) {
        let storage = try arrayElement(typeIndex).storage
        let entity = ArrayEntity.array(type: typeIndex, reference: array, initialized: initialized)
        let address = try boundsCheck(&builder, entity, index: index, length: length)
        let length64 = toNative(&builder, length)
        let size = Int64(try elementSize(entity))
        let bytes = builder.binaryImmediate(Op.named("imul"), length64, size)
        defensiveHeapCheck(&builder, address: address, bytes: bytes)
        if let byte = memsetValue(&builder, storage, value) {
            _ = callBuiltin(&builder, .memoryFill, [address, byte, bytes])
            return
        }
        var stored = value
        var internedFlags: MemFlags?
        if case .value(.ref(let type)) = storage, !isGCReference(type) {
            stored = internFunctionReference(&builder, type, value)
            var flags = MemFlags.trusted
            flags.littleEndian = true
            flags.region = builder.function.region(AliasRegionKey.gcHeap.data)
            internedFlags = flags
        }
        try ElementFillLoop.emit(&builder, address: address, bytes: bytes, length: length64, elementSize: size) {
            builder, element throws(TranslationFailure) in
            if let internedFlags {
                builder.store(Op.store, internedFlags, stored, element)
            } else {
                try writeField(&builder, storage, at: element, value: stored)
            }
        }
    }

    /// The byte a fill can pass to `memset` (`fill_value_as_memset`): any `i8` value, or a constant
    /// whose bytes are all equal; never for references.
    mutating func memsetValue(_ builder: inout FunctionBuilder, _ storage: StorageType, _ value: Value) -> Value? {
        let width: Int
        switch storage {
        case .i8: return value
        case .i16: width = 2
        case .value(.ref): return nil
        case .value: width = builder.type(of: value).bytes
        }
        guard case .result(let instruction) = builder.function.valueDefinitions[Int(value.number)] else { return nil }
        let data = builder.function.instructions[Int(instruction)]
        let bits: UInt64
        switch data.immediates {
        case .imm64(let raw) where data.opcode == Op.iconst: bits = UInt64(bitPattern: raw)
        case .ieee32(let raw) where data.opcode == Op.f32const: bits = UInt64(raw)
        case .ieee64(let raw) where data.opcode == Op.f64const: bits = raw
        default: return nil
        }
        let bytes = (0..<width).map { UInt8(truncatingIfNeeded: bits >> (8 * UInt64($0))) }
        guard bytes.allSatisfy({ $0 == bytes[0] }) else { return nil }
        return builder.iconst(.i32, Int64(bits & 0xff))
    }

    /// `array.copy`, `array.init_*` and the copy into a fresh array of `array.new_data`/`_elem`
    /// (`translate_entity_copy` and `emit_raw_array_or_table_copy`).
    mutating func arrayCopy(_ builder: inout FunctionBuilder, destination: ArrayEntity, source: ArrayEntity,
                            destinationIndex: Value, sourceIndex: Value, length: Value) throws(TranslationFailure) {
        guard case .array(let destinationType, _, _) = destination else { throw .invalid("a copy into a segment") }
        let destinationAddress = try boundsCheck(&builder, destination, index: destinationIndex, length: length)
        let sourceAddress = try boundsCheck(&builder, source, index: sourceIndex, length: length)
        let length64 = toNative(&builder, length)
        let count = constant(builder, length)
        let storage = try arrayElement(destinationType).storage
        let forbidsMemcpy: Bool
        switch storage {
        case .value(.ref(let type)):
            if isGCReference(type) {
                forbidsMemcpy = isTracedReference(storage)
            } else if case .element = source {
                forbidsMemcpy = true
            } else {
                forbidsMemcpy = false
            }
        default:
            forbidsMemcpy = false
        }
        let destinationSize = try elementSize(destination)
        let sourceSize = try elementSize(source)
        let destinationBytes = builder.binaryImmediate(Op.named("imul"), length64, Int64(destinationSize))
        let sourceBytes = builder.binaryImmediate(Op.named("imul"), length64, Int64(sourceSize))
        defensiveHeapCheck(&builder, address: destinationAddress, bytes: destinationBytes)
        if case .array = source { defensiveHeapCheck(&builder, address: sourceAddress, bytes: sourceBytes) }
        if !forbidsMemcpy && destinationSize == sourceSize {
            let bytes = count.flatMap { $0.multipliedReportingOverflow(by: UInt64(destinationSize)).overflow ? nil : $0 * UInt64(destinationSize) }
            rawCopy(&builder, destination: destinationAddress, source: sourceAddress, length: destinationBytes, constantBytes: bytes,
                    destinationRegion: region(destination), sourceRegion: region(source))
            return
        }
        try arrayElementCopy(&builder, destination: destination, source: source, destinationAddress: destinationAddress,
                             sourceAddress: sourceAddress, count: length64, sourceIndex: sourceIndex)
    }
}
