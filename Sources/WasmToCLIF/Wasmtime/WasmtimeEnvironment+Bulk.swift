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
        case .table(let index, _): return tableElementBytes(try table(&builder, index).type.elementType)
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
            size = heap.memory.limits.shared ? sharedMemoryLength(&builder, heap) : emitChain(&builder, heap.boundChain)
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
        let destinationType = info.tables[Int(destinationTable)].elementType
        let forbidsMemcpy: Bool
        if referenceType(destinationType) == .i128 {
            forbidsMemcpy = false
        } else if isGCReference(destinationType) {
            if case .abstract(.i31, _) = destinationType.heapType { forbidsMemcpy = false } else { forbidsMemcpy = true }
        } else if case .table = source {
            forbidsMemcpy = tunables.tableLazyInit
        } else {
            forbidsMemcpy = true
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
}
