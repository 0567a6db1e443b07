import CLIF
import Wasm

/// `ref.test` and `ref.cast` against abstract heap types as Wasmtime 49 translates them
/// (`translate_ref_test`): bottom and top types need only a null test, `i31` tests the reference's
/// low bit, and `eq`/`struct`/`array` branch over null and `i31` references to a check of the
/// `VMGcKind` bits in the object's header in the GC heap.
extension WasmtimeEnvironment {
    /// The `VMGcKind` bits that objects of an abstract heap type have in their header.
    static func gcKind(_ type: AbstractHeapType) -> UInt32? {
        switch type {
        case .eq: 0xA000_0000
        case .struct: 0xB000_0000
        case .array: 0xA800_0000
        default: nil
        }
    }

    /// Wasmtime's `translate_ref_is_null`: the constant 0 for a non-nullable operand type.
    mutating func referenceIsNull(_ builder: inout FunctionBuilder, _ value: Value, nullable: Bool) -> Value {
        guard nullable else { return builder.iconst(.i32, 0) }
        let type = builder.type(of: value)
        let zero = builder.iconst(type, 0)
        return builder.convert(Op.uextend, .i32, builder.icmp(.eq, value, zero))
    }

    public mutating func referenceTest(_ builder: inout FunctionBuilder, _ value: Value, operand: RefType,
                                       target: RefType) throws(TranslationFailure) -> Value {
        guard case .abstract(let heapType, shared: false) = target.heapType else {
            throw .notTranslated("ref.test of a concrete or shared heap type")
        }
        switch heapType {
        case .none, .noextern, .nofunc, .noexn, .nocont:
            return target.nullable ? referenceIsNull(&builder, value, nullable: operand.nullable) : builder.iconst(.i32, 0)
        case .any, .extern, .func, .exn, .cont:
            if target.nullable { return builder.iconst(.i32, 1) }
            let null = referenceIsNull(&builder, value, nullable: operand.nullable)
            let zero = builder.iconst(.i32, 0)
            let one = builder.iconst(.i32, 1)
            return builder.ins1(Op.select, nil, [null, zero, one])
        case .i31:
            let isI31 = builder.binaryImmediate(Op.band, value, 1)
            guard target.nullable else { return isI31 }
            let null = referenceIsNull(&builder, value, nullable: operand.nullable)
            return builder.binary(Op.named("bor"), null, isI31)
        case .eq, .struct, .array:
            let kind = Self.gcKind(heapType) ?? 0
            let nonNull = builder.createBlock()
            let object = builder.createBlock()
            let done = builder.createBlock()
            let null = referenceIsNull(&builder, value, nullable: operand.nullable)
            let whenNull = builder.iconst(.i32, target.nullable ? 1 : 0)
            builder.brif(null, done, [whenNull], nonNull)
            builder.switchToBlock(nonNull)
            let isI31 = builder.binaryImmediate(Op.band, value, 1)
            let whenI31 = builder.iconst(.i32, heapType == .eq ? 1 : 0)
            builder.brif(isI31, done, [whenI31], object)
            builder.switchToBlock(object)
            let address = gcObjectAddress(&builder, value, offset: 0)
            let actual = builder.load(Op.load, .i32, gcHeapFlags(&builder), address)
            let expected = builder.iconst(.i32, Int64(Int32(bitPattern: kind)))
            let masked = builder.binary(Op.band, actual, expected)
            let matches = builder.convert(Op.uextend, .i32, builder.icmp(.eq, masked, expected))
            builder.jump(done, [matches])
            builder.switchToBlock(done)
            let result = builder.function.appendBlockParam(done, .i32)
            builder.sealBlock(nonNull)
            builder.sealBlock(object)
            builder.sealBlock(done)
            return result
        }
    }

    /// Flags of a read-only load from the GC heap: it traps only if the heap is corrupt.
    mutating func gcHeapFlags(_ builder: inout FunctionBuilder) -> MemFlags {
        var flags = MemFlags()
        flags.trapCode = WasmtimeTrap.gcHeapCorrupt
        flags.readonly = true
        flags.region = builder.function.region(AliasRegionKey.gcHeap.data)
        return flags
    }

    /// The native address of byte `offset` of the GC object `reference` (`prepare_gc_ref_access`
    /// with a GC heap that needs no bounds check).
    mutating func gcObjectAddress(_ builder: inout FunctionBuilder, _ reference: Value, offset: Int64) -> Value {
        let index = builder.convert(Op.uextend, .i64, reference)
        let store = load(&builder, Field(region: .vm(.vmContext, offset: UInt32(VMOffsets.storeContext)),
                                         offset: VMOffsets.storeContext, readonly: true, canMove: true), from: vmctx)
        let base = load(&builder, Field(region: .vm(.vmStoreContext, offset: 32), offset: 32, readonly: true, canMove: true),
                        from: store)
        _ = builder.function.region(AliasRegionKey.vm(.vmStoreContext, offset: 40).data)
        let objectBase = builder.binary(Op.iadd, base, index)
        return builder.binaryImmediate(Op.iadd, objectBase, offset)
    }
}
