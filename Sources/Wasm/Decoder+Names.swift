/// Reads the `name` custom section. Returns nil (the section is then kept as a plain custom section)
/// when it has unknown or out-of-order subsections, is malformed, or would not re-encode to the same bytes.
enum NameSectionDecoder {
    static func decode(_ base: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> NameSection? {
        var reader = ByteReader(base)
        reader.position = start
        reader.limit = end
        var names = NameSection()
        var lastID = -1
        do throws(DecodeError) {
            while !reader.atEnd {
                let id = Int(try reader.byte())
                guard id > lastID, id <= 12 else { return nil }
                lastID = id
                let size = Int(try reader.u32())
                guard size <= reader.limit - reader.position else { return nil }
                let subsectionEnd = reader.position + size
                let outerLimit = reader.limit
                reader.limit = subsectionEnd
                switch id {
                case 0: names.module = try reader.name()
                case 1: names.functions = try nameMap(&reader)
                case 2: names.locals = try indirectNameMap(&reader)
                case 3: names.labels = try indirectNameMap(&reader)
                case 4: names.types = try nameMap(&reader)
                case 5: names.tables = try nameMap(&reader)
                case 6: names.memories = try nameMap(&reader)
                case 7: names.globals = try nameMap(&reader)
                case 8: names.elements = try nameMap(&reader)
                case 9: names.data = try nameMap(&reader)
                case 10: names.fields = try indirectNameMap(&reader)
                case 11: names.tags = try nameMap(&reader)
                default: names.parameters = try indirectNameMap(&reader)
                }
                guard reader.position == subsectionEnd else { return nil }
                reader.limit = outerLimit
            }
        } catch {
            return nil
        }
        var check = Module()
        check.names = names
        let encoded = check.encode().bytes
        let original = Array(base[start..<end])
        // The re-encoded module is the header, a custom section id, its size, the name "name", then the payload.
        let expectedCount = 8 + 1 + ByteWriter.unsignedSize(UInt64(original.count + 5)) + 5 + original.count
        guard encoded.count == expectedCount, Array(encoded.suffix(original.count)) == original else { return nil }
        return names
    }

    static func nameMap(_ reader: inout ByteReader) throws(DecodeError) -> NameMap {
        let count = try reader.count()
        var entries: [Naming] = []
        entries.reserveCapacity(count)
        for _ in 0..<count {
            let index = try reader.u32()
            entries.append(Naming(index: index, name: try reader.name()))
        }
        return NameMap(entries)
    }

    static func indirectNameMap(_ reader: inout ByteReader) throws(DecodeError) -> IndirectNameMap {
        let count = try reader.count()
        var entries: [IndirectNaming] = []
        for _ in 0..<count {
            let index = try reader.u32()
            entries.append(IndirectNaming(index: index, names: try nameMap(&reader)))
        }
        return IndirectNameMap(entries)
    }
}
