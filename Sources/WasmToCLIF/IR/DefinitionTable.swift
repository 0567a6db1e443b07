import CLIF

/// The SSA builder's map from (variable, block) to the value defined there: open addressing
/// with linear probing over one flat array of key/value slots and a multiplicative hash, because
/// the builder asks it on every `local.get` and Swift's `Dictionary` (SipHash, resizing by rehash)
/// was a tenth of the translation time. Key and value share a slot so that a probe touches one
/// cache line.
struct DefinitionTable: Sendable {
    private struct Slot: Sendable {
        var key: UInt64
        var value: UInt32
    }

    private static let empty = UInt64.max
    private var slots: [Slot]
    private var count = 0
    private var shift: UInt64

    init(capacityLog2: Int = 8) {
        slots = Array(repeating: Slot(key: Self.empty, value: 0), count: 1 << capacityLog2)
        shift = UInt64(64 - capacityLog2)
    }

    @inline(__always)
    static func key(_ variable: Variable, _ block: Block) -> UInt64 {
        UInt64(variable.index) << 32 | UInt64(block.number)
    }

    @inline(__always)
    private static func slot(_ key: UInt64, _ shift: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    subscript(_ variable: Variable, _ block: Block) -> Value? {
        let key = Self.key(variable, block)
        var index = Self.slot(key, shift)
        return slots.withUnsafeBufferPointer { slots -> Value? in
            let mask = slots.count - 1
            while true {
                let found = slots[index].key
                if found == key { return Value(slots[index].value) }
                if found == Self.empty { return nil }
                index = (index + 1) & mask
            }
        }
    }

    mutating func set(_ variable: Variable, _ block: Block, _ value: Value) {
        let key = Self.key(variable, block)
        if (count + 1) * 2 > slots.count { grow() }
        var index = Self.slot(key, shift)
        let added = slots.withUnsafeMutableBufferPointer { slots -> Bool in
            let mask = slots.count - 1
            while true {
                let found = slots[index].key
                if found == key {
                    slots[index].value = value.number
                    return false
                }
                if found == Self.empty {
                    slots[index] = Slot(key: key, value: value.number)
                    return true
                }
                index = (index + 1) & mask
            }
        }
        if added { count += 1 }
    }

    private mutating func grow() {
        let old = slots
        let capacityLog2 = 64 - Int(shift) + 1
        slots = Array(repeating: Slot(key: Self.empty, value: 0), count: 1 << capacityLog2)
        let shift = UInt64(64 - capacityLog2)
        self.shift = shift
        slots.withUnsafeMutableBufferPointer { slots in
            let mask = slots.count - 1
            for entry in old where entry.key != Self.empty {
                var index = Self.slot(entry.key, shift)
                while slots[index].key != Self.empty { index = (index + 1) & mask }
                slots[index] = entry
            }
        }
    }
}
