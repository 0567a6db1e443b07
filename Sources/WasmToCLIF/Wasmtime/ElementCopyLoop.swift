import CLIF

/// The forwards-or-backwards element loop of Wasmtime's `translate_per_element_copy`, shared by
/// table copies (`table.copy`, `table.init`) and array copies (`array.copy`, `array.init_elem`):
/// forwards when the destination lies below the source, else backwards from the ends, one element
/// per iteration. `keepalives` are values threaded through the loop blocks to keep them live
/// (the arrays' references; their block parameters need stack maps).
enum ElementCopyLoop {
    static func emit(_ builder: inout FunctionBuilder, destinationAddress: Value, sourceAddress: Value, count: Value,
                     sourceIndex: Value, keepalives: [Value] = [],
                     elementSizes: (inout FunctionBuilder) throws(TranslationFailure) -> (destination: Int64, source: Int64),
                     copy: (inout FunctionBuilder, _ destination: Value, _ source: Value, _ index: Value) throws(TranslationFailure) -> Void)
        throws(TranslationFailure)
    {
        guard let current = builder.currentBlock else { throw .invalid("an element copy outside any block") }
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
        let indexType = builder.type(of: sourceIndex)
        let sizes = try elementSizes(&builder)
        let destinationBytes = builder.binaryImmediate(Op.named("imul"), count, sizes.destination)
        let sourceBytes = builder.binaryImmediate(Op.named("imul"), count, sizes.source)
        let destinationEnd = builder.binary(Op.iadd, destinationAddress, destinationBytes)
        let sourceEnd = builder.binary(Op.iadd, sourceAddress, sourceBytes)
        let countAsIndex = indexType == .i64 ? count : builder.convert(Op.ireduce, indexType, count)
        let endIndex = builder.binary(Op.iadd, sourceIndex, countAsIndex)
        builder.brif(forwardFirst, forward, [destinationAddress, sourceAddress, sourceIndex] + keepalives,
                     backward, [destinationEnd, sourceEnd, endIndex] + keepalives)

        builder.switchToBlock(forward)
        var destinationCursor = builder.function.appendBlockParam(forward, .i64)
        var sourceCursor = builder.function.appendBlockParam(forward, .i64)
        var indexCursor = builder.function.appendBlockParam(forward, indexType)
        var kept = keepAliveParams(&builder, forward, count: keepalives.count)
        try copy(&builder, destinationCursor, sourceCursor, indexCursor)
        let destinationNext = builder.binaryImmediate(Op.iadd, destinationCursor, sizes.destination)
        let sourceNext = builder.binaryImmediate(Op.iadd, sourceCursor, sizes.source)
        let indexNext = builder.binaryImmediate(Op.iadd, indexCursor, 1)
        let forwardDone = builder.icmp(.eq, sourceNext, sourceEnd)
        builder.brif(forwardDone, done, [], forward, [destinationNext, sourceNext, indexNext] + kept)

        builder.switchToBlock(backward)
        destinationCursor = builder.function.appendBlockParam(backward, .i64)
        sourceCursor = builder.function.appendBlockParam(backward, .i64)
        indexCursor = builder.function.appendBlockParam(backward, indexType)
        kept = keepAliveParams(&builder, backward, count: keepalives.count)
        destinationCursor = builder.binary(Op.isub, destinationCursor, builder.iconst(.i64, sizes.destination))
        sourceCursor = builder.binary(Op.isub, sourceCursor, builder.iconst(.i64, sizes.source))
        indexCursor = builder.binary(Op.isub, indexCursor, builder.iconst(indexType, 1))
        try copy(&builder, destinationCursor, sourceCursor, indexCursor)
        let backwardDone = builder.icmp(.eq, sourceCursor, sourceAddress)
        builder.brif(backwardDone, done, [], backward, [destinationCursor, sourceCursor, indexCursor] + kept)

        builder.switchToBlock(done)
        builder.sealBlock(nonEmpty)
        builder.sealBlock(forward)
        builder.sealBlock(backward)
        builder.sealBlock(done)
    }

    /// Parameters of a loop block that carry GC references around the loop; they are live
    /// across the loop, so they need stack maps.
    static func keepAliveParams(_ builder: inout FunctionBuilder, _ block: Block, count: Int) -> [Value] {
        (0..<count).map { _ in
            let parameter = builder.function.appendBlockParam(block, .i32)
            builder.declareValueNeedsStackMap(parameter)
            return parameter
        }
    }
}
