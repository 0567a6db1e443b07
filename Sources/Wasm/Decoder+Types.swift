extension ByteReader {
    static let abstractHeapTypes: [AbstractHeapType?] = {
        var table = [AbstractHeapType?](repeating: nil, count: 256)
        for kind in AbstractHeapType.allCases { table[Int(kind.rawValue)] = kind }
        return table
    }()

    mutating func valueType() throws(DecodeError) -> ValueType {
        let start = position
        let code = try byte()
        switch code {
        case 0x7f: return .i32
        case 0x7e: return .i64
        case 0x7d: return .f32
        case 0x7c: return .f64
        case 0x7b: return .v128
        case 0x63: return .ref(RefType(nullable: true, heapType: try heapType()))
        case 0x64: return .ref(RefType(nullable: false, heapType: try heapType()))
        case 0x65:
            position = start
            return .ref(RefType(nullable: true, heapType: try heapType()))
        default:
            if let kind = Self.abstractHeapTypes[Int(code)] {
                return .ref(RefType(nullable: true, heapType: .abstract(kind)))
            }
            throw error("malformed value type", at: start)
        }
    }

    mutating func refType() throws(DecodeError) -> RefType {
        let start = position
        guard case .ref(let type) = try valueType() else { throw error("malformed reference type", at: start) }
        return type
    }

    mutating func heapType() throws(DecodeError) -> HeapType {
        let start = position
        let code = try peek()
        if let kind = Self.abstractHeapTypes[Int(code)] {
            position += 1
            return .abstract(kind)
        }
        if code == 0x65 {
            position += 1
            let inner = try byte()
            guard let kind = Self.abstractHeapTypes[Int(inner)] else { throw error("malformed heap type", at: start) }
            return .abstract(kind, shared: true)
        }
        if code == 0x62 {
            position += 1
            return .exact(try u32())
        }
        let value = try signed(bits: 33)
        guard value >= 0, value <= Int64(UInt32.max) else { throw error("malformed heap type", at: start) }
        return .concrete(UInt32(value))
    }

    mutating func blockType() throws(DecodeError) -> BlockType {
        let start = position
        let code = try peek()
        if code == 0x40 {
            position += 1
            return .empty
        }
        if code >= 0x40 && code < 0x80 || code == 0x63 || code == 0x64 {
            return .value(try valueType())
        }
        let value = try signed(bits: 33)
        guard value >= 0, value <= Int64(UInt32.max) else { throw error("malformed block type", at: start) }
        return .type(UInt32(value))
    }

    mutating func storageType() throws(DecodeError) -> StorageType {
        switch try peek() {
        case 0x78:
            position += 1
            return .i8
        case 0x77:
            position += 1
            return .i16
        default:
            do throws(DecodeError) {
                return .value(try valueType())
            } catch {
                throw error.message == "malformed value type" ? DecodeError("malformed storage type", at: error.offset) : error
            }
        }
    }

    mutating func fieldType() throws(DecodeError) -> FieldType {
        let storage = try storageType()
        let start = position
        let flag = try byte()
        guard flag <= 1 else { throw error("malformed mutability", at: start) }
        return FieldType(storage: storage, mutable: flag == 1)
    }

    mutating func subType() throws(DecodeError) -> SubType {
        var isFinal = true
        var supertype: UInt32?
        let code = try peek()
        if code == 0x50 || code == 0x4f {
            position += 1
            isFinal = code == 0x4f
            let countStart = position
            let count = try self.count()
            guard count <= 1 else { throw error("multiple supertypes", at: countStart) }
            if count == 1 { supertype = try u32() }
        }
        var composite = CompositeType(.function(FunctionType()))
        if try peek() == 0x65 {
            position += 1
            composite.shared = true
        }
        if try peek() == 0x4c {
            position += 1
            composite.describes = try u32()
        }
        if try peek() == 0x4d {
            position += 1
            composite.descriptor = try u32()
        }
        let start = position
        switch try byte() {
        case 0x60:
            let parameterCount = try count()
            var parameters: [ValueType] = []
            parameters.reserveCapacity(parameterCount)
            for _ in 0..<parameterCount { parameters.append(try valueType()) }
            let resultCount = try count()
            var results: [ValueType] = []
            results.reserveCapacity(resultCount)
            for _ in 0..<resultCount { results.append(try valueType()) }
            composite.kind = .function(FunctionType(parameters: parameters, results: results))
        case 0x5f:
            let fieldCount = try count()
            var fields: [FieldType] = []
            for _ in 0..<fieldCount { fields.append(try fieldType()) }
            composite.kind = .struct(fields)
        case 0x5e:
            composite.kind = .array(try fieldType())
        case 0x5d:
            let value = try signed(bits: 33)
            guard value >= 0 else { throw error("malformed continuation type", at: start + 1) }
            composite.kind = .continuation(UInt32(truncatingIfNeeded: value))
        default:
            throw error("malformed definition type", at: start)
        }
        return SubType(isFinal: isFinal, supertype: supertype, composite: composite)
    }

    mutating func limits(isTable: Bool) throws(DecodeError) -> Limits {
        let start = position
        let flags = try byte()
        guard flags & (isTable ? 0xf8 : 0xf0) == 0 else { throw error("malformed limits flags", at: start) }
        let is64 = flags & 0b100 != 0
        let min = try u64()
        var max: UInt64?
        if flags & 1 != 0 { max = try u64() }
        var pageSizeLog2: UInt32?
        if flags & 0b1000 != 0 {
            let pageStart = position
            let log2 = try u32()
            guard log2 < 64 else { throw error("invalid custom page size", at: pageStart) }
            pageSizeLog2 = log2
        }
        return Limits(min: min, max: max, is64: is64, shared: flags & 0b10 != 0, pageSizeLog2: pageSizeLog2)
    }

    mutating func tableType() throws(DecodeError) -> TableType {
        let element = try refType()
        return TableType(elementType: element, limits: try limits(isTable: true))
    }

    mutating func globalType() throws(DecodeError) -> GlobalType {
        let type = try valueType()
        let start = position
        let flags = try byte()
        guard flags <= 3 else { throw error("malformed mutability", at: start) }
        return GlobalType(valueType: type, mutable: flags & 1 != 0, shared: flags & 2 != 0)
    }

    mutating func tagType() throws(DecodeError) -> TagType {
        let start = position
        guard try byte() == 0 else { throw error("malformed tag attribute", at: start) }
        return TagType(typeIndex: try u32())
    }
}
