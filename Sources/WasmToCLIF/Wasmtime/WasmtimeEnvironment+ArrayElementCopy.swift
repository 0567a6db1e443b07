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
        guard let current = builder.currentBlock else { throw .invalid("an array copy outside any block") }
        let nonEmpty = builder.createBlock()
        let forward = builder.createBlock()
        let backward = builder.createBlock()
        let done = builder.createBlock()
        builder.ensureInsertedBlock()
        builder.insertBlock(nonEmpty, after: current)
        builder.insertBlock(forward, after: nonEmpty)
        builder.insertBlock(backward, after: forward)
        builder.insertBlock(done, after: backward)
        builder.brif(count, nonEmpty, [], done, [])

        builder.switchToBlock(nonEmpty)
        let forwardFirst = builder.icmp(.ult, destinationAddress, sourceAddress)
        let destinationSize = Int64(try elementSize(destination))
        let sourceSize = Int64(try elementSize(source))
        let destinationBytes = builder.binaryImmediate(Op.named("imul"), count, destinationSize)
        let sourceBytes = builder.binaryImmediate(Op.named("imul"), count, sourceSize)
        let destinationEnd = builder.binary(Op.iadd, destinationAddress, destinationBytes)
        let sourceEnd = builder.binary(Op.iadd, sourceAddress, sourceBytes)
        let endIndex = builder.binary(Op.iadd, sourceIndex, builder.convert(Op.ireduce, .i32, count))
        var keepalives: [Value] = []
        for entity in [destination, source] {
            if case .array(_, let reference, _) = entity { keepalives.append(reference) }
        }
        builder.brif(forwardFirst, forward, [destinationAddress, sourceAddress, sourceIndex] + keepalives,
                     backward, [destinationEnd, sourceEnd, endIndex] + keepalives)

        builder.switchToBlock(forward)
        var destinationCursor = builder.function.appendBlockParam(forward, .i64)
        var sourceCursor = builder.function.appendBlockParam(forward, .i64)
        var indexCursor = builder.function.appendBlockParam(forward, .i32)
        var kept = keepAliveParams(&builder, forward, count: keepalives.count)
        try copyArrayElement(&builder, destination: destination, source: source, to: destinationCursor, from: sourceCursor)
        let destinationNext = builder.binaryImmediate(Op.iadd, destinationCursor, destinationSize)
        let sourceNext = builder.binaryImmediate(Op.iadd, sourceCursor, sourceSize)
        let indexNext = builder.binaryImmediate(Op.iadd, indexCursor, 1)
        let forwardDone = builder.icmp(.eq, sourceNext, sourceEnd)
        builder.brif(forwardDone, done, [], forward, [destinationNext, sourceNext, indexNext] + kept)

        builder.switchToBlock(backward)
        destinationCursor = builder.function.appendBlockParam(backward, .i64)
        sourceCursor = builder.function.appendBlockParam(backward, .i64)
        indexCursor = builder.function.appendBlockParam(backward, .i32)
        kept = keepAliveParams(&builder, backward, count: keepalives.count)
        destinationCursor = builder.binary(Op.isub, destinationCursor, builder.iconst(.i64, destinationSize))
        sourceCursor = builder.binary(Op.isub, sourceCursor, builder.iconst(.i64, sourceSize))
        indexCursor = builder.binary(Op.isub, indexCursor, builder.iconst(.i32, 1))
        try copyArrayElement(&builder, destination: destination, source: source, to: destinationCursor, from: sourceCursor)
        let backwardDone = builder.icmp(.eq, sourceCursor, sourceAddress)
        builder.brif(backwardDone, done, [], backward, [destinationCursor, sourceCursor, indexCursor] + kept)

        builder.switchToBlock(done)
        builder.sealBlock(nonEmpty)
        builder.sealBlock(forward)
        builder.sealBlock(backward)
        builder.sealBlock(done)
    }

    /// Parameters of a copy loop's block that carry the arrays' references around the loop; they
    /// are GC references live across the loop, so they need stack maps.
    func keepAliveParams(_ builder: inout FunctionBuilder, _ block: Block, count: Int) -> [Value] {
        (0..<count).map { _ in
            let parameter = builder.function.appendBlockParam(block, .i32)
            builder.declareValueNeedsStackMap(parameter)
            return parameter
        }
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
