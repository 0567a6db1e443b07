import CLIF
import Wasm

/// A table as one function sees it: how to load its base and its bound.
struct TableAccess: Sendable {
    var type: TableType
    var baseChain: [WasmtimeEnvironment.Field]
    /// The element count when the table cannot grow, otherwise the loads of `current_elements`.
    var staticBound: UInt64?
    var boundChain: [WasmtimeEnvironment.Field]

    var indexType: CLIFType { type.limits.is64 ? .i64 : .i32 }
}

/// Tables, `call_indirect`, `table.get`/`set`/`size` and references.
extension WasmtimeEnvironment {
    mutating func table(_ builder: inout FunctionBuilder, _ index: UInt32) throws(TranslationFailure) -> TableAccess {
        if let table = tables[index] { return table }
        guard Int(index) < info.tables.count else { throw .invalid("table \(index) out of range") }
        let type = info.tables[Int(index)]
        let isStatic = type.limits.max == type.limits.min
        var base = Field(region: .vm(.vmTableDefinition, offset: 0), offset: 0)
        if isStatic {
            base.readonly = true
            base.canMove = true
        }
        var length = Field(region: .vm(.vmTableDefinition, offset: 8), offset: 8)
        var table = TableAccess(type: type, baseChain: [], staticBound: isStatic ? type.limits.min : nil, boundChain: [])
        if Int(index) >= info.importedTableCount {
            let offset = offsets.definedTable(Int(index) - info.importedTableCount)
            base.offset += offset
            length.offset += offset
            registerRegions(&builder, isStatic ? [base] : [base, length])
            table.baseChain = [base]
            table.boundChain = [length]
        } else {
            let from = Field(region: .vm(.vmTableImport, offset: 0), offset: offsets.importedTable(Int(index)),
                             readonly: true, canMove: true)
            registerRegions(&builder, isStatic ? [from, base] : [from, base, length])
            table.baseChain = [from, base]
            table.boundChain = [from, length]
        }
        tables[index] = table
        return table
    }

    func tableRegion(_ index: UInt32) -> AliasRegionKey {
        if Int(index) < info.importedTableCount || info.exportedTables.contains(index) { return .publicTable }
        return .definedTable(index: index - UInt32(info.importedTableCount))
    }

    func isFuncTable(_ table: TableAccess) -> Bool { referenceType(table.type.elementType) == .i64 }

    /// The current size of a table in its index type.
    mutating func tableBound(_ builder: inout FunctionBuilder, _ table: TableAccess) -> Value {
        if let bound = table.staticBound { return builder.iconst(table.indexType, Int64(bitPattern: bound)) }
        let loaded = emitChain(&builder, table.boundChain)
        return table.indexType == .i64 ? loaded : builder.convert(Op.ireduce, table.indexType, loaded)
    }

    /// The address of a table element and the flags to access it (`prepare_table_addr`).
    mutating func tableElementAddress(_ builder: inout FunctionBuilder, _ table: TableAccess, tableIndex: UInt32,
                                      index: Value) -> (Value, MemFlags) {
        let spectre = tunables.signalsBasedTraps
        let bound = tableBound(&builder, table)
        let oob = builder.icmp(.uge, index, bound)
        if !spectre { builder.trapIf(zero: false, oob, WasmtimeTrap.tableOutOfBounds) }
        let index64 = builder.type(of: index) == .i64 ? index : builder.convert(Op.uextend, .i64, index)
        let base = emitChain(&builder, table.baseChain)
        let shift = builder.iconst(.i64, Int64(tableElementBytes(table.type.elementType).trailingZeroBitCount))
        let offset = builder.binary(Op.ishl, index64, shift)
        let address = builder.binary(Op.iadd, base, offset)
        var flags = MemFlags()
        flags.aligned = true
        flags.region = builder.function.region(tableRegion(tableIndex))
        if spectre {
            let zero = builder.iconst(.i64, 0)
            flags.trapCode = WasmtimeTrap.tableOutOfBounds
            return (builder.ins1(Op.selectSpectreGuard, nil, [oob, zero, address]), flags)
        }
        flags.trapCode = nil
        return (address, flags)
    }

    /// Loads a `funcref` from a table, initialising it lazily through the runtime when unset.
    mutating func tableGetFuncRef(_ builder: inout FunctionBuilder, tableIndex: UInt32, index: Value) throws(TranslationFailure) -> Value {
        let table = try table(&builder, tableIndex)
        builder.note(.tableAccess(table: tableIndex, spectreGuard: tunables.signalsBasedTraps, lazyInit: tunables.tableLazyInit))
        let (address, flags) = tableElementAddress(&builder, table, tableIndex: tableIndex, index: index)
        let value = builder.load(Op.load, .i64, flags, address)
        guard tunables.tableLazyInit else { return value }
        let mask = builder.iconst(.i64, -2)
        let masked = builder.binary(Op.band, value, mask)
        let nullBlock = builder.createBlock()
        let continuation = builder.createBlock()
        let result = builder.function.appendBlockParam(continuation, .i64)
        builder.setCold(nullBlock)
        builder.brif(value, continuation, [masked], nullBlock)
        builder.sealBlock(nullBlock)
        builder.switchToBlock(nullBlock)
        let tableConstant = builder.iconst(.i32, Int64(tableIndex))
        let lazyInit = builtin(&builder, .tableGetLazyInitFuncRef)
        let index64 = table.indexType == .i64 ? index : builder.convert(Op.uextend, .i64, index)
        let entry = builder.ins(Op.call, nil, [vmctx, tableConstant, index64], immediates: .functionRef(lazyInit))[0]
        builder.jump(continuation, [entry])
        builder.sealBlock(continuation)
        builder.switchToBlock(continuation)
        return result
    }

    /// The shared type id of a module type, loaded from the type-ids array.
    mutating func sharedTypeID(_ builder: inout FunctionBuilder, typeIndex: UInt32) -> Value {
        sharedTypeID(&builder, interned: info.internedTypeIndex(typeIndex))
    }

    /// The shared type id of an interned type (module types, trampoline and exception types).
    mutating func sharedTypeID(_ builder: inout FunctionBuilder, interned: UInt32) -> Value {
        let array = load(&builder, Field(region: .vm(.vmContext, offset: UInt32(VMOffsets.typeIDs)), offset: VMOffsets.typeIDs,
                                         readonly: true, canMove: true), from: vmctx)
        return load(&builder, Field(region: .vm(.typeIDsArray, offset: interned * 4), offset: Int32(interned * 4),
                                    type: .i32, readonly: true, canMove: true), from: array)
    }

    public mutating func callIndirect(_ builder: inout FunctionBuilder, table tableIndex: UInt32, type typeIndex: UInt32, callee: Value,
                                      arguments: [Value], tail: Bool) throws(TranslationFailure) -> [Value]? {
        let sig = try signatureRef(&builder, type: typeIndex)
        guard Int(tableIndex) < info.tables.count else { throw .invalid("table \(tableIndex) out of range") }
        let tableType = info.tables[Int(tableIndex)]
        var calleeTrap: TrapCode?
        var checkSignature = true
        switch tableType.elementType.heapType {
        case .abstract(.func, _):
            break
        case .concrete(let index), .exact(let index):
            if info.internedTypeIndex(index) == info.internedTypeIndex(typeIndex) {
                checkSignature = false
                calleeTrap = tableType.elementType.nullable ? WasmtimeTrap.indirectCallToNull : nil
            }
        default:
            throw .notTranslated("call_indirect through a table of \(tableType.elementType)")
        }
        guard tunables.signalsBasedTraps else { throw .notTranslated("call_indirect without signals-based traps") }
        let funcRef = try tableGetFuncRef(&builder, tableIndex: tableIndex, index: callee)
        if checkSignature {
            guard Int(typeIndex) < info.types.count else { throw .invalid("type \(typeIndex) out of range") }
            builder.note(.signatureCheck(type: typeIndex))
            let expected = sharedTypeID(&builder, typeIndex: typeIndex)
            var flags = MemFlags.trusted
            flags.readonly = true
            flags.trapCode = WasmtimeTrap.indirectCallToNull
            flags.region = builder.function.region(AliasRegionKey.vm(.vmFuncRef, offset: 16))
            let actual = builder.load(Op.load, .i32, flags, funcRef, 16)
            let matches = isSubtype(&builder, actual, expected, type: typeIndex)
            builder.trapIf(zero: true, matches, WasmtimeTrap.badSignature)
        }
        return callFuncRef(&builder, sig: sig, funcRef: funcRef, trap: calleeTrap, arguments: arguments, tail: tail)
    }

    /// Loads the code pointer and `VMContext` of a `VMFuncRef` and calls it.
    mutating func callFuncRef(_ builder: inout FunctionBuilder, sig: UInt32, funcRef: Value, trap: TrapCode?,
                              arguments: [Value], tail: Bool) -> [Value] {
        var codeFlags = MemFlags.trusted
        codeFlags.readonly = true
        if let trap { codeFlags.trapCode = trap }
        codeFlags.region = builder.function.region(AliasRegionKey.vm(.vmFuncRef, offset: 8))
        let code = builder.load(Op.load, .i64, codeFlags, funcRef, 8)
        var contextFlags = MemFlags.trusted
        contextFlags.readonly = true
        contextFlags.region = builder.function.region(AliasRegionKey.vm(.vmFuncRef, offset: 24))
        let calleeVMContext = builder.load(Op.load, .i64, contextFlags, funcRef, 24)
        let all = [code, calleeVMContext, vmctx] + arguments
        if tail {
            builder.ins(Op.returnCallIndirect, nil, all, immediates: .signatureRef(sig))
            return []
        }
        return wasmCall(&builder, indirect: true, function: nil, signature: sig, all)
    }

    mutating func tableSet(_ builder: inout FunctionBuilder, tableIndex: UInt32, index: Value, value: Value) throws(TranslationFailure) {
        let table = try table(&builder, tableIndex)
        let (address, flags) = tableElementAddress(&builder, table, tableIndex: tableIndex, index: index)
        if !isFuncTable(table) {
            builder.store(Op.store, flags, value, address)
            return
        }
        var stored = value
        if tunables.tableLazyInit {
            let bit = builder.iconst(.i64, 1)
            stored = builder.binary(Op.named("bor"), value, bit)
        }
        builder.store(Op.store, flags, stored, address)
    }

    mutating func tableSize(_ builder: inout FunctionBuilder, tableIndex: UInt32) throws(TranslationFailure) -> Value {
        let table = try table(&builder, tableIndex)
        return tableBound(&builder, table)
    }

    mutating func refFunc(_ builder: inout FunctionBuilder, function: UInt32) -> Value {
        let index = builder.iconst(.i32, Int64(function))
        let refFunc = builtin(&builder, .refFunc)
        return builder.ins(Op.call, nil, [vmctx, index], immediates: .functionRef(refFunc))[0]
    }
}
