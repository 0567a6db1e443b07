import CLIF
import Wasm

/// What a bulk operator reads or writes (Wasmtime's `CheckedEntity`).
enum BulkEntity: Sendable, Hashable {
    case memory(UInt32)
    /// A table; `initialized` is false while `table.grow` fills fresh slots.
    case table(UInt32, initialized: Bool)
    case data(UInt32)
    case element(UInt32)
}

/// Bulk memory and table operators as Wasmtime 49 expands them inline: a bounds check of each
/// entity against its current size, then a `memory_copy`/`memory_fill` call, an inline copy of
/// a small constant length, or an element-by-element loop.
extension WasmtimeEnvironment {
    func indexType(_ entity: BulkEntity) throws(TranslationFailure) -> CLIFType {
        switch entity {
        case .memory(let index):
            guard Int(index) < info.memories.count else { throw .invalid("memory \(index) out of range") }
            return info.memories[Int(index)].limits.is64 ? .i64 : .i32
        case .table(let index, _):
            guard Int(index) < info.tables.count else { throw .invalid("table \(index) out of range") }
            return info.tables[Int(index)].limits.is64 ? .i64 : .i32
        case .data, .element:
            return .i32
        }
    }

    /// The byte size of one element.
    mutating func elementSize(_ builder: inout FunctionBuilder, _ entity: BulkEntity) throws(TranslationFailure) -> Int64 {
        switch entity {
        case .memory, .data: return 1
        case .table(let index, _): return isFuncTable(try table(&builder, index)) ? 8 : 4
        case .element: return 16
        }
    }

    func outOfBoundsTrap(_ entity: BulkEntity) -> TrapCode {
        switch entity {
        case .memory, .data: .heapOutOfBounds
        case .table, .element: WasmtimeTrap.tableOutOfBounds
        }
    }

    func bulkRegion(_ entity: BulkEntity) -> AliasRegionKey {
        switch entity {
        case .memory(let index): memoryRegion(index)
        case .table(let index, _): tableRegion(index)
        case .data: .dataSegment
        case .element: .elementSegment
        }
    }

    mutating func passiveElementIndex(_ segment: UInt32) throws(TranslationFailure) -> Int? {
        guard Int(segment) < info.module.elements.count else { throw .invalid("element segment \(segment) out of range") }
        guard case .passive = info.module.elements[Int(segment)].mode else { return nil }
        return info.module.elements[..<Int(segment)].filter { if case .passive = $0.mode { true } else { false } }.count
    }

    func runtimeDataIndex(_ segment: UInt32) throws(TranslationFailure) -> UInt32? {
        guard Int(segment) < info.module.data.count else { throw .invalid("data segment \(segment) out of range") }
        return runtimeData.passiveIndex[segment]
    }

    mutating func runtimeDataLength(_ index: UInt32) -> Field {
        let offset = offsets.runtimeDataLength(index)
        return Field(region: .vm(.vmContext, offset: UInt32(offset)), offset: offset, type: .i32)
    }

    mutating func runtimeDataBase(_ index: UInt32) -> Field {
        let offset = offsets.runtimeDataBase(index)
        return Field(region: .vm(.vmContext, offset: UInt32(offset)), offset: offset)
    }

    mutating func callBuiltin(_ builder: inout FunctionBuilder, _ function: Builtin, _ arguments: [Value]) -> [Value] {
        let reference = builtin(&builder, function)
        return builder.ins(Op.call, nil, [vmctx] + arguments, immediates: .functionRef(reference))
    }

    mutating func toNative(_ builder: inout FunctionBuilder, _ value: Value) -> Value {
        builder.type(of: value) == .i64 ? value : builder.convert(Op.uextend, .i64, value)
    }

    /// Traps unless `index + length` is within the entity; returns the native address of `index`
    /// (`translate_entity_bounds_check`).
    mutating func entityBoundsCheck(_ builder: inout FunctionBuilder, _ entity: BulkEntity, index: Value,
                                    length: Value) throws(TranslationFailure) -> Value {
        let indexType = try indexType(entity)
        let size: Value
        switch entity {
        case .memory(let memory):
            let heap = try heap(&builder, memory)
            if heap.memory.limits.shared { throw .notTranslated("bulk memory on a shared memory") }
            size = emitChain(&builder, heap.boundChain)
        case .table(let tableIndex, _):
            let table = try table(&builder, tableIndex)
            size = toNative(&builder, tableBound(&builder, table))
        case .data(let segment):
            if let runtime = try runtimeDataIndex(segment) {
                size = toNative(&builder, load(&builder, runtimeDataLength(runtime), from: vmctx))
            } else {
                size = builder.iconst(.i64, 0)
            }
        case .element(let segment):
            if let passive = try passiveElementIndex(segment) {
                let constant = builder.iconst(.i32, Int64(passive))
                size = callBuiltin(&builder, .passiveElemSegmentLen, [constant])[0]
            } else {
                size = builder.iconst(.i64, 0)
            }
        }
        let trap = outOfBoundsTrap(entity)
        let end: Value
        if indexType == .i32 {
            let index64 = builder.convert(Op.uextend, .i64, index)
            let length64 = builder.convert(Op.uextend, .i64, length)
            let scaled = builder.binaryImmediate(Op.named("imul"), length64, 1)
            end = builder.binary(Op.iadd, index64, scaled)
        } else {
            end = builder.ins1(Op.uaddOverflowTrap, nil, [index, length], immediates: .trapCode(trap))
        }
        let outOfBounds = builder.icmp(.ugt, end, size)
        builder.trapIf(zero: false, outOfBounds, trap)
        let base: Value
        switch entity {
        case .memory(let memory):
            base = emitChain(&builder, try heap(&builder, memory).baseChain)
        case .table(let tableIndex, _):
            base = emitChain(&builder, try table(&builder, tableIndex).baseChain)
        case .data(let segment):
            if let runtime = try runtimeDataIndex(segment) {
                base = load(&builder, runtimeDataBase(runtime), from: vmctx)
            } else {
                base = builder.iconst(.i64, 1)
            }
        case .element(let segment):
            if let passive = try passiveElementIndex(segment) {
                let constant = builder.iconst(.i32, Int64(passive))
                base = callBuiltin(&builder, .passiveElemSegmentBase, [constant])[0]
            } else {
                base = builder.iconst(.i64, 1)
            }
        }
        let native = toNative(&builder, index)
        let offset: Value
        if case .data = entity {
            offset = native
        } else {
            offset = builder.binaryImmediate(Op.named("imul"), native, try elementSize(&builder, entity))
        }
        return builder.binary(Op.iadd, base, offset)
    }

    /// `memory.copy`, `memory.init`, `table.copy` and `table.init` (`translate_entity_copy`).
    mutating func entityCopy(_ builder: inout FunctionBuilder, destination: BulkEntity, source: BulkEntity,
                             destinationIndex: Value, sourceIndex: Value, length: Value) throws(TranslationFailure) {
        let destinationType = try indexType(destination)
        let sourceType = try indexType(source)
        let lengthType: CLIFType = destinationType == .i32 || sourceType == .i32 ? .i32 : .i64
        let sourceLength = sourceType == lengthType ? length : builder.convert(Op.uextend, .i64, length)
        let destinationLength = destinationType == lengthType ? length : builder.convert(Op.uextend, .i64, length)
        let destinationAddress = try entityBoundsCheck(&builder, destination, index: destinationIndex, length: destinationLength)
        let sourceAddress = try entityBoundsCheck(&builder, source, index: sourceIndex, length: sourceLength)
        let nativeLength = toNative(&builder, length)
        let count = constant(builder, length)
        switch destination {
        case .memory:
            rawCopy(&builder, destination: destinationAddress, source: sourceAddress, length: nativeLength, constantBytes: count,
                    destinationRegion: bulkRegion(destination), sourceRegion: bulkRegion(source))
        case .table:
            try tableCopy(&builder, destination: destination, source: source, destinationAddress: destinationAddress,
                          sourceAddress: sourceAddress, count: nativeLength, sourceIndex: sourceIndex, constantCount: count)
        case .data, .element:
            throw .invalid("a bulk copy into a segment")
        }
    }

    /// A byte copy: inline loads and stores for a small constant length, else `memory_copy`.
    mutating func rawCopy(_ builder: inout FunctionBuilder, destination: Value, source: Value, length: Value,
                          constantBytes: UInt64?, destinationRegion: AliasRegionKey, sourceRegion: AliasRegionKey) {
        if let bytes = constantBytes, bytes <= 128 {
            inlineCopy(&builder, destination: destination, source: source, bytes: bytes,
                       sourceRegion: sourceRegion, destinationRegion: destinationRegion)
            return
        }
        _ = callBuiltin(&builder, .memoryCopy, [destination, source, length])
    }

    /// Whether table elements must be copied one by one (`emit_raw_array_or_table_copy`).
    mutating func tableCopy(_ builder: inout FunctionBuilder, destination: BulkEntity, source: BulkEntity,
                            destinationAddress: Value, sourceAddress: Value, count: Value, sourceIndex: Value,
                            constantCount: UInt64?) throws(TranslationFailure) {
        guard case .table(let destinationTable, _) = destination else { return }
        let destinationAccess = try table(&builder, destinationTable)
        guard isFuncTable(destinationAccess) else { throw .notTranslated("copying into a table of GC references") }
        let forbidsMemcpy: Bool
        switch source {
        case .table: forbidsMemcpy = tunables.tableLazyInit
        default: forbidsMemcpy = true
        }
        let destinationSize = try elementSize(&builder, destination)
        let sourceSize = try elementSize(&builder, source)
        let destinationBytes = builder.binaryImmediate(Op.named("imul"), count, destinationSize)
        _ = builder.binaryImmediate(Op.named("imul"), count, sourceSize)
        if !forbidsMemcpy && destinationSize == sourceSize {
            let bytes = constantCount.flatMap { $0.multipliedReportingOverflow(by: UInt64(destinationSize)).overflow ? nil : $0 * UInt64(destinationSize) }
            rawCopy(&builder, destination: destinationAddress, source: sourceAddress, length: destinationBytes, constantBytes: bytes,
                    destinationRegion: bulkRegion(destination), sourceRegion: bulkRegion(source))
            return
        }
        try perElementCopy(&builder, destination: destination, source: source, destinationAddress: destinationAddress,
                           sourceAddress: sourceAddress, count: count, sourceIndex: sourceIndex)
    }

    /// The forwards-or-backwards element loop of `translate_per_element_copy`.
    mutating func perElementCopy(_ builder: inout FunctionBuilder, destination: BulkEntity, source: BulkEntity,
                                 destinationAddress: Value, sourceAddress: Value, count: Value,
                                 sourceIndex: Value) throws(TranslationFailure) {
        guard let current = builder.currentBlock else { return }
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
        let sourceIndexType = builder.type(of: sourceIndex)
        let destinationSize = try elementSize(&builder, destination)
        let sourceSize = try elementSize(&builder, source)
        let destinationBytes = builder.binaryImmediate(Op.named("imul"), count, destinationSize)
        let sourceBytes = builder.binaryImmediate(Op.named("imul"), count, sourceSize)
        let destinationEnd = builder.binary(Op.iadd, destinationAddress, destinationBytes)
        let sourceEnd = builder.binary(Op.iadd, sourceAddress, sourceBytes)
        let countAsIndex = sourceIndexType == .i64 ? count : builder.convert(Op.ireduce, sourceIndexType, count)
        let endIndex = builder.binary(Op.iadd, sourceIndex, countAsIndex)
        builder.brif(forwardFirst, forward, [destinationAddress, sourceAddress, sourceIndex],
                     backward, [destinationEnd, sourceEnd, endIndex])

        builder.switchToBlock(forward)
        var destinationCursor = builder.function.appendBlockParam(forward, .i64)
        var sourceCursor = builder.function.appendBlockParam(forward, .i64)
        var indexCursor = builder.function.appendBlockParam(forward, sourceIndexType)
        try copyElement(&builder, destination: destination, source: source, destinationAddress: destinationCursor,
                        sourceAddress: sourceCursor, sourceIndex: indexCursor)
        let destinationNext = builder.binaryImmediate(Op.iadd, destinationCursor, destinationSize)
        let sourceNext = builder.binaryImmediate(Op.iadd, sourceCursor, sourceSize)
        let indexNext = builder.binaryImmediate(Op.iadd, indexCursor, 1)
        let forwardDone = builder.icmp(.eq, sourceNext, sourceEnd)
        builder.brif(forwardDone, done, [], forward, [destinationNext, sourceNext, indexNext])

        builder.switchToBlock(backward)
        destinationCursor = builder.function.appendBlockParam(backward, .i64)
        sourceCursor = builder.function.appendBlockParam(backward, .i64)
        indexCursor = builder.function.appendBlockParam(backward, sourceIndexType)
        destinationCursor = builder.binary(Op.isub, destinationCursor, builder.iconst(.i64, destinationSize))
        sourceCursor = builder.binary(Op.isub, sourceCursor, builder.iconst(.i64, sourceSize))
        indexCursor = builder.binary(Op.isub, indexCursor, builder.iconst(sourceIndexType, 1))
        try copyElement(&builder, destination: destination, source: source, destinationAddress: destinationCursor,
                        sourceAddress: sourceCursor, sourceIndex: indexCursor)
        let backwardDone = builder.icmp(.eq, sourceCursor, sourceAddress)
        builder.brif(backwardDone, done, [], backward, [destinationCursor, sourceCursor, indexCursor])

        builder.switchToBlock(done)
        builder.sealBlock(nonEmpty)
        builder.sealBlock(forward)
        builder.sealBlock(backward)
        builder.sealBlock(done)
    }

    /// One element of a table copy: read it from the source table or segment, store it with the
    /// initialised bit into the destination table.
    mutating func copyElement(_ builder: inout FunctionBuilder, destination: BulkEntity, source: BulkEntity,
                              destinationAddress: Value, sourceAddress: Value, sourceIndex: Value) throws(TranslationFailure) {
        let value: Value
        switch source {
        case .table(let sourceTable, _):
            guard isFuncTable(try table(&builder, sourceTable)) else { throw .notTranslated("copying from a table of GC references") }
            value = try tableGetFuncRef(&builder, tableIndex: sourceTable, index: sourceIndex)
        case .element(let segment):
            guard case .table(let destinationTable, _) = destination, isFuncTable(try table(&builder, destinationTable)),
                  !isExpressionSegmentOfGCReferences(segment) else {
                throw .notTranslated("table.init of GC references")
            }
            var flags = MemFlags.trusted
            flags.littleEndian = true
            flags.region = builder.function.region(AliasRegionKey.elementSegment.data)
            value = builder.load(Op.load, .i64, flags, sourceAddress)
        default:
            throw .invalid("a table copy from memory")
        }
        guard case .table(let destinationTable, _) = destination else { return }
        storeTableElement(&builder, table: destinationTable, address: destinationAddress, value: value)
    }

    func isExpressionSegmentOfGCReferences(_ segment: UInt32) -> Bool {
        guard Int(segment) < info.module.elements.count,
              case .expressions(let type, _) = info.module.elements[Int(segment)].items else { return false }
        return referenceType(type) != .i64
    }

    /// Stores a funcref with the lazy-initialisation bit (`table_set_funcref`).
    mutating func storeTableElement(_ builder: inout FunctionBuilder, table tableIndex: UInt32, address: Value, value: Value) {
        var flags = MemFlags.trusted
        flags.region = builder.function.region(tableRegion(tableIndex).data)
        var stored = value
        if tunables.tableLazyInit {
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
            guard isFuncTable(try table(&builder, tableIndex)) else { throw .notTranslated("filling a table of GC references") }
            let size = try elementSize(&builder, entity)
            let bytes = builder.binaryImmediate(Op.named("imul"), nativeLength, size)
            if !tunables.tableLazyInit, let byte = memsetByte(builder, value) {
                let fillValue = builder.iconst(.i32, byte)
                _ = callBuiltin(&builder, .memoryFill, [address, fillValue, bytes])
                return
            }
            guard let current = builder.currentBlock else { return }
            let loop = builder.createBlock()
            let next = builder.createBlock()
            builder.ensureInsertedBlock()
            builder.insertBlock(loop, after: current)
            builder.insertBlock(next, after: loop)
            let end = builder.binary(Op.iadd, address, bytes)
            let empty = builder.icmp(.eq, nativeLength, builder.iconst(.i64, 0))
            builder.brif(empty, next, [], loop, [address])
            builder.switchToBlock(loop)
            let element = builder.function.appendBlockParam(loop, .i64)
            storeTableElement(&builder, table: tableIndex, address: element, value: value)
            let following = builder.binaryImmediate(Op.iadd, element, size)
            let finished = builder.icmp(.eq, following, end)
            builder.brif(finished, next, [], loop, [following])
            builder.switchToBlock(next)
            builder.sealBlock(loop)
            builder.sealBlock(next)
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
        guard referenceType(type.elementType) == .i64 else { throw .notTranslated("table.grow of a table of GC references") }
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
