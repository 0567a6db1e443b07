/// A decoded module and the byte offset of every item read.
public struct DecodedModule: Sendable {
    public var module: Module
    public var offsets: OffsetMap

    /// A module with the offsets of its encoding (what the decoder would read back from it).
    public init(module: Module, offsets: OffsetMap) {
        self.module = module
        self.offsets = offsets
    }
}

extension Module {
    /// Decodes a binary module; malformed input throws a `DecodeError` with the offending offset.
    public static func decode(_ bytes: [UInt8]) throws(DecodeError) -> DecodedModule {
        var result: Result<DecodedModule, DecodeError> = .failure(DecodeError("empty", at: 0))
        bytes.withUnsafeBufferPointer { buffer in
            var decoder = ModuleDecoder(reader: ByteReader(buffer))
            do throws(DecodeError) {
                result = .success(try decoder.run())
            } catch {
                result = .failure(error)
            }
        }
        return try result.get()
    }
}

/// Reads the sections of one module in order, checking the order and sizes the format requires.
struct ModuleDecoder {
    var reader: ByteReader
    var module = Module()
    var map = OffsetMap()
    var functionTypes: [UInt32] = []
    var dataCount: UInt32?
    var lastSection: SectionID?
    var sawCode = false
    var usesDataIndices = false
    var scratch = BodyScratch()

    init(reader: ByteReader) {
        self.reader = reader
    }

    mutating func run() throws(DecodeError) -> DecodedModule {
        let header: [UInt8] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]
        for index in 0..<8 {
            guard index < reader.limit else { throw DecodeError("unexpected end", at: reader.limit) }
            if reader.base[index] != header[index] {
                throw DecodeError(index < 4 ? "magic header not detected" : "unknown binary version", at: index < 4 ? 0 : 4)
            }
        }
        reader.position = 8
        while reader.position < reader.base.count {
            try section()
        }
        if !module.functions.isEmpty || !functionTypes.isEmpty, !sawCode {
            throw DecodeError("function and code section have inconsistent lengths", at: reader.position)
        }
        if let dataCount, dataCount != UInt32(module.data.count) {
            throw DecodeError("data count and data section have inconsistent lengths", at: reader.position)
        }
        if dataCount != nil { module.writesDataCount = true } else if usesDataIndices {
            module.writesDataCount = false
        } else {
            module.writesDataCount = nil
        }
        return DecodedModule(module: module, offsets: map)
    }

    mutating func section() throws(DecodeError) {
        let sectionStart = reader.position
        let idByte = try reader.byte()
        guard let id = SectionID(rawValue: idByte) else { throw DecodeError("malformed section id", at: sectionStart) }
        let sizeStart = reader.position
        let size = Int(try reader.u32())
        guard size <= reader.base.count - reader.position else {
            throw DecodeError("length out of bounds", at: sizeStart)
        }
        let end = reader.position + size
        reader.limit = end
        if id != .custom {
            if let lastSection, lastSection >= id {
                throw DecodeError("unexpected content after last section", at: sectionStart)
            }
            lastSection = id
            map.record(.section(id), at: sectionStart)
        }
        switch id {
        case .custom: try customSection(start: sectionStart)
        case .type: try typeSection()
        case .import: try importSection()
        case .function: try functionSection()
        case .table: try tableSection()
        case .memory: try memorySection()
        case .tag: try tagSection()
        case .global: try globalSection()
        case .export: try exportSection()
        case .start:
            map.record(.start, at: reader.position)
            module.start = try reader.u32()
        case .element: try elementSection()
        case .dataCount:
            map.record(.dataCount, at: reader.position)
            dataCount = try reader.u32()
        case .code: try codeSection()
        case .data: try dataSection()
        }
        guard reader.position == end else { throw DecodeError("section size mismatch", at: reader.position) }
        reader.limit = reader.base.count
    }

    var customPlacement: CustomSection.Placement {
        switch lastSection {
        case nil: .beforeFirst
        case .dataCount: .before(.code)
        case let id?: .after(id)
        }
    }

    mutating func customSection(start: Int) throws(DecodeError) {
        let name = try reader.name()
        let payloadStart = reader.position
        let payload = try reader.bytes(reader.limit - reader.position)
        if name == "name", module.names.isEmpty, module.names.customSectionIndex == nil,
            let names = NameSectionDecoder.decode(reader.base, from: payloadStart, to: reader.limit)
        {
            module.names = names
            module.names.customSectionIndex = module.customSections.count
            module.names.placement = customPlacement
            map.record(.nameSection, at: start)
            return
        }
        map.record(.customSection(module.customSections.count), at: start)
        module.customSections.append(CustomSection(name: name, payload: payload, placement: customPlacement))
    }

    mutating func typeSection() throws(DecodeError) {
        let count = try reader.count()
        var typeIndex = 0
        for groupIndex in 0..<count {
            map.record(.recGroup(groupIndex), at: reader.position)
            if try reader.peek() == 0x4e {
                reader.position += 1
                let members = try reader.count()
                var types: [SubType] = []
                for _ in 0..<members {
                    map.record(.type(typeIndex), at: reader.position)
                    types.append(try reader.subType())
                    typeIndex += 1
                }
                module.types.append(RecGroup(types: types, isExplicit: true))
            } else {
                map.record(.type(typeIndex), at: reader.position)
                module.types.append(RecGroup(try reader.subType()))
                typeIndex += 1
            }
        }
    }

    mutating func importSection() throws(DecodeError) {
        let count = try reader.count()
        for index in 0..<count {
            map.record(.import(index), at: reader.position)
            let moduleName = try reader.name()
            let name = try reader.name()
            let kindStart = reader.position
            let kind: ImportKind
            switch try reader.byte() {
            case 0x00: kind = .function(try reader.u32())
            case 0x01: kind = .table(try reader.tableType())
            case 0x02: kind = .memory(MemoryType(limits: try reader.limits(isTable: false)))
            case 0x03: kind = .global(try reader.globalType())
            case 0x04: kind = .tag(try reader.tagType())
            case 0x20: kind = .exactFunction(try reader.u32())
            default: throw DecodeError("malformed import kind", at: kindStart)
            }
            module.imports.append(Import(module: moduleName, name: name, kind: kind))
        }
    }

    mutating func functionSection() throws(DecodeError) {
        let count = try reader.count()
        functionTypes.reserveCapacity(count)
        for index in 0..<count {
            map.record(.functionDeclaration(index), at: reader.position)
            functionTypes.append(try reader.u32())
        }
    }

    mutating func tableSection() throws(DecodeError) {
        let count = try reader.count()
        for index in 0..<count {
            map.record(.table(index), at: reader.position)
            if try reader.peek() == 0x40 {
                reader.position += 1
                let flagStart = reader.position
                guard try reader.byte() == 0 else { throw DecodeError("malformed table", at: flagStart) }
                let type = try reader.tableType()
                module.tables.append(Table(type: type, initializer: try reader.constExpr()))
            } else {
                module.tables.append(Table(type: try reader.tableType()))
            }
        }
    }

    mutating func memorySection() throws(DecodeError) {
        let count = try reader.count()
        for index in 0..<count {
            map.record(.memory(index), at: reader.position)
            module.memories.append(MemoryType(limits: try reader.limits(isTable: false)))
        }
    }

    mutating func tagSection() throws(DecodeError) {
        let count = try reader.count()
        for index in 0..<count {
            map.record(.tag(index), at: reader.position)
            module.tags.append(try reader.tagType())
        }
    }

    mutating func globalSection() throws(DecodeError) {
        let count = try reader.count()
        for index in 0..<count {
            map.record(.global(index), at: reader.position)
            let type = try reader.globalType()
            module.globals.append(Global(type: type, initializer: try reader.constExpr()))
        }
    }

    mutating func exportSection() throws(DecodeError) {
        let count = try reader.count()
        for index in 0..<count {
            map.record(.export(index), at: reader.position)
            let name = try reader.name()
            let kindStart = reader.position
            guard let kind = ExternalKind(rawValue: try reader.byte()) else {
                throw DecodeError("malformed export kind", at: kindStart)
            }
            module.exports.append(Export(name: name, kind: kind, index: try reader.u32()))
        }
    }

    mutating func elementSection() throws(DecodeError) {
        let count = try reader.count()
        for index in 0..<count {
            map.record(.element(index), at: reader.position)
            let flagsStart = reader.position
            let flags = try reader.u32()
            guard flags <= 7 else { throw DecodeError("malformed elements segment kind", at: flagsStart) }
            let mode: ElementSegment.Mode
            if flags & 1 == 0 {
                let table: UInt32? = flags & 2 != 0 ? try reader.u32() : nil
                mode = .active(table: table, offset: try reader.constExpr())
            } else {
                mode = flags & 2 != 0 ? .declarative : .passive
            }
            let writesType = flags & 0b11 != 0
            if flags & 0b100 == 0 {
                if writesType {
                    let kindStart = reader.position
                    guard try reader.byte() == 0 else { throw DecodeError("malformed element kind", at: kindStart) }
                }
                let itemCount = try reader.count()
                var indices: [UInt32] = []
                indices.reserveCapacity(itemCount)
                for _ in 0..<itemCount { indices.append(try reader.u32()) }
                module.elements.append(ElementSegment(mode: mode, items: .functions(indices)))
            } else {
                let type = writesType ? try reader.refType() : .funcref
                let itemCount = try reader.count()
                var expressions: [ConstExpr] = []
                for _ in 0..<itemCount { expressions.append(try reader.constExpr()) }
                module.elements.append(ElementSegment(mode: mode, items: .expressions(type, expressions)))
            }
        }
    }

    mutating func codeSection() throws(DecodeError) {
        sawCode = true
        let countStart = reader.position
        let count = try reader.count()
        guard count == functionTypes.count else {
            throw DecodeError("function and code section have inconsistent lengths", at: countStart)
        }
        module.functions.reserveCapacity(count)
        for index in 0..<count {
            map.record(.functionBody(index), at: reader.position)
            let size = Int(try reader.u32())
            guard size <= reader.limit - reader.position else {
                throw DecodeError("unexpected end of section or function", at: reader.position)
            }
            let bodyEnd = reader.position + size
            let sectionLimit = reader.limit
            reader.limit = bodyEnd
            let groupCountStart = reader.position
            let groupCount = try reader.count()
            var locals: [LocalGroup] = []
            locals.reserveCapacity(groupCount)
            var total: UInt64 = 0
            for groupIndex in 0..<groupCount {
                map.record(.localGroup(function: index, index: groupIndex), at: reader.position)
                let localCount = try reader.u32()
                total += UInt64(localCount)
                guard total <= UInt64(UInt32.max) else { throw DecodeError("too many locals", at: groupCountStart) }
                locals.append(LocalGroup(count: localCount, type: try reader.valueType()))
            }
            reader.sawDataIndex = false
            let room = reader.limit - reader.position
            scratch.ensure(capacity: room)
            var count = 0
            do throws(DecodeError) {
                try reader.body(into: scratch.instructions, offsets: scratch.offsets, count: &count)
            } catch {
                scratch.instructions.deinitialize(count: count)
                throw error
            }
            let body = [Instruction](unsafeUninitializedCapacity: count) { buffer, initialized in
                buffer.baseAddress!.moveInitialize(from: scratch.instructions, count: count)
                initialized = count
            }
            let offsets = Array(UnsafeBufferPointer(start: scratch.offsets, count: count))
            guard reader.position == bodyEnd else { throw DecodeError("section size mismatch", at: reader.position) }
            if reader.sawDataIndex {
                usesDataIndices = true
                if dataCount == nil, body.contains(where: { $0.opcode == .memoryInit || $0.opcode == .dataDrop }) {
                    throw DecodeError("data count section required", at: offsets[0])
                }
            }
            map.setInstructionOffsets(function: index, offsets)
            module.functions.append(Function(typeIndex: functionTypes[index], locals: locals, body: body))
            reader.limit = sectionLimit
        }
    }

    mutating func dataSection() throws(DecodeError) {
        let countStart = reader.position
        let count = try reader.count()
        if let dataCount, dataCount != UInt32(count) {
            throw DecodeError("data count and data section have inconsistent lengths", at: countStart)
        }
        for index in 0..<count {
            map.record(.data(index), at: reader.position)
            let flagsStart = reader.position
            let mode: DataSegment.Mode
            switch try reader.u32() {
            case 0: mode = .active(memory: 0, offset: try reader.constExpr())
            case 1: mode = .passive
            case 2:
                let memory = try reader.u32()
                mode = .active(memory: memory, offset: try reader.constExpr())
            default: throw DecodeError("malformed data segment kind", at: flagsStart)
            }
            let length = try reader.count()
            module.data.append(DataSegment(mode: mode, bytes: try reader.bytes(length)))
        }
    }
}
