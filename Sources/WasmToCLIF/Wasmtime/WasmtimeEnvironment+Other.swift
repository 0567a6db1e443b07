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
        func index() throws(TranslationFailure) -> UInt32 {
            guard case .index(let value) = instruction.immediates else { throw .invalid("missing index immediate") }
            return value
        }
        switch instruction.opcode {
        case .refNull:
            guard case .heapType(let heapType) = instruction.immediates else { throw .invalid("ref.null without a type") }
            let type = referenceType(RefType(nullable: true, heapType: heapType))
            guard type == .i64 || type == .i32 else { throw .notTranslated("ref.null of a continuation type") }
            stack.append(builder.iconst(type, 0))
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
            guard isFuncTable(table) else { throw .notTranslated("table.get of a GC reference table") }
            stack.append(try tableGetFuncRef(&builder, tableIndex: tableIndex, index: element))
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
            let length = try pop()
            let source = try pop()
            let destination = try pop()
            try memoryCopy(&builder, destinationMemory: destinationMemory, sourceMemory: sourceMemory,
                           destination: destination, source: source, length: length)
        case .memoryFill:
            let memory = try index()
            _ = try heap(&builder, memory)
            let length = try pop()
            let value = try pop()
            let destination = try pop()
            let heap = try heap(&builder, memory)
            let address = try memoryBoundsCheck(&builder, memory: memory, index: destination, length: length)
            let nativeLength = heap.is64 ? length : builder.convert(Op.uextend, .i64, length)
            let fill = builtin(&builder, .memoryFill)
            builder.ins(Op.call, nil, [vmctx, address, value, nativeLength], immediates: .functionRef(fill))
        default:
            throw .notTranslated(instruction.opcode.info.name)
        }
        return true
    }

    /// Checks `index + length` against a memory's current size and returns the native address of
    /// `index` (`translate_entity_bounds_check` for memories).
    mutating func memoryBoundsCheck(_ builder: inout FunctionBuilder, memory: UInt32, index: Value, length: Value) throws(TranslationFailure) -> Value {
        let heap = try heap(&builder, memory)
        if heap.memory.limits.shared { throw .notTranslated("bulk memory on a shared memory") }
        let size = emitChain(&builder, heap.boundChain)
        let end: Value
        if heap.is64 {
            end = builder.ins1(Op.uaddOverflowTrap, nil, [index, length], immediates: .trapCode(.heapOutOfBounds))
        } else {
            let index64 = builder.convert(Op.uextend, .i64, index)
            let length64 = builder.convert(Op.uextend, .i64, length)
            let one = builder.iconst(.i64, 1)
            let scaled = builder.binary(Op.named("imul"), length64, one)
            end = builder.binary(Op.iadd, index64, scaled)
        }
        let outOfBounds = builder.icmp(.ugt, end, size)
        builder.trapIf(zero: false, outOfBounds, .heapOutOfBounds)
        let base = emitChain(&builder, heap.baseChain)
        let native = heap.is64 ? index : builder.convert(Op.uextend, .i64, index)
        let one = builder.iconst(.i64, 1)
        let offset = builder.binary(Op.named("imul"), native, one)
        return builder.binary(Op.iadd, base, offset)
    }

    mutating func memoryCopy(_ builder: inout FunctionBuilder, destinationMemory: UInt32, sourceMemory: UInt32,
                             destination: Value, source: Value, length: Value) throws(TranslationFailure) {
        let destinationHeap = try heap(&builder, destinationMemory)
        let sourceHeap = try heap(&builder, sourceMemory)
        let lengthIs64 = destinationHeap.is64 && sourceHeap.is64
        let destinationLength = destinationHeap.is64 && !lengthIs64 ? builder.convert(Op.uextend, .i64, length) : length
        let sourceLength = sourceHeap.is64 && !lengthIs64 ? builder.convert(Op.uextend, .i64, length) : length
        let destinationAddress = try memoryBoundsCheck(&builder, memory: destinationMemory, index: destination, length: destinationLength)
        let sourceAddress = try memoryBoundsCheck(&builder, memory: sourceMemory, index: source, length: sourceLength)
        let nativeLength = lengthIs64 ? length : builder.convert(Op.uextend, .i64, length)
        if let bytes = constant(builder, length), bytes <= 128 {
            inlineCopy(&builder, destination: destinationAddress, source: sourceAddress, bytes: bytes,
                       sourceRegion: memoryRegion(sourceMemory), destinationRegion: memoryRegion(destinationMemory))
            return
        }
        let copy = builtin(&builder, .memoryCopy)
        builder.ins(Op.call, nil, [vmctx, destinationAddress, sourceAddress, nativeLength], immediates: .functionRef(copy))
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
