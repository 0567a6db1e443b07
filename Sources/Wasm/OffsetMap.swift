/// An encoded or decoded item of a module, named by its position in the module model.
/// Indices are positions in the corresponding `Module` array (`function` counts defined functions
/// only, not imports; `type` counts flattened type indices).
public enum ModuleItem: Hashable, Sendable {
    case section(SectionID)
    case customSection(Int)
    case nameSection
    case recGroup(Int)
    case type(Int)
    case `import`(Int)
    /// The function-section entry (type index) of a defined function.
    case functionDeclaration(Int)
    case table(Int)
    case memory(Int)
    case tag(Int)
    case global(Int)
    case export(Int)
    case start
    case element(Int)
    case dataCount
    case data(Int)
    /// The start of a function body (its size field) in the code section.
    case functionBody(Int)
    case localGroup(function: Int, index: Int)
    case instruction(function: Int, index: Int)
}

/// Byte offsets of the items of one module binary, searchable both ways.
/// Offsets are from the start of the binary (the `\0asm` magic is at 0).
public struct OffsetMap: Sendable {
    /// Items in the order they were recorded, which is increasing offset order.
    public private(set) var items: [ModuleItem] = []
    public private(set) var offsets: [Int] = []
    private var indexOfItem: [ModuleItem: Int] = [:]
    /// Instruction offsets per defined function, parallel to `Function.body` (kept apart because
    /// they are most of the items).
    public private(set) var instructionOffsets: [[Int]] = []

    public init() {}

    /// Records an item at an offset; offsets must not decrease.
    public mutating func record(_ item: ModuleItem, at offset: Int) {
        if case .instruction(let function, let index) = item {
            recordInstruction(function: function, index: index, at: offset)
            return
        }
        indexOfItem[item] = items.count
        items.append(item)
        offsets.append(offset)
    }

    /// Records the offset of instruction `index` of defined function `function`.
    public mutating func recordInstruction(function: Int, index: Int, at offset: Int) {
        while instructionOffsets.count <= function { instructionOffsets.append([]) }
        if instructionOffsets[function].count == index {
            instructionOffsets[function].append(offset)
        } else {
            while instructionOffsets[function].count < index { instructionOffsets[function].append(offset) }
            if index < instructionOffsets[function].count {
                instructionOffsets[function][index] = offset
            } else {
                instructionOffsets[function].append(offset)
            }
        }
    }

    /// Sets the instruction offsets of a function at once.
    public mutating func setInstructionOffsets(function: Int, _ offsets: [Int]) {
        while instructionOffsets.count <= function { instructionOffsets.append([]) }
        instructionOffsets[function] = offsets
    }

    /// The offset of an item, or nil when it was not recorded.
    public func offset(of item: ModuleItem) -> Int? {
        if case .instruction(let function, let index) = item {
            guard function < instructionOffsets.count, index < instructionOffsets[function].count else { return nil }
            return instructionOffsets[function][index]
        }
        return indexOfItem[item].map { offsets[$0] }
    }

    /// The innermost recorded item starting at or before `offset`: an instruction when the offset
    /// falls inside a function body, otherwise the last item recorded at or before it.
    public func item(at offset: Int) -> ModuleItem? {
        var low = 0
        var high = offsets.count
        while low < high {
            let mid = (low + high) / 2
            if offsets[mid] <= offset { low = mid + 1 } else { high = mid }
        }
        guard low > 0 else { return nil }
        let found = items[low - 1]
        let function: Int
        switch found {
        case .functionBody(let f): function = f
        case .localGroup(let f, _): function = f
        default: return found
        }
        guard function < instructionOffsets.count else { return found }
        let list = instructionOffsets[function]
        var lo = 0
        var hi = list.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if list[mid] <= offset { lo = mid + 1 } else { hi = mid }
        }
        return lo > 0 ? .instruction(function: function, index: lo - 1) : found
    }
}
