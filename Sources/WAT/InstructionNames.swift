import SourceText
import Wasm

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The instruction table's text names, looked up straight from keyword bytes (no String is made):
/// an open-addressing hash table built once from `InstructionTable.entries`.
struct InstructionNames: Sendable {
    static let shared = InstructionNames()

    /// All names, concatenated.
    let text: [UInt8]
    /// Per slot: start in `text` (-1 for empty), length and opcode.
    let slots: [(start: Int32, length: Int32, opcode: Opcode)]
    let mask: Int

    init() {
        var text: [UInt8] = []
        var capacity = 1
        while capacity < InstructionTable.entries.count * 4 { capacity <<= 1 }
        var slots = [(start: Int32, length: Int32, opcode: Opcode)](repeating: (-1, 0, .nop), count: capacity)
        for entry in InstructionTable.entries {
            let name = Array(entry.name.utf8)
            let start = text.count
            text.append(contentsOf: name)
            var slot = Int(InstructionNames.hash(name, 0, name.count)) & (capacity - 1)
            while slots[slot].start >= 0 { slot = (slot + 1) & (capacity - 1) }
            slots[slot] = (Int32(start), Int32(name.count), entry.opcode)
        }
        self.text = text
        self.slots = slots
        self.mask = capacity - 1
    }

    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> UInt32 {
        var hash: UInt32 = 2_166_136_261
        for index in start..<end { hash = (hash ^ UInt32(bytes[index])) &* 16_777_619 }
        return hash
    }

    static func hash(_ bytes: [UInt8], _ start: Int, _ end: Int) -> UInt32 {
        bytes.withUnsafeBufferPointer { hash($0, start, end) }
    }

    func lookup(_ bytes: [UInt8], _ range: TextRange) -> Opcode? {
        bytes.withUnsafeBufferPointer { buffer in
            text.withUnsafeBufferPointer { names in
                let length = range.length
                var slot = Int(InstructionNames.hash(buffer, range.start, range.end)) & mask
                while true {
                    let entry = slots[slot]
                    if entry.start < 0 { return nil }
                    if Int(entry.length) == length
                        && memcmp(names.baseAddress! + Int(entry.start), buffer.baseAddress! + range.start, length) == 0 {
                        return entry.opcode
                    }
                    slot = (slot + 1) & mask
                }
            }
        }
    }
}
