/// Reusable room for decoding one function body: as many instructions and offsets as it has bytes.
final class BodyScratch {
    private(set) var instructions: UnsafeMutablePointer<Instruction>
    private(set) var offsets: UnsafeMutablePointer<Int>
    private var capacity: Int

    init() {
        capacity = 1024
        instructions = .allocate(capacity: capacity)
        offsets = .allocate(capacity: capacity)
    }

    /// Makes room for `needed` entries; the buffers hold no initialised instructions between bodies.
    func ensure(capacity needed: Int) {
        guard needed > capacity else { return }
        instructions.deallocate()
        offsets.deallocate()
        capacity = max(needed, capacity * 2)
        instructions = .allocate(capacity: capacity)
        offsets = .allocate(capacity: capacity)
    }

    deinit {
        instructions.deallocate()
        offsets.deallocate()
    }
}
