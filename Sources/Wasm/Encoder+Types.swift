extension ByteWriter {
    public mutating func valueType(_ type: ValueType) {
        switch type {
        case .i32: byte(0x7f)
        case .i64: byte(0x7e)
        case .f32: byte(0x7d)
        case .f64: byte(0x7c)
        case .v128: byte(0x7b)
        case .ref(let ref): refType(ref)
        }
    }

    /// Nullable abstract references use their one-byte shorthand, as wasm-tools writes them.
    public mutating func refType(_ type: RefType) {
        if type.nullable, case .abstract = type.heapType {
            heapType(type.heapType)
            return
        }
        byte(type.nullable ? 0x63 : 0x64)
        heapType(type.heapType)
    }

    public mutating func heapType(_ type: HeapType) {
        switch type {
        case .abstract(let kind, let shared):
            if shared { byte(0x65) }
            byte(kind.rawValue)
        case .concrete(let index):
            signed(Int64(index))
        case .exact(let index):
            byte(0x62)
            unsigned(index)
        }
    }

    public mutating func blockType(_ type: BlockType) {
        switch type {
        case .empty: byte(0x40)
        case .value(let value): valueType(value)
        case .type(let index): signed(Int64(index))
        }
    }

    public mutating func storageType(_ type: StorageType) {
        switch type {
        case .i8: byte(0x78)
        case .i16: byte(0x77)
        case .value(let value): valueType(value)
        }
    }

    public mutating func fieldType(_ field: FieldType) {
        storageType(field.storage)
        byte(field.mutable ? 1 : 0)
    }

    public mutating func subType(_ type: SubType) {
        if type.supertype != nil || !type.isFinal {
            byte(type.isFinal ? 0x4f : 0x50)
            if let supertype = type.supertype {
                unsigned(1)
                unsigned(supertype)
            } else {
                unsigned(0)
            }
        }
        let composite = type.composite
        if composite.shared { byte(0x65) }
        if let describes = composite.describes {
            byte(0x4c)
            unsigned(describes)
        }
        if let descriptor = composite.descriptor {
            byte(0x4d)
            unsigned(descriptor)
        }
        switch composite.kind {
        case .function(let function):
            byte(0x60)
            unsigned(function.parameters.count)
            for parameter in function.parameters { valueType(parameter) }
            unsigned(function.results.count)
            for result in function.results { valueType(result) }
        case .struct(let fields):
            byte(0x5f)
            unsigned(fields.count)
            for field in fields { fieldType(field) }
        case .array(let field):
            byte(0x5e)
            fieldType(field)
        case .continuation(let index):
            byte(0x5d)
            signed(Int64(index))
        }
    }

    public mutating func limits(_ limits: Limits, tableFlags: Bool) {
        var flags: UInt8 = 0
        if limits.max != nil { flags |= 0b0001 }
        if limits.shared { flags |= 0b0010 }
        if limits.is64 { flags |= 0b0100 }
        if !tableFlags, limits.pageSizeLog2 != nil { flags |= 0b1000 }
        byte(flags)
        unsigned64(limits.min)
        if let max = limits.max { unsigned64(max) }
        if !tableFlags, let pageSize = limits.pageSizeLog2 { unsigned(pageSize) }
    }

    public mutating func tableType(_ type: TableType) {
        refType(type.elementType)
        limits(type.limits, tableFlags: true)
    }

    public mutating func memoryType(_ type: MemoryType) {
        limits(type.limits, tableFlags: false)
    }

    public mutating func globalType(_ type: GlobalType) {
        valueType(type.valueType)
        var flags: UInt8 = type.mutable ? 1 : 0
        if type.shared { flags |= 2 }
        byte(flags)
    }

    public mutating func tagType(_ type: TagType) {
        byte(0x00)
        unsigned(type.typeIndex)
    }
}
