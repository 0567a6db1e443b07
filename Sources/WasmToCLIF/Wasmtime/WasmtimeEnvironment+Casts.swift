import CLIF
import Wasm

/// `ref.test` and `ref.cast` as Wasmtime 49 translates them (`translate_ref_test`): bottom and top
/// types need only a null test, `i31` tests the reference's low bit, and the other types branch
/// over null (and, in the `any` hierarchy, `i31`) references to a check of the object: the
/// `VMGcKind` bits of its header for `eq`/`struct`/`array`, or its shared type id (in the GC
/// object's header, or in the `VMFuncRef`) against the module's for a concrete type.
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
        let check: ObjectCheck
        switch target.heapType {
        case .abstract(let heapType, shared: false):
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
                check = .kind(Self.gcKind(heapType) ?? 0, i31Passes: heapType == .eq)
            }
        case .concrete(let index):
            guard Int(index) < info.types.count else { throw .invalid("type \(index) out of range") }
            switch info.types[Int(index)].composite.kind {
            case .function: check = .functionType(index)
            case .struct, .array: check = .objectType(index)
            case .continuation: throw .notTranslated("ref.test of a continuation type")
            }
        default:
            throw .notTranslated("ref.test of an exact or shared heap type")
        }
        let nonNull = builder.createBlock()
        let object = builder.createBlock()
        let done = builder.createBlock()
        let null = referenceIsNull(&builder, value, nullable: operand.nullable)
        let whenNull = builder.iconst(.i32, target.nullable ? 1 : 0)
        builder.brif(null, done, [whenNull], nonNull)
        builder.switchToBlock(nonNull)
        if case .functionType = check {
            builder.jump(object)
        } else {
            let isI31 = builder.binaryImmediate(Op.band, value, 1)
            var i31Passes = false
            if case .kind(_, let passes) = check { i31Passes = passes }
            let whenI31 = builder.iconst(.i32, i31Passes ? 1 : 0)
            builder.brif(isI31, done, [whenI31], object)
        }
        builder.switchToBlock(object)
        let matches: Value
        switch check {
        case .kind(let kind, _):
            let address = gcObjectAddress(&builder, value, offset: 0)
            let actual = builder.load(Op.load, .i32, gcHeapFlags(&builder), address)
            let expected = builder.iconst(.i32, Int64(Int32(bitPattern: kind)))
            let masked = builder.binary(Op.band, actual, expected)
            matches = builder.convert(Op.uextend, .i32, builder.icmp(.eq, masked, expected))
        case .objectType(let index):
            let expected = sharedTypeID(&builder, typeIndex: index)
            let address = gcObjectAddress(&builder, value, offset: Self.gcHeaderTypeIndexOffset)
            let actual = builder.load(Op.load, .i32, gcHeapFlags(&builder), address)
            matches = isSubtype(&builder, actual, expected, type: index)
        case .functionType(let index):
            let expected = sharedTypeID(&builder, typeIndex: index)
            var flags = MemFlags.trusted
            flags.readonly = true
            flags.region = builder.function.region(AliasRegionKey.vm(.vmFuncRef, offset: 16))
            let actual = builder.load(Op.load, .i32, flags, value, 16)
            matches = isSubtype(&builder, actual, expected, type: index)
        }
        builder.jump(done, [matches])
        builder.switchToBlock(done)
        let result = builder.function.appendBlockParam(done, .i32)
        builder.sealBlock(nonNull)
        builder.sealBlock(object)
        builder.sealBlock(done)
        return result
    }

    /// What the general case of `ref.test` checks once the reference is neither null nor an `i31`.
    enum ObjectCheck {
        /// The `VMGcKind` bits of the object's header (`eq`, `struct`, `array`).
        case kind(UInt32, i31Passes: Bool)
        /// The object's type index in its header against a struct or array type.
        case objectType(UInt32)
        /// The `VMFuncRef`'s type index against a function type.
        case functionType(UInt32)
    }

    /// Where a GC object's header keeps its `VMSharedTypeIndex`.
    static var gcHeaderTypeIndexOffset: Int64 { 4 }

    /// Wasmtime's `is_subtype`: equal shared type ids match; a final type has no other subtype,
    /// otherwise the `is_subtype` builtin decides when the ids differ.
    mutating func isSubtype(_ builder: inout FunctionBuilder, _ actual: Value, _ expected: Value, type index: UInt32) -> Value {
        let same = builder.convert(Op.uextend, .i32, builder.icmp(.eq, actual, expected))
        if info.types[Int(index)].isFinal { return same }
        let different = builder.createBlock()
        let done = builder.createBlock()
        builder.brif(same, done, [same], different)
        builder.switchToBlock(different)
        let function = builtin(&builder, .isSubtype)
        let result = builder.ins(Op.call, nil, [vmctx, actual, expected], immediates: .functionRef(function))[0]
        builder.jump(done, [result])
        builder.switchToBlock(done)
        let joined = builder.function.appendBlockParam(done, .i32)
        builder.sealBlock(different)
        builder.sealBlock(done)
        return joined
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
