import CLIF
import Wasm

extension Op {
    static let tryCall = named("try_call"), tryCallIndirect = named("try_call_indirect")
    static let istore32 = named("istore32")
}

/// Where the fields of an exception object of one tag live in the GC heap (Wasmtime's exception
/// layout for its default copying collector): a 16-byte header, the tag's instance and defined
/// index, then the tag's parameters in order, each at its natural alignment.
struct ExceptionLayout: Sendable, Hashable {
    static let headerSize: UInt32 = 16
    static let alignment: UInt32 = 16
    static let instanceOffset: Int64 = 16
    static let definedTagOffset: Int64 = 20
    /// `VMGcKind::ExnRef`.
    static let kind: UInt32 = 1 << 26

    var size: UInt32
    var fieldOffsets: [UInt32]
    /// The header's reserved bits: inline trace information (a bitmap of GC-reference slots).
    var traceBits: UInt32

    init(parameters: [ValueType], isGCReference: (RefType) -> Bool) {
        func alignUp(_ value: UInt32, _ alignment: UInt32) -> UInt32 { (value + alignment - 1) & ~(alignment - 1) }
        var size = Self.headerSize + 8
        var alignment = Self.alignment
        var offsets: [UInt32] = []
        var bitmap: UInt32 = 0
        var inline = true
        for parameter in parameters {
            let bytes: UInt32
            switch parameter {
            case .i32, .f32, .ref: bytes = 4
            case .i64, .f64: bytes = 8
            case .v128: bytes = 16
            }
            let offset = alignUp(size, bytes)
            alignment = max(alignment, bytes)
            size = offset + bytes
            offsets.append(offset)
            if case .ref(let ref) = parameter, isGCReference(ref), ref.heapType != .abstract(.i31) {
                let slot = (offset - Self.headerSize) / 4
                if (offset - Self.headerSize) % 4 != 0 || slot >= 23 { inline = false } else { bitmap |= 1 << slot }
            }
        }
        self.size = alignUp(alignUp(size, alignment), Self.alignment)
        fieldOffsets = offsets
        traceBits = inline ? 2 | bitmap << 3 : 0
    }
}

/// Exceptions as Wasmtime 49 translates them: calls inside a `try_table` become `try_call`s with
/// an exception table, `throw` allocates an exception object in the GC heap and calls the
/// `throw_ref` builtin (itself a `try_call`), and catch blocks read the payload back.
extension WasmtimeEnvironment {
    public var exceptionPayloadType: CLIFType { .i64 }

    public mutating func caughtException(_ builder: inout FunctionBuilder, payload: Value) -> Value {
        let type = referenceType(RefType(nullable: true, heapType: .abstract(.exn)))
        return type == builder.type(of: payload) ? payload : builder.convert(Op.ireduce, type, payload)
    }

    /// A call instruction for Wasm code: `call`/`call_indirect`, or with handlers in scope a
    /// `try_call`/`try_call_indirect` whose normal return continues in a new block.
    mutating func wasmCall(_ builder: inout FunctionBuilder, indirect: Bool, function: UInt32?, signature: UInt32,
                           _ arguments: [Value]) -> [Value] {
        guard !builder.exceptionHandlers.isEmpty else {
            if indirect { return builder.ins(Op.callIndirect, nil, arguments, immediates: .signatureRef(signature)) }
            return builder.ins(Op.call, nil, arguments, immediates: .functionRef(function ?? 0))
        }
        let continuation = builder.createBlock()
        var returns: [BlockArg] = []
        for (index, result) in builder.function.signatures[Int(signature)].returns.enumerated() {
            _ = builder.function.appendBlockParam(continuation, result.type)
            returns.append(.tryCallReturn(UInt32(index)))
        }
        buildTryCall(&builder, indirect: indirect, function: function, signature: signature, arguments,
                     normal: BlockCall(continuation, returns))
        builder.switchToBlock(continuation)
        builder.sealBlock(continuation)
        return builder.blockParams(continuation)
    }

    /// Builds the `try_call` itself: the normal destination, then one entry per handler in
    /// scope, innermost first, each receiving the exception payload.
    mutating func buildTryCall(_ builder: inout FunctionBuilder, indirect: Bool, function: UInt32?, signature: UInt32,
                               _ arguments: [Value], normal: BlockCall) {
        var destinations = [normal]
        var items: [ExceptionTableItem] = [.context(vmctx)]
        for handler in builder.exceptionHandlers.reversed() {
            destinations.append(BlockCall(handler.block, [.tryCallException(0)]))
            items.append(handler.tag.map { .tag($0) } ?? .default)
        }
        let opcode = indirect ? Op.tryCallIndirect : Op.tryCall
        let list = ValueList(arguments)
        var instruction = Instruction(built: opcode, controllingType: builder.controllingType(opcode.shape, nil, list),
                                      arguments: list, destinations: destinations,
                                      immediates: .exceptionTable(callee: indirect ? nil : function, signature: signature))
        instruction.exceptionItems = items
        builder.build(instruction)
    }

    // MARK: Tags

    /// The interned index of the exception type Wasmtime defines for `tag`: one per distinct
    /// function type used by a tag, numbered after the module's own types in tag order.
    func exceptionTypeIndex(tag: UInt32) -> UInt32 {
        var seen: [UInt32] = []
        var result = info.internedTypeCount
        for index in 0...Int(tag) {
            let interned = info.internedTypeIndex(info.tags[index].typeIndex)
            if let position = seen.firstIndex(of: interned) {
                result = info.internedTypeCount + UInt32(position)
            } else {
                result = info.internedTypeCount + UInt32(seen.count)
                seen.append(interned)
            }
        }
        return result
    }

    func tagParameters(_ tag: UInt32) throws(TranslationFailure) -> [ValueType] {
        guard Int(tag) < info.tags.count, let type = info.functionType(info.tags[Int(tag)].typeIndex) else {
            throw .invalid("unknown tag \(tag)")
        }
        return type.parameters
    }

    func exceptionLayout(tag: UInt32) throws(TranslationFailure) -> ExceptionLayout {
        ExceptionLayout(parameters: try tagParameters(tag), isGCReference: isGCReference)
    }

    /// The identity of `tag` stored in an exception: the defining instance's id and the tag's
    /// defined index there (`get_instance_and_tag`).
    mutating func instanceAndTag(_ builder: inout FunctionBuilder, _ tag: UInt32) -> (Value, Value) {
        let getInstanceID = builtin(&builder, .getInstanceID)
        if Int(tag) >= info.importedTagCount {
            let instance = builder.ins(Op.call, nil, [vmctx], immediates: .functionRef(getInstanceID))[0]
            return (instance, builder.iconst(.i32, Int64(Int(tag) - info.importedTagCount)))
        }
        let base = Int32(offsets.importedTags) + Int32(tag) * 24
        let region = AliasRegionKey.vm(.vmTagImport, offset: 0)
        let fromVMContext = load(&builder, Field(region: region, offset: base + 8, readonly: true, canMove: true), from: vmctx)
        let index = load(&builder, Field(region: region, offset: base + 16, type: .i32, readonly: true, canMove: true), from: vmctx)
        let instance = builder.ins(Op.call, nil, [fromVMContext], immediates: .functionRef(getInstanceID))[0]
        return (instance, index)
    }

    // MARK: Operators

    public mutating func exceptionValues(_ builder: inout FunctionBuilder, tag: UInt32, exception: Value) throws(TranslationFailure) -> [Value] {
        let parameters = try tagParameters(tag)
        let layout = try exceptionLayout(tag: tag)
        var values: [Value] = []
        for (parameter, offset) in zip(parameters, layout.fieldOffsets) {
            let address = gcObjectAddress(&builder, exception, offset: Int64(offset))
            var flags = gcMemFlags(&builder)
            flags.littleEndian = true
            switch parameter {
            case .ref(let ref) where referenceType(ref) == .i64:
                values.append(readFunctionReference(&builder, ref, from: address, flags: flags))
            case .ref(let ref) where !isGCReference(ref):
                throw .notTranslated("a caught exception carrying a continuation reference")
            case .ref(let ref):
                values.append(readGCReference(&builder, ref, from: address, flags: flags))
            default:
                values.append(builder.load(Op.load, clifType(parameter), flags, address))
            }
        }
        return values
    }

    public mutating func throwException(_ builder: inout FunctionBuilder, tag: UInt32, arguments: [Value]) throws(TranslationFailure) {
        try throwReference(&builder, try newException(&builder, tag: tag, arguments: arguments))
    }

    /// A new exception object of `tag` carrying `arguments` (Wasmtime's `translate_exn_new`).
    mutating func newException(_ builder: inout FunctionBuilder, tag: UInt32, arguments: [Value]) throws(TranslationFailure) -> Value {
        let parameters = try tagParameters(tag)
        for case .ref(let ref) in parameters where !isGCReference(ref) && referenceType(ref) != .i64 {
            throw .notTranslated("throwing an exception carrying a continuation reference")
        }
        let layout = try exceptionLayout(tag: tag)
        let (instance, definedTag) = instanceAndTag(&builder, tag)
        let size = builder.iconst(.i32, Int64(layout.size))
        let (exception, object) = allocateGCObject(&builder, kind: ExceptionLayout.kind | layout.traceBits,
                                                   internedType: exceptionTypeIndex(tag: tag), size: size)
        var flags = gcMemFlags(&builder)
        flags.littleEndian = true
        for (index, (value, offset)) in zip(arguments, layout.fieldOffsets).enumerated() {
            let address = builder.binaryImmediate(Op.iadd, object, Int64(offset))
            if case .ref(let ref) = parameters[index], referenceType(ref) == .i64 {
                let identifier = internFunctionReference(&builder, ref, value)
                builder.store(Op.store, flags, identifier, address)
            } else {
                builder.store(Op.store, flags, value, address)
            }
        }
        let instanceAddress = builder.binaryImmediate(Op.iadd, object, ExceptionLayout.instanceOffset)
        builder.store(Op.store, flags, instance, instanceAddress)
        let tagAddress = builder.binaryImmediate(Op.iadd, object, ExceptionLayout.definedTagOffset)
        builder.store(Op.store, flags, definedTag, tagAddress)
        return exception
    }

    public mutating func throwReference(_ builder: inout FunctionBuilder, _ exception: Value) throws(TranslationFailure) {
        let throwRef = builtin(&builder, .throwRef)
        let signature = builder.function.functionRefs[Int(throwRef)].signature
        let continuation = builder.createBlock()
        if let current = builder.currentBlock { builder.insertBlock(continuation, after: current) }
        buildTryCall(&builder, indirect: false, function: throwRef, signature: signature, [vmctx, exception],
                     normal: BlockCall(continuation))
        builder.switchToBlock(continuation)
        builder.sealBlock(continuation)
        trap(&builder, WasmtimeTrap.unreachable)
    }

    // MARK: GC heap

    /// A function reference read from a GC object, which holds its id in the store's function
    /// reference table (`get_interned_func_ref`, checked against the expected type).
    mutating func readFunctionReference(_ builder: inout FunctionBuilder, _ type: RefType, from address: Value,
                                        flags: MemFlags) -> Value {
        let expected: Int64
        switch type.heapType {
        case .abstract(.nofunc, _):
            let null = builder.iconst(.i64, 0)
            if !type.nullable { builder.trapIf(zero: true, null, WasmtimeTrap.internalAssert) }
            return null
        case .concrete(let index), .exact(let index):
            expected = Int64(info.internedTypeIndex(index))
        default:
            expected = Int64(UInt32.max)
        }
        let expectedType = builder.iconst(.i32, expected)
        let identifier = builder.load(Op.load, .i32, flags, address)
        let getInternedFuncRef = builtin(&builder, .getInternedFuncRef)
        return builder.ins(Op.call, nil, [vmctx, identifier, expectedType], immediates: .functionRef(getInternedFuncRef))[0]
    }

    /// The id under which a function reference is stored in the GC heap (`intern_func_ref`).
    mutating func internFunctionReference(_ builder: inout FunctionBuilder, _ type: RefType, _ value: Value) -> Value {
        let intern = builtin(&builder, .internFuncRefForGCHeap)
        var reference = value
        if case .abstract(.nofunc, _) = type.heapType {
            reference = builder.iconst(.i64, 0)
            if !type.nullable { builder.trapIf(zero: true, reference, WasmtimeTrap.internalAssert) }
        }
        let identifier = builder.ins(Op.call, nil, [vmctx, reference], immediates: .functionRef(intern))[0]
        return builder.convert(Op.ireduce, .i32, identifier)
    }

    /// Flags of GC-heap accesses (`gc_memflags`): a corrupt heap traps, region of the GC heap.
    mutating func gcMemFlags(_ builder: inout FunctionBuilder) -> MemFlags {
        var flags = MemFlags()
        flags.trapCode = WasmtimeTrap.gcHeapCorrupt
        flags.region = builder.function.region(AliasRegionKey.gcHeap.data)
        return flags
    }

    /// The native base of the GC heap (`get_gc_heap_base`).
    mutating func gcHeapBase(_ builder: inout FunctionBuilder) -> Value {
        let store = load(&builder, Field(region: .vm(.vmContext, offset: UInt32(VMOffsets.storeContext)),
                                         offset: VMOffsets.storeContext, readonly: true, canMove: true), from: vmctx)
        return load(&builder, Field(region: .vm(.vmStoreContext, offset: 32), offset: 32, readonly: true, canMove: true), from: store)
    }

    /// Allocates `size` bytes for a GC object of `kind` the way the copying collector does
    /// inline: bump allocation in the active semi-space, `gc_alloc_raw` when it is full. Returns
    /// the object's reference and its native address; the current block becomes the merge block.
    mutating func allocateGCObject(_ builder: inout FunctionBuilder, kind: UInt32, internedType: UInt32,
                                   size: Value) -> (reference: Value, address: Value) {
        let alignment: Int64 = 16
        builder.ensureInsertedBlock()
        let current = builder.currentBlock!
        let fast = builder.createBlock()
        let slow = builder.createBlock()
        let merge = builder.createBlock()
        builder.insertBlock(fast, after: current)
        builder.insertBlock(slow, after: fast)
        builder.insertBlock(merge, after: slow)

        let heapData = load(&builder, Field(region: .vm(.vmContext, offset: UInt32(VMOffsets.gcHeapData)),
                                            offset: VMOffsets.gcHeapData, readonly: true, canMove: true), from: vmctx)
        let bumpField = Field(region: .vm(.vmCopyingHeapData, offset: 0), offset: 0, type: .i32)
        let bump = load(&builder, bumpField, from: heapData)
        let end = load(&builder, Field(region: .vm(.vmCopyingHeapData, offset: 4), offset: 4, type: .i32), from: heapData)
        let size64 = builder.convert(Op.uextend, .i64, size)
        let mask = builder.iconst(.i64, alignment - 1)
        let inverse = builder.iconst(.i64, ~(alignment - 1))
        let padded = builder.binary(Op.iadd, size64, mask)
        let alignedSize = builder.binary(Op.band, padded, inverse)
        let bump64 = builder.convert(Op.uextend, .i64, bump)
        let objectEnd = builder.binary(Op.iadd, bump64, alignedSize)
        let end64 = builder.convert(Op.uextend, .i64, end)
        let fits = builder.icmp(.ule, objectEnd, end64)
        builder.brif(fits, fast, slow)

        builder.switchToBlock(slow)
        builder.sealBlock(slow)
        builder.setCold(slow)
        let allocate = builtin(&builder, .gcAllocRaw)
        let kindValue = builder.iconst(.i32, Int64(kind))
        let type = sharedTypeID(&builder, interned: internedType)
        let alignValue = builder.iconst(.i32, alignment)
        let allocated = builder.ins(Op.call, nil, [vmctx, kindValue, type, size, alignValue], immediates: .functionRef(allocate))[0]
        let slowBase = gcHeapBase(&builder)
        let slowOffset = builder.convert(Op.uextend, .i64, allocated)
        let slowObject = builder.binary(Op.iadd, slowBase, slowOffset)
        builder.jump(merge, [allocated, slowObject])

        builder.switchToBlock(fast)
        builder.sealBlock(fast)
        let newBump = builder.convert(Op.ireduce, .i32, objectEnd)
        let bumpRegion = builder.function.region(bumpField.region)
        builder.store(Op.store, flags(bumpField, region: bumpRegion), newBump, heapData)
        let base = gcHeapBase(&builder)
        let offset = builder.convert(Op.uextend, .i64, bump)
        let object = builder.binary(Op.iadd, base, offset)
        let headerFlags = gcMemFlags(&builder)
        let kindConstant = builder.iconst(.i32, Int64(kind))
        builder.store(Op.store, headerFlags, kindConstant, object, 0)
        let sharedType = sharedTypeID(&builder, interned: internedType)
        builder.store(Op.store, headerFlags, sharedType, object, 4)
        builder.store(Op.istore32, headerFlags, alignedSize, object, 8)
        builder.jump(merge, [bump, object])

        builder.switchToBlock(merge)
        let reference = builder.function.appendBlockParam(merge, .i32)
        let address = builder.function.appendBlockParam(merge, .i64)
        builder.sealBlock(merge)
        return (reference, address)
    }

    /// The shared type id of an interned type, loaded from the type-ids array.
    mutating func sharedTypeID(_ builder: inout FunctionBuilder, interned: UInt32) -> Value {
        let array = load(&builder, Field(region: .vm(.vmContext, offset: UInt32(VMOffsets.typeIDs)), offset: VMOffsets.typeIDs,
                                         readonly: true, canMove: true), from: vmctx)
        return load(&builder, Field(region: .vm(.typeIDsArray, offset: interned * 4), offset: Int32(interned * 4),
                                    type: .i32, readonly: true, canMove: true), from: array)
    }
}
