import CLIF

/// The SSA builder's map from (variable, block) to the value defined there: open addressing
/// with linear probing over two flat arrays and a multiplicative hash, because the builder asks
/// it on every `local.get` and Swift's `Dictionary` (SipHash, resizing by rehash) was a tenth of
/// the translation time.
struct DefinitionTable: Sendable {
    private static let empty = UInt64.max
    private var keys: [UInt64]
    private var values: [UInt32]
    private var count = 0
    private var shift: UInt64

    init(capacityLog2: Int = 8) {
        keys = Array(repeating: Self.empty, count: 1 << capacityLog2)
        values = Array(repeating: 0, count: 1 << capacityLog2)
        shift = UInt64(64 - capacityLog2)
    }

    @inline(__always)
    static func key(_ variable: Variable, _ block: Block) -> UInt64 {
        UInt64(variable.index) << 32 | UInt64(block.number)
    }

    @inline(__always)
    private func slot(_ key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    subscript(_ variable: Variable, _ block: Block) -> Value? {
        let key = Self.key(variable, block)
        let mask = keys.count - 1
        var index = slot(key)
        while true {
            let found = keys[index]
            if found == key { return Value(values[index]) }
            if found == Self.empty { return nil }
            index = (index + 1) & mask
        }
    }

    mutating func set(_ variable: Variable, _ block: Block, _ value: Value) {
        let key = Self.key(variable, block)
        if (count + 1) * 2 > keys.count { grow() }
        let mask = keys.count - 1
        var index = slot(key)
        while true {
            let found = keys[index]
            if found == key {
                values[index] = value.number
                return
            }
            if found == Self.empty {
                keys[index] = key
                values[index] = value.number
                count += 1
                return
            }
            index = (index + 1) & mask
        }
    }

    private mutating func grow() {
        let oldKeys = keys
        let oldValues = values
        let capacityLog2 = 64 - Int(shift) + 1
        keys = Array(repeating: Self.empty, count: 1 << capacityLog2)
        values = Array(repeating: 0, count: 1 << capacityLog2)
        shift = UInt64(64 - capacityLog2)
        let mask = keys.count - 1
        for (position, key) in oldKeys.enumerated() where key != Self.empty {
            var index = slot(key)
            while keys[index] != Self.empty { index = (index + 1) & mask }
            keys[index] = key
            values[index] = oldValues[position]
        }
    }
}
