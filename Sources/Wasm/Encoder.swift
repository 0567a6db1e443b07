/// A module binary with the byte offset of every item written.
public struct EncodedModule: Sendable {
    public var bytes: [UInt8]
    public var offsets: OffsetMap
}

extension Module {
    /// Encodes the module the way `wasm-tools parse` encodes the equivalent text: standard section
    /// order, minimal LEB128s, locals grouped as given, data count when needed, names last.
    public func encode() -> EncodedModule {
        var encoder = ModuleEncoder(module: self)
        return encoder.run()
    }

    /// Whether a function body uses an instruction that needs the data-count section.
    public var needsDataCount: Bool {
        let kinds = OpcodeTables.shared.kinds
        for function in functions {
            let found = function.body.withUnsafeBufferPointer { body in
                for instruction in body {
                    switch kinds[Int(instruction.opcode.rawValue)] {
                    case .data, .dataAndMemory, .typeAndData: return true
                    default: continue
                    }
                }
                return false
            }
            if found { return true }
        }
        return false
    }
}

/// Writes one module; items are recorded at absolute offsets and shifted when a size prefix is
/// inserted in front of them.
struct ModuleEncoder {
    let module: Module
    var out = ByteWriter()
    var pending: [(item: ModuleItem, offset: Int)] = []
    var bodyOffsets: [[Int]] = []
    var map = OffsetMap()
    var namesWritten = false

    init(module: Module) {
        self.module = module
    }

    mutating func run() -> EncodedModule {
        out.reserveCapacity(estimatedSize)
        out.append([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00])
        customs(.beforeFirst)
        section(.type, count: module.types.count) { encoder in
            var typeIndex = 0
            for (groupIndex, group) in encoder.module.types.enumerated() {
                encoder.mark(.recGroup(groupIndex))
                if group.isExplicit {
                    encoder.out.byte(0x4e)
                    encoder.out.unsigned(group.types.count)
                }
                for type in group.types {
                    encoder.mark(.type(typeIndex))
                    encoder.out.subType(type)
                    typeIndex += 1
                }
            }
        }
        section(.import, count: module.imports.count) { encoder in
            for (index, entry) in encoder.module.imports.enumerated() {
                encoder.mark(.import(index))
                encoder.out.name(entry.module)
                encoder.out.name(entry.name)
                switch entry.kind {
                case .function(let type):
                    encoder.out.byte(0x00)
                    encoder.out.unsigned(type)
                case .exactFunction(let type):
                    encoder.out.byte(0x20)
                    encoder.out.unsigned(type)
                case .table(let type):
                    encoder.out.byte(0x01)
                    encoder.out.tableType(type)
                case .memory(let type):
                    encoder.out.byte(0x02)
                    encoder.out.memoryType(type)
                case .global(let type):
                    encoder.out.byte(0x03)
                    encoder.out.globalType(type)
                case .tag(let type):
                    encoder.out.byte(0x04)
                    encoder.out.tagType(type)
                }
            }
        }
        section(.function, count: module.functions.count) { encoder in
            for (index, function) in encoder.module.functions.enumerated() {
                encoder.mark(.functionDeclaration(index))
                encoder.out.unsigned(function.typeIndex)
            }
        }
        section(.table, count: module.tables.count) { encoder in
            for (index, table) in encoder.module.tables.enumerated() {
                encoder.mark(.table(index))
                if let initializer = table.initializer {
                    encoder.out.byte(0x40)
                    encoder.out.byte(0x00)
                    encoder.out.tableType(table.type)
                    encoder.out.constExpr(initializer)
                } else {
                    encoder.out.tableType(table.type)
                }
            }
        }
        section(.memory, count: module.memories.count) { encoder in
            for (index, memory) in encoder.module.memories.enumerated() {
                encoder.mark(.memory(index))
                encoder.out.memoryType(memory)
            }
        }
        section(.tag, count: module.tags.count) { encoder in
            for (index, tag) in encoder.module.tags.enumerated() {
                encoder.mark(.tag(index))
                encoder.out.tagType(tag)
            }
        }
        section(.global, count: module.globals.count) { encoder in
            for (index, global) in encoder.module.globals.enumerated() {
                encoder.mark(.global(index))
                encoder.out.globalType(global.type)
                encoder.out.constExpr(global.initializer)
            }
        }
        section(.export, count: module.exports.count) { encoder in
            for (index, export) in encoder.module.exports.enumerated() {
                encoder.mark(.export(index))
                encoder.out.name(export.name)
                encoder.out.byte(export.kind.rawValue)
                encoder.out.unsigned(export.index)
            }
        }
        section(.start, count: module.start == nil ? 0 : 1, writesCount: false) { encoder in
            encoder.mark(.start)
            encoder.out.unsigned(encoder.module.start ?? 0)
        }
        section(.element, count: module.elements.count) { encoder in
            for (index, segment) in encoder.module.elements.enumerated() {
                encoder.mark(.element(index))
                encoder.element(segment)
            }
        }
        if module.writesDataCount ?? module.needsDataCount {
            standardSection(.dataCount) { encoder in
                encoder.mark(.dataCount)
                encoder.out.unsigned(encoder.module.data.count)
            }
        }
        section(.code, count: module.functions.count) { encoder in
            for index in encoder.module.functions.indices { encoder.body(index) }
        }
        section(.data, count: module.data.count) { encoder in
            for (index, segment) in encoder.module.data.enumerated() {
                encoder.mark(.data(index))
                switch segment.mode {
                case .passive:
                    encoder.out.byte(0x01)
                case .active(let memory, let offset):
                    if memory == 0 {
                        encoder.out.byte(0x00)
                    } else {
                        encoder.out.byte(0x02)
                        encoder.out.unsigned(memory)
                    }
                    encoder.out.constExpr(offset)
                }
                encoder.out.unsigned(segment.bytes.count)
                encoder.out.append(segment.bytes)
            }
        }
        customs(.afterLast)
        if !namesWritten { nameSection() }
        return EncodedModule(bytes: out.bytes, offsets: map)
    }

    /// A size guess that spares most regrowth of the output: instructions average under three bytes.
    var estimatedSize: Int {
        var size = 1024
        for function in module.functions { size += 3 * function.body.count + 2 * function.locals.count + 8 }
        for segment in module.data { size += segment.bytes.count + 16 }
        for custom in module.customSections { size += custom.payload.count + custom.name.utf8.count + 8 }
        return size
    }

    mutating func mark(_ item: ModuleItem) {
        pending.append((item, out.count))
    }

    /// Writes a standard section (with the custom sections anchored before and after it); a section
    /// with no entries is left out.
    mutating func section(
        _ id: SectionID, count: Int, writesCount: Bool = true, _ content: (inout ModuleEncoder) -> Void
    ) {
        customs(.before(id))
        if count > 0 {
            standardSection(id) { encoder in
                if writesCount { encoder.out.unsigned(count) }
                content(&encoder)
            }
        }
        customs(.after(id))
    }

    mutating func standardSection(_ id: SectionID, _ content: (inout ModuleEncoder) -> Void) {
        map.record(.section(id), at: out.count)
        out.byte(id.rawValue)
        let start = out.count
        pending.removeAll(keepingCapacity: true)
        bodyOffsets.removeAll(keepingCapacity: true)
        content(&self)
        let shift = out.insertSize(out.count - start, at: start)
        for (item, offset) in pending { map.record(item, at: offset + shift) }
        for function in 0..<bodyOffsets.count {
            // Moved out first, so the shift happens in place instead of in a copy of every body's offsets.
            var offsets = bodyOffsets[function]
            bodyOffsets[function] = []
            for position in 0..<offsets.count { offsets[position] += shift }
            map.setInstructionOffsets(function: function, offsets)
        }
    }

    /// Writes the custom sections of one place, and the name section when the decoder found it there.
    mutating func customs(_ placement: CustomSection.Placement) {
        let namesHere = module.names.customSectionIndex != nil && module.names.placement == placement
        for (index, custom) in module.customSections.enumerated() where custom.placement == placement {
            if namesHere, !namesWritten, index >= module.names.customSectionIndex! { nameSection() }
            map.record(.customSection(index), at: out.count)
            out.byte(0)
            let start = out.count
            out.name(custom.name)
            out.append(custom.payload)
            out.insertSize(out.count - start, at: start)
        }
        if namesHere, !namesWritten { nameSection() }
    }

    mutating func element(_ segment: ElementSegment) {
        let expressionBit: UInt8
        switch segment.items {
        case .functions: expressionBit = 0
        case .expressions: expressionBit = 0b100
        }
        var writesType = false
        switch segment.mode {
        case .passive:
            out.byte(0x01 | expressionBit)
            writesType = true
        case .declarative:
            out.byte(0x03 | expressionBit)
            writesType = true
        case .active(let table, let offset):
            var implicitTable = table == nil
            if case .expressions(let type, _) = segment.items, type != .funcref { implicitTable = false }
            if implicitTable {
                out.byte(expressionBit)
            } else {
                out.byte(0x02 | expressionBit)
                out.unsigned(table ?? 0)
                writesType = true
            }
            out.constExpr(offset)
        }
        switch segment.items {
        case .functions(let indices):
            if writesType { out.byte(0x00) }
            out.unsigned(indices.count)
            for index in indices { out.unsigned(index) }
        case .expressions(let type, let expressions):
            if writesType { out.refType(type) }
            out.unsigned(expressions.count)
            for expression in expressions { out.constExpr(expression) }
        }
    }

    mutating func body(_ index: Int) {
        let function = module.functions[index]
        let sizePosition = out.count
        let firstPending = pending.count
        mark(.functionBody(index))
        out.unsigned(function.locals.count)
        for (groupIndex, group) in function.locals.enumerated() {
            mark(.localGroup(function: index, index: groupIndex))
            out.unsigned(group.count)
            out.valueType(group.type)
        }
        var offsets = [Int]()
        offsets.reserveCapacity(function.body.count)
        let body = function.body
        for position in 0..<body.count {
            offsets.append(out.count)
            out.instruction(body[position])
        }
        let shift = out.insertSize(out.count - sizePosition, at: sizePosition)
        for item in (firstPending + 1)..<pending.count { pending[item].offset += shift }
        for position in 0..<offsets.count { offsets[position] += shift }
        while bodyOffsets.count < index { bodyOffsets.append([]) }
        bodyOffsets.append(offsets)
    }
}
