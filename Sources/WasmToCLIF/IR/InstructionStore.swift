import CLIF

/// The instructions of a function under construction, by index: one growing buffer whose
/// elements are moved (bitwise) when it grows, and from which the finished function's blocks
/// take their instructions without copying them or leaving placeholders behind. Copy on write,
/// like an array.
struct InstructionStore: RandomAccessCollection, Sendable {
    final class Buffer: @unchecked Sendable {
        var base: UnsafeMutablePointer<Instruction>
        var count = 0
        var capacity: Int

        init(capacity: Int) {
            self.capacity = Swift.max(capacity, 16)
            base = .allocate(capacity: self.capacity)
        }

        deinit {
            base.deinitialize(count: count)
            base.deallocate()
        }

        func copy() -> Buffer {
            let copy = Buffer(capacity: capacity)
            copy.base.initialize(from: base, count: count)
            copy.count = count
            return copy
        }

        func grow(to needed: Int) {
            var newCapacity = capacity * 2
            while newCapacity < needed { newCapacity *= 2 }
            let newBase = UnsafeMutablePointer<Instruction>.allocate(capacity: newCapacity)
            newBase.moveInitialize(from: base, count: count)
            base.deallocate()
            base = newBase
            capacity = newCapacity
        }
    }

    private var buffer: Buffer

    init(capacity: Int = 16) {
        buffer = Buffer(capacity: capacity)
    }

    var startIndex: Int { 0 }
    var endIndex: Int { buffer.count }

    subscript(position: Int) -> Instruction {
        unsafeAddress {
            precondition(position >= 0 && position < buffer.count, "instruction index out of range")
            return UnsafePointer(buffer.base + position)
        }
        unsafeMutableAddress {
            precondition(position >= 0 && position < buffer.count, "instruction index out of range")
            makeUnique()
            return buffer.base + position
        }
    }

    private mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&buffer) { buffer = buffer.copy() }
    }

    mutating func append(_ instruction: consuming Instruction) {
        makeUnique()
        if buffer.count == buffer.capacity { buffer.grow(to: buffer.count + 1) }
        (buffer.base + buffer.count).initialize(to: instruction)
        buffer.count += 1
    }

    /// Moves the instructions of each block in `blocks` out, in block order, following the
    /// per-block chains `first`/`next` (`counts` instructions each). Instructions of no listed
    /// block are destroyed; the store is left empty.
    mutating func take(blocks: [Block], first: [Int32], next: [Int32], counts: [Int32]) -> [[Instruction]] {
        makeUnique()
        let base = buffer.base
        let total = buffer.count
        var taken = [Bool](repeating: false, count: total)
        var result: [[Instruction]] = []
        result.reserveCapacity(blocks.count)
        for block in blocks {
            let b = Int(block.number)
            result.append([Instruction](unsafeUninitializedCapacity: Int(counts[b])) { target, initialized in
                guard let destination = target.baseAddress else { return }
                var index = first[b]
                while index >= 0, Int(index) < total, !taken[Int(index)], initialized < target.count {
                    taken[Int(index)] = true
                    (destination + initialized).moveInitialize(from: base + Int(index), count: 1)
                    initialized += 1
                    index = next[Int(index)]
                }
            })
        }
        for index in taken.indices where !taken[index] { (base + index).deinitialize(count: 1) }
        buffer.count = 0
        return result
    }
}
