extension ModuleEncoder {
    /// Writes the `name` custom section when there are names; subsections in wasm-tools order.
    mutating func nameSection() {
        let names = module.names
        namesWritten = true
        guard !names.isEmpty else { return }
        map.record(.nameSection, at: out.count)
        out.byte(0)
        let start = out.count
        out.name("name")
        if let name = names.module {
            subsection(0) { $0.name(name) }
        }
        nameMap(1, names.functions)
        indirectNameMap(2, names.locals)
        indirectNameMap(3, names.labels)
        nameMap(4, names.types)
        nameMap(5, names.tables)
        nameMap(6, names.memories)
        nameMap(7, names.globals)
        nameMap(8, names.elements)
        nameMap(9, names.data)
        indirectNameMap(10, names.fields)
        nameMap(11, names.tags)
        indirectNameMap(12, names.parameters)
        out.insertSize(out.count - start, at: start)
    }

    private mutating func subsection(_ id: UInt8, _ content: (inout ByteWriter) -> Void) {
        out.byte(id)
        let start = out.count
        content(&out)
        out.insertSize(out.count - start, at: start)
    }

    private mutating func nameMap(_ id: UInt8, _ map: NameMap) {
        guard !map.isEmpty else { return }
        subsection(id) { $0.nameMap(map) }
    }

    /// Written when it has entries; entries whose inner map is empty are left out.
    private mutating func indirectNameMap(_ id: UInt8, _ map: IndirectNameMap) {
        guard !map.isEmpty else { return }
        subsection(id) { writer in
            let entries = map.entries.filter { !$0.names.isEmpty }
            writer.unsigned(entries.count)
            for entry in entries {
                writer.unsigned(entry.index)
                writer.nameMap(entry.names)
            }
        }
    }
}

extension ByteWriter {
    mutating func nameMap(_ map: NameMap) {
        unsigned(map.entries.count)
        for entry in map.entries {
            unsigned(entry.index)
            name(entry.name)
        }
    }
}
