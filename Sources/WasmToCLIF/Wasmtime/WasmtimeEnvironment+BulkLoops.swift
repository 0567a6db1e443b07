import CLIF
import Wasm

/// The loops behind `table.copy`/`table.init` (element by element, forwards or backwards),
/// `table.fill` and `table.grow`, and `data.drop`.
extension WasmtimeEnvironment {
    /// The forwards-or-backwards element loop of `translate_per_element_copy` over tables and segments.
    mutating func perElementCopy(_ builder: inout FunctionBuilder, destination: BulkEntity, source: BulkEntity,
                                 destinationAddress: Value, sourceAddress: Value, count: Value,
                                 sourceIndex: Value) throws(TranslationFailure) {
        try ElementCopyLoop.emit(&builder, destinationAddress: destinationAddress, sourceAddress: sourceAddress,
                                 count: count, sourceIndex: sourceIndex,
                                 elementSizes: { builder throws(TranslationFailure) in
                                     (try elementSize(&builder, destination), try elementSize(&builder, source))
                                 },
                                 copy: { builder, destinationCursor, sourceCursor, indexCursor throws(TranslationFailure) in
                                     try copyElement(&builder, destination: destination, source: source,
                                                     destinationAddress: destinationCursor, sourceAddress: sourceCursor,
                                                     sourceIndex: indexCursor)
                                 })
    }

    /// One element of a table copy: read it from the source table or segment, store it with the
    /// initialised bit into the destination table.
    mutating func copyElement(_ builder: inout FunctionBuilder, destination: BulkEntity, source: BulkEntity,
                              destinationAddress: Value, sourceAddress: Value, sourceIndex: Value) throws(TranslationFailure) {
        let value: Value
        switch source {
        case .table(let sourceTable, _):
            let access = try table(&builder, sourceTable)
            if isFuncTable(access) {
                value = try tableGetFuncRef(&builder, tableIndex: sourceTable, index: sourceIndex)
            } else {
                guard isGCReference(access.type.elementType) else { throw .notTranslated("copying from a continuation table") }
                value = try tableGetGCReference(&builder, tableIndex: sourceTable, index: sourceIndex)
            }
        case .element:
            guard case .table(let destinationTable, _) = destination else { throw .invalid("table.init into memory") }
            let type = info.tables[Int(destinationTable)].elementType
            var flags = MemFlags.trusted
            flags.littleEndian = true
            flags.region = builder.function.region(AliasRegionKey.elementSegment.data)
            if referenceType(type) == .i64 {
                value = builder.load(Op.load, .i64, flags, sourceAddress)
            } else {
                guard isGCReference(type) else { throw .notTranslated("table.init of a continuation table") }
                value = readGCReference(&builder, type, from: sourceAddress, flags: flags)
            }
        default:
            throw .invalid("a table copy from memory")
        }
        guard case .table(let destinationTable, _) = destination else { return }
        storeTableElement(&builder, table: destinationTable, address: destinationAddress, value: value)
    }

    /// Stores a table element: a funcref with the lazy-initialisation bit (`table_set_funcref`), a
    /// GC reference as it is.
    mutating func storeTableElement(_ builder: inout FunctionBuilder, table tableIndex: UInt32, address: Value, value: Value) {
        var flags = MemFlags.trusted
        flags.region = builder.function.region(tableRegion(tableIndex).data)
        var stored = value
        if referenceType(info.tables[Int(tableIndex)].elementType) == .i64 && tunables.tableLazyInit {
            stored = builder.binaryImmediate(Op.named("bor"), value, 1)
        }
        builder.store(Op.store, flags, stored, address)
    }

    /// `memory.fill` and `table.fill` (`translate_entity_fill`).
    mutating func entityFill(_ builder: inout FunctionBuilder, _ entity: BulkEntity, destination: Value, value: Value,
                             length: Value) throws(TranslationFailure) {
        let address = try entityBoundsCheck(&builder, entity, index: destination, length: length)
        let nativeLength = toNative(&builder, length)
        switch entity {
        case .memory:
            _ = callBuiltin(&builder, .memoryFill, [address, value, nativeLength])
        case .table(let tableIndex, _):
            let size = try elementSize(&builder, entity)
            let bytes = builder.binaryImmediate(Op.named("imul"), nativeLength, size)
            if !tunables.tableLazyInit, let byte = memsetByte(builder, value) {
                let fillValue = builder.iconst(.i32, byte)
                _ = callBuiltin(&builder, .memoryFill, [address, fillValue, bytes])
                return
            }
            try ElementFillLoop.emit(&builder, address: address, bytes: bytes, length: nativeLength, elementSize: size) { builder, element in
                storeTableElement(&builder, table: tableIndex, address: element, value: value)
            }
        case .data, .element:
            throw .invalid("a fill of a segment")
        }
    }

    /// The byte a constant fill value repeats, if it is one (`fill_value_as_memset`).
    func memsetByte(_ builder: FunctionBuilder, _ value: Value) -> Int64? {
        guard let bits = constant(builder, value) else { return nil }
        let width = builder.type(of: value).bytes
        let bytes = (0..<width).map { UInt8(truncatingIfNeeded: bits >> (8 * UInt64($0))) }
        guard bytes.allSatisfy({ $0 == bytes[0] }) else { return nil }
        return Int64(bits & 0xff)
    }

    /// `table.grow`: the runtime grows the table with null slots, then the new slots are filled
    /// (Wasmtime 49.0.3 branches straight to the end when growing fails).
    mutating func tableGrow(_ builder: inout FunctionBuilder, tableIndex: UInt32, delta: Value,
                            initial: Value) throws(TranslationFailure) -> Value {
        guard Int(tableIndex) < info.tables.count else { throw .invalid("table \(tableIndex) out of range") }
        let type = info.tables[Int(tableIndex)]
        let indexType: CLIFType = type.limits.is64 ? .i64 : .i32
        let (tableContext, definedIndex) = tableVMContextAndIndex(&builder, tableIndex)
        let delta64 = toNative(&builder, delta)
        let grow = builtin(&builder, .tableGrow)
        let grown = builder.ins(Op.call, nil, [tableContext, definedIndex, delta64], immediates: .functionRef(grow))[0]
        let result = indexType == .i64 ? grown : builder.convert(Op.ireduce, indexType, grown)
        guard let current = builder.currentBlock else { return result }
        let fill = builder.createBlock()
        let done = builder.createBlock()
        builder.insertBlock(fill, after: current)
        builder.insertBlock(done, after: fill)
        let failure = builder.iconst(indexType, -1)
        let isFailure = builder.icmp(.eq, result, failure)
        builder.brif(isFailure, done, [], fill, [])
        builder.switchToBlock(fill)
        try entityFill(&builder, .table(tableIndex, initialized: false), destination: result, value: initial, length: delta)
        builder.jump(done, [])
        builder.switchToBlock(done)
        builder.sealBlock(fill)
        builder.sealBlock(done)
        return result
    }

    mutating func tableVMContextAndIndex(_ builder: inout FunctionBuilder, _ tableIndex: UInt32) -> (Value, Value) {
        if Int(tableIndex) >= info.importedTableCount {
            return (vmctx, builder.iconst(.i32, Int64(Int(tableIndex) - info.importedTableCount)))
        }
        let base = offsets.importedTable(Int(tableIndex))
        let context = load(&builder, Field(region: .vm(.vmTableImport, offset: 8), offset: base + 8, readonly: true, canMove: true),
                           from: vmctx)
        let index = load(&builder, Field(region: .vm(.vmTableImport, offset: 16), offset: base + 16, type: .i32,
                                         readonly: true, canMove: true), from: vmctx)
        return (context, index)
    }

    /// `data.drop`: a passive segment's length becomes zero.
    mutating func dataDrop(_ builder: inout FunctionBuilder, segment: UInt32) throws(TranslationFailure) {
        guard let runtime = try runtimeDataIndex(segment) else { return }
        let zero = builder.iconst(.i32, 0)
        let field = runtimeDataLength(runtime)
        let region = builder.function.region(field.region.data)
        builder.store(Op.store, flags(field, region: region), zero, vmctx, field.offset)
    }
}
