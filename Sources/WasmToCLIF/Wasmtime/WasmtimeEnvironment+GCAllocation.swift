import CLIF
import Wasm

/// What GC structs and arrays share under Wasmtime 49's default copying collector: type layouts,
/// the GC heap's base and bound, inline bump allocation with the `gc_alloc_raw` fallback, and
/// reading and writing one field or element (`func_environ/gc.rs`, `gc/copying.rs`).
extension WasmtimeEnvironment {
    /// The fields of struct type `index`.
    func structFields(_ index: UInt32) throws(TranslationFailure) -> [FieldType] {
        guard Int(index) < info.types.count, case .struct(let fields) = info.types[Int(index)].composite.kind else {
            throw .invalid("type \(index) is not a struct type")
        }
        return fields
    }

    /// The element type of array type `index`.
    func arrayElement(_ index: UInt32) throws(TranslationFailure) -> FieldType {
        guard Int(index) < info.types.count, case .array(let element) = info.types[Int(index)].composite.kind else {
            throw .invalid("type \(index) is not an array type")
        }
        return element
    }

    /// Whether the collector traces this storage type (`is_vmgcref_type_and_not_i31`).
    func isTracedReference(_ storage: StorageType) -> Bool {
        guard case .value(.ref(let type)) = storage, isGCReference(type) else { return false }
        if case .abstract(.i31, _) = type.heapType { return false }
        return true
    }

    func structLayout(_ index: UInt32) throws(TranslationFailure) -> GCStructLayout {
        GCLayout.structLayout(try structFields(index), traced: isTracedReference)
    }

    func arrayLayout(_ index: UInt32) throws(TranslationFailure) -> GCArrayLayout {
        let element = try arrayElement(index).storage
        return GCLayout.arrayLayout(element, traced: isTracedReference(element))
    }

    /// Flags of an ordinary access to a GC object (`gc_memflags`): it traps only on a corrupt heap.
    mutating func gcObjectFlags(_ builder: inout FunctionBuilder, littleEndian: Bool) -> MemFlags {
        var flags = MemFlags()
        flags.trapCode = WasmtimeTrap.gcHeapCorrupt
        flags.littleEndian = littleEndian
        flags.region = builder.function.region(AliasRegionKey.gcHeap.data)
        return flags
    }

    /// The native address of the GC heap (`get_gc_heap_base`), loaded afresh at each use.
    mutating func gcHeapBase(_ builder: inout FunctionBuilder) -> Value {
        let store = load(&builder, Field(region: .vm(.vmContext, offset: UInt32(VMOffsets.storeContext)),
                                         offset: VMOffsets.storeContext, readonly: true, canMove: true), from: vmctx)
        return load(&builder, Field(region: .vm(.vmStoreContext, offset: 32), offset: 32, readonly: true, canMove: true),
                    from: store)
    }

    /// The GC heap's current length in bytes (`get_gc_heap_bound`).
    mutating func gcHeapBound(_ builder: inout FunctionBuilder) -> Value {
        let store = load(&builder, Field(region: .vm(.vmContext, offset: UInt32(VMOffsets.storeContext)),
                                         offset: VMOffsets.storeContext, readonly: true, canMove: true), from: vmctx)
        return load(&builder, Field(region: .vm(.vmStoreContext, offset: 40), offset: 40), from: store)
    }

    /// Allocates an object of `size` bytes (an i32) of interned type `internedType`: a bump of the
    /// copying collector's allocation pointer when the active space has room, otherwise a cold call
    /// to `gc_alloc_raw`. Returns the reference and the object's native address.
    mutating func allocateGCObject(_ builder: inout FunctionBuilder, kind: UInt32, reservedBits: UInt32,
                                   internedType: UInt32, size: Value) throws(TranslationFailure) -> (reference: Value, address: Value) {
        guard let current = builder.currentBlock else { throw .invalid("an allocation outside any block") }
        let fast = builder.createBlock()
        let slow = builder.createBlock()
        let merge = builder.createBlock()
        builder.ensureInsertedBlock()
        builder.insertBlock(fast, after: current)
        builder.insertBlock(slow, after: fast)
        builder.insertBlock(merge, after: slow)

        let heapData = load(&builder, Field(region: .vm(.vmContext, offset: UInt32(VMOffsets.gcHeapData)),
                                            offset: VMOffsets.gcHeapData, readonly: true, canMove: true), from: vmctx)
        let bumpField = Field(region: .vm(.vmCopyingHeapData, offset: 0), offset: 0, type: .i32)
        let bump = load(&builder, bumpField, from: heapData)
        let end = load(&builder, Field(region: .vm(.vmCopyingHeapData, offset: 4), offset: 4, type: .i32), from: heapData)
        let size64 = builder.convert(Op.uextend, .i64, size)
        let mask = builder.iconst(.i64, Int64(GCLayout.alignment - 1))
        let inverseMask = builder.iconst(.i64, ~Int64(GCLayout.alignment - 1))
        let alignedSize = builder.binary(Op.band, builder.binary(Op.iadd, size64, mask), inverseMask)
        let bump64 = builder.convert(Op.uextend, .i64, bump)
        let objectEnd = builder.binary(Op.iadd, bump64, alignedSize)
        let end64 = builder.convert(Op.uextend, .i64, end)
        let fits = builder.icmp(.ule, objectEnd, end64)
        builder.brif(fits, fast, [], slow, [])

        builder.switchToBlock(slow)
        builder.sealBlock(slow)
        builder.setCold(slow)
        let kindBits = builder.iconst(.i32, Int64(kind | reservedBits))
        let sharedType = sharedTypeID(&builder, interned: internedType)
        let align = builder.iconst(.i32, Int64(GCLayout.alignment))
        let allocated = callBuiltin(&builder, .gcAllocRaw, [kindBits, sharedType, size, align])[0]
        builder.declareValueNeedsStackMap(allocated)
        let slowAddress = builder.binary(Op.iadd, gcHeapBase(&builder), builder.convert(Op.uextend, .i64, allocated))
        builder.jump(merge, [allocated, slowAddress])

        builder.switchToBlock(fast)
        builder.sealBlock(fast)
        let newBump = builder.convert(Op.ireduce, .i32, objectEnd)
        let bumpRegion = builder.function.region(bumpField.region.data)
        builder.store(Op.store, flags(bumpField, region: bumpRegion), newBump, heapData)
        let fastAddress = builder.binary(Op.iadd, gcHeapBase(&builder), builder.convert(Op.uextend, .i64, bump))
        let headerKind = builder.iconst(.i32, Int64(kind | reservedBits))
        let headerFlags = gcObjectFlags(&builder, littleEndian: false)
        builder.store(Op.store, headerFlags, headerKind, fastAddress, GCLayout.kindOffset)
        let headerType = sharedTypeID(&builder, interned: internedType)
        builder.store(Op.store, headerFlags, headerType, fastAddress, GCLayout.typeIndexOffset)
        builder.store(Op.named("istore32"), headerFlags, alignedSize, fastAddress, GCLayout.objectSizeOffset)
        builder.jump(merge, [bump, fastAddress])

        builder.switchToBlock(merge)
        let reference = builder.function.appendBlockParam(merge, .i32)
        let address = builder.function.appendBlockParam(merge, .i64)
        builder.sealBlock(merge)
        builder.declareValueNeedsStackMap(reference)
        return (reference, address)
    }

    /// Reads a field or element at a checked native address (`read_field_at_addr`); `signed` picks
    /// the extension of a packed `i8`/`i16` value.
    mutating func readField(_ builder: inout FunctionBuilder, _ storage: StorageType, at address: Value,
                            signed: Bool) throws(TranslationFailure) -> Value {
        let flags = gcObjectFlags(&builder, littleEndian: true)
        switch storage {
        case .i8, .i16:
            let raw = builder.load(Op.load, storage == .i8 ? .i8 : .i16, flags, address)
            return builder.convert(signed ? Op.sextend : Op.uextend, .i32, raw)
        case .value(.ref(let type)):
            if isGCReference(type) { return readGCReference(&builder, type, from: address, flags: flags) }
            guard referenceType(type) == .i64 else { throw .notTranslated("a continuation reference in a GC object") }
            if case .abstract(.nofunc, _) = type.heapType {
                let null = builder.iconst(.i64, 0)
                if !type.nullable { builder.trapIf(zero: true, null, WasmtimeTrap.internalAssert) }
                return null
            }
            var expected: UInt32 = .max
            if case .concrete(let index) = type.heapType { expected = info.internedTypeIndex(index) }
            if case .exact(let index) = type.heapType { expected = info.internedTypeIndex(index) }
            let expectedType = builder.iconst(.i32, Int64(expected))
            let identifier = builder.load(Op.load, .i32, flags, address)
            return callBuiltin(&builder, .getInternedFuncRef, [identifier, expectedType])[0]
        case .value(let type):
            return builder.load(Op.load, clifType(type), flags, address)
        }
    }

    /// Writes a field or element at a checked native address (`write_field_at_addr` and the
    /// collector's `init_field`, which are the same for a collector without barriers).
    mutating func writeField(_ builder: inout FunctionBuilder, _ storage: StorageType, at address: Value,
                             value: Value) throws(TranslationFailure) {
        let flags = gcObjectFlags(&builder, littleEndian: true)
        switch storage {
        case .i8: builder.store(Op.named("istore8"), flags, value, address)
        case .i16: builder.store(Op.named("istore16"), flags, value, address)
        case .value(.ref(let type)) where !isGCReference(type):
            guard referenceType(type) == .i64 else { throw .notTranslated("a continuation reference in a GC object") }
            let identifier = internFunctionReference(&builder, type, value)
            builder.store(Op.store, flags, identifier, address)
        case .value:
            builder.store(Op.store, flags, value, address)
        }
    }

    /// The GC heap's 32-bit id for a `funcref` (`intern_func_ref`).
    mutating func internFunctionReference(_ builder: inout FunctionBuilder, _ type: RefType, _ value: Value) -> Value {
        var reference = value
        if case .abstract(.nofunc, _) = type.heapType {
            reference = builder.iconst(.i64, 0)
            if !type.nullable { builder.trapIf(zero: true, reference, WasmtimeTrap.internalAssert) }
        }
        let identifier = callBuiltin(&builder, .internFuncRefForGCHeap, [reference])[0]
        return builder.convert(Op.ireduce, .i32, identifier)
    }

    /// The zero value a default-initialised field or element starts with (`default_value`).
    mutating func defaultValue(_ builder: inout FunctionBuilder, _ storage: StorageType) -> Value {
        switch storage {
        case .i8, .i16: return builder.iconst(.i32, 0)
        case .value(let type):
            switch type {
            case .i32: return builder.iconst(.i32, 0)
            case .i64: return builder.iconst(.i64, 0)
            case .f32: return builder.f32const(0)
            case .f64: return builder.f64const(0)
            case .v128: return builder.vconst(.i8x16, [UInt8](repeating: 0, count: 16))
            case .ref(let ref): return builder.iconst(referenceType(ref), 0)
            }
        }
    }
}

extension WasmtimeTrap {
    public static let arrayOutOfBounds = TrapCode(raw: 17)
    public static let allocationTooLarge = TrapCode(raw: 18)
}
