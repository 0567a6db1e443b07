import CLIF
import Wasm

/// The element-by-element copy into an array when `memcpy` cannot be used (traced references,
/// funcrefs from element segments): `translate_per_element_copy`, which threads the arrays'
/// references through the loop blocks to keep them live (the constant-phi pass later removes
/// those parameters again, leaving only gaps in the value numbers).
extension WasmtimeEnvironment {
    mutating func arrayElementCopy(_ builder: inout FunctionBuilder, destination: ArrayEntity, source: ArrayEntity,
                                   destinationAddress: Value, sourceAddress: Value, count: Value,
                                   sourceIndex: Value) throws(TranslationFailure) {
        var keepalives: [Value] = []
        for entity in [destination, source] {
            if case .array(_, let reference, _) = entity { keepalives.append(reference) }
        }
        let sizes = (destination: Int64(try elementSize(destination)), source: Int64(try elementSize(source)))
        try ElementCopyLoop.emit(&builder, destinationAddress: destinationAddress, sourceAddress: sourceAddress,
                                 count: count, sourceIndex: sourceIndex, keepalives: keepalives,
                                 elementSizes: { _ in sizes },
                                 copy: { builder, destinationCursor, sourceCursor, _ throws(TranslationFailure) in
                                     try copyArrayElement(&builder, destination: destination, source: source,
                                                          to: destinationCursor, from: sourceCursor)
                                 })
    }

    /// One element: read from the source array or element segment, write into the destination.
    mutating func copyArrayElement(_ builder: inout FunctionBuilder, destination: ArrayEntity, source: ArrayEntity,
                                   to destinationAddress: Value, from sourceAddress: Value) throws(TranslationFailure) {
        guard case .array(let destinationType, _, _) = destination else { throw .invalid("a copy into a segment") }
        let storage = try arrayElement(destinationType).storage
        let value: Value
        switch source {
        case .array(let sourceType, _, _):
            value = try readField(&builder, try arrayElement(sourceType).storage, at: sourceAddress, signed: false)
        case .element:
            guard case .value(.ref(let type)) = storage else { throw .invalid("array.init_elem into a non-reference array") }
            var flags = MemFlags.trusted
            flags.littleEndian = true
            flags.region = builder.function.region(AliasRegionKey.elementSegment.data)
            if isGCReference(type) {
                value = readGCReference(&builder, type, from: sourceAddress, flags: flags)
            } else {
                guard referenceType(type) == .i64 else { throw .notTranslated("array.init_elem of continuation references") }
                value = builder.load(Op.load, .i64, flags, sourceAddress)
            }
        case .data:
            throw .invalid("an element copy from a data segment")
        }
        try writeField(&builder, storage, at: destinationAddress, value: value)
    }
}
