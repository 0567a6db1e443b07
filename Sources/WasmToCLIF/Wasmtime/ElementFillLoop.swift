import CLIF

/// The store loop of Wasmtime's `emit_raw_array_or_table_fill`, shared by `table.fill` and array
/// fills (`array.fill`, `array.new`): skipped when the length is zero, else one element stored per
/// iteration from `address` up to `address + bytes`.
enum ElementFillLoop {
    static func emit(_ builder: inout FunctionBuilder, address: Value, bytes: Value, length: Value, elementSize: Int64,
                     store: (inout FunctionBuilder, _ element: Value) throws(TranslationFailure) -> Void)
        throws(TranslationFailure)
    {
        guard let current = builder.currentBlock else { throw .invalid("an element fill outside any block") }
        let loop = builder.createBlock()
        let next = builder.createBlock()
        builder.ensureInsertedBlock()
        builder.insertBlock(loop, after: current)
        builder.insertBlock(next, after: loop)
        let end = builder.binary(Op.iadd, address, bytes)
        let empty = builder.icmp(.eq, length, builder.iconst(.i64, 0))
        builder.brif(empty, next, [], loop, [address])
        builder.switchToBlock(loop)
        let element = builder.function.appendBlockParam(loop, .i64)
        try store(&builder, element)
        let following = builder.binaryImmediate(Op.iadd, element, elementSize)
        let finished = builder.icmp(.eq, following, end)
        builder.brif(finished, next, [], loop, [following])
        builder.switchToBlock(next)
        builder.sealBlock(loop)
        builder.sealBlock(next)
    }
}
