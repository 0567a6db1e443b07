import CLIF
import Wasm

extension Op {
    static let tryCall = named("try_call"), tryCallIndirect = named("try_call_indirect")
}

/// Where the fields of an exception object of one tag live in the GC heap (Wasmtime's exception
/// layout for its default copying collector): the object header, the tag's instance and defined
/// index, then the tag's parameters in order, each at its natural alignment (see `GCLayout`).
struct ExceptionLayout: Sendable, Hashable {
    static let headerSize = GCLayout.headerSize
    static let alignment = GCLayout.alignment
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
            let bytes = GCLayout.byteSize(.value(parameter))
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
        let exnref = RefType(nullable: true, heapType: .abstract(.exn))
        let type = referenceType(exnref)
        let exception = type == builder.type(of: payload) ? payload : builder.convert(Op.ireduce, type, payload)
        // An exception reference points into the GC heap, so it always needs a stack map.
        builder.declareValueNeedsStackMap(exception)
        return exception
    }

    /// A call instruction for Wasm code: `call`/`call_indirect`, or with handlers in scope a
    /// `try_call`/`try_call_indirect` whose normal return continues in a new block.
    mutating func wasmCall(_ builder: inout FunctionBuilder, indirect: Bool, function: UInt32?, signature: UInt32,
                           _ arguments: [Value]) -> [Value] {
        guard !builder.exceptionHandlers.isEmpty else {
            if let function, !indirect { return builder.ins(Op.call, nil, arguments, immediates: .functionRef(function)) }
            return builder.ins(Op.callIndirect, nil, arguments, immediates: .signatureRef(signature))
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
            values.append(try readField(&builder, .value(parameter), at: address, signed: false))
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
        let (exception, object) = try allocateGCObject(&builder, kind: ExceptionLayout.kind, reservedBits: layout.traceBits,
                                                       internedType: exceptionTypeIndex(tag: tag), size: size)
        for (index, (value, offset)) in zip(arguments, layout.fieldOffsets).enumerated() {
            let address = builder.binaryImmediate(Op.iadd, object, Int64(offset))
            try writeField(&builder, .value(parameters[index]), at: address, value: value)
        }
        let instanceAddress = builder.binaryImmediate(Op.iadd, object, ExceptionLayout.instanceOffset)
        try writeField(&builder, .value(.i32), at: instanceAddress, value: instance)
        let tagAddress = builder.binaryImmediate(Op.iadd, object, ExceptionLayout.definedTagOffset)
        try writeField(&builder, .value(.i32), at: tagAddress, value: definedTag)
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
}
