import CLIF
import Wasm

/// The operators beyond plain memory, globals and calls: references, tables and bulk memory.
extension WasmtimeEnvironment {
    public mutating func translateOther(_ builder: inout FunctionBuilder, _ instruction: Wasm.Instruction,
                                        stack: inout [Value]) throws(TranslationFailure) -> Bool {
        func pop() throws(TranslationFailure) -> Value {
            guard let value = stack.popLast() else { throw .invalid("operand stack underflow") }
            return value
        }
        func pop3() throws(TranslationFailure) -> (Value, Value, Value) {
            let third = try pop()
            let second = try pop()
            return (try pop(), second, third)
        }
        func index() throws(TranslationFailure) -> UInt32 {
            guard case .index(let value) = instruction.immediates else { throw .invalid("missing index immediate") }
            return value
        }
        switch instruction.opcode {
        case .refNull:
            guard case .heapType(let heapType) = instruction.immediates else { throw .invalid("ref.null without a type") }
            let type = referenceType(RefType(nullable: true, heapType: heapType))
            stack.append(type == .i128 ? try continuationNull(&builder) : builder.iconst(type, 0))
        case .callRef, .returnCallRef:
            let typeIndex = try index()
            guard let type = info.functionType(typeIndex) else { throw .invalid("type \(typeIndex) is not a function type") }
            let sig = try signatureRef(&builder, type: typeIndex)
            let callee = try pop()
            guard type.parameters.count <= stack.count else { throw .invalid("operand stack underflow") }
            var arguments = Array(stack.suffix(type.parameters.count))
            for (position, parameter) in type.parameters.enumerated() where clifType(parameter).isVector
                && builder.type(of: arguments[position]) != clifType(parameter) {
                var flags = MemFlags()
                flags.littleEndian = true
                arguments[position] = builder.ins1(Op.bitcast, clifType(parameter), [arguments[position]],
                                                   immediates: .memory(flags, offset: 0))
            }
            let tail = instruction.opcode == .returnCallRef
            let results = callFuncRef(&builder, sig: sig, funcRef: callee, trap: WasmtimeTrap.nullReference,
                                      arguments: arguments, tail: tail)
            stack.removeLast(type.parameters.count)
            if tail { return false }
            for (result, resultType) in zip(results, type.results) {
                if case .ref(let ref) = resultType, needsStackMap(ref, parameter: true) { builder.declareValueNeedsStackMap(result) }
            }
            stack.append(contentsOf: results)
        case .elemDrop:
            let segment = try index()
            guard Int(segment) < info.module.elements.count else { throw .invalid("element segment \(segment) out of range") }
            guard case .passive = info.module.elements[Int(segment)].mode else { break }
            let passiveIndex = info.module.elements[..<Int(segment)].filter { if case .passive = $0.mode { true } else { false } }.count
            let drop = builtin(&builder, .passiveElemSegmentDrop)
            let constant = builder.iconst(.i32, Int64(passiveIndex))
            builder.ins(Op.call, nil, [vmctx, constant], immediates: .functionRef(drop))
        case .refFunc:
            stack.append(refFunc(&builder, function: try index()))
        case .tableGet:
            let tableIndex = try index()
            let element = try pop()
            let table = try table(&builder, tableIndex)
            if isFuncTable(table) {
                stack.append(try tableGetFuncRef(&builder, tableIndex: tableIndex, index: element))
            } else {
                if isGCReference(table.type.elementType) {
                    stack.append(try tableGetGCReference(&builder, tableIndex: tableIndex, index: element))
                } else {
                    stack.append(tableGetContinuation(&builder, table, tableIndex: tableIndex, index: element))
                }
            }
        case .tableSet:
            let tableIndex = try index()
            let value = try pop()
            let element = try pop()
            try tableSet(&builder, tableIndex: tableIndex, index: element, value: value)
        case .tableSize:
            stack.append(try tableSize(&builder, tableIndex: try index()))
        case .memoryCopy:
            guard case .indexPair(let destinationMemory, let sourceMemory) = instruction.immediates else {
                throw .invalid("memory.copy immediates")
            }
            _ = try heap(&builder, sourceMemory)
            _ = try heap(&builder, destinationMemory)
            let (destination, source, length) = try pop3()
            try entityCopy(&builder, destination: .memory(destinationMemory), source: .memory(sourceMemory),
                           destinationIndex: destination, sourceIndex: source, length: length)
        case .memoryFill:
            let memory = try index()
            _ = try heap(&builder, memory)
            let (destination, value, length) = try pop3()
            try entityFill(&builder, .memory(memory), destination: destination, value: value, length: length)
        case .memoryInit:
            guard case .indexPair(let segment, let memory) = instruction.immediates else { throw .invalid("memory.init immediates") }
            _ = try heap(&builder, memory)
            let (destination, source, length) = try pop3()
            try entityCopy(&builder, destination: .memory(memory), source: .data(segment),
                           destinationIndex: destination, sourceIndex: source, length: length)
        case .dataDrop:
            try dataDrop(&builder, segment: try index())
        case .tableCopy:
            guard case .indexPair(let destinationTable, let sourceTable) = instruction.immediates else {
                throw .invalid("table.copy immediates")
            }
            let (destination, source, length) = try pop3()
            try entityCopy(&builder, destination: .table(destinationTable, initialized: true), source: .table(sourceTable, initialized: true),
                           destinationIndex: destination, sourceIndex: source, length: length)
        case .tableInit:
            guard case .indexPair(let segment, let tableIndex) = instruction.immediates else { throw .invalid("table.init immediates") }
            let (destination, source, length) = try pop3()
            try entityCopy(&builder, destination: .table(tableIndex, initialized: true), source: .element(segment),
                           destinationIndex: destination, sourceIndex: source, length: length)
        case .tableFill:
            let tableIndex = try index()
            let (destination, value, length) = try pop3()
            try entityFill(&builder, .table(tableIndex, initialized: true), destination: destination, value: value, length: length)
        case .tableGrow:
            let tableIndex = try index()
            let delta = try pop()
            let initial = try pop()
            stack.append(try tableGrow(&builder, tableIndex: tableIndex, delta: delta, initial: initial))
        default:
            if try translateReferenceOperator(&builder, instruction.opcode, stack: &stack) { break }
            if try translateStructOperator(&builder, instruction, stack: &stack) { break }
            if try translateArrayOperator(&builder, instruction, stack: &stack) { break }
            throw .notTranslated(instruction.opcode.info.name)
        }
        return true
    }

    /// A small constant copy as loads of the widest chunks, then stores (`emit_inline_memcpy`).
    mutating func inlineCopy(_ builder: inout FunctionBuilder, destination: Value, source: Value, bytes: UInt64,
                             sourceRegion: AliasRegionKey, destinationRegion: AliasRegionKey) {
        var loadFlags = MemFlags.trusted
        loadFlags.littleEndian = true
        loadFlags.region = builder.function.region(sourceRegion)
        var storeFlags = MemFlags.trusted
        storeFlags.littleEndian = true
        storeFlags.region = builder.function.region(destinationRegion)
        var chunks: [(Int32, CLIFType)] = []
        var offset: UInt64 = 0
        var remaining = bytes
        for (width, type) in [(UInt64(16), CLIFType.i8x16), (8, .i64), (4, .i32), (2, .i16), (1, .i8)] {
            while remaining >= width {
                chunks.append((Int32(offset), type))
                offset += width
                remaining -= width
            }
        }
        let values = chunks.map { builder.load(Op.load, $0.1, loadFlags, source, $0.0) }
        for (chunk, value) in zip(chunks, values) {
            builder.store(Op.store, storeFlags, value, destination, chunk.0)
        }
    }
}
