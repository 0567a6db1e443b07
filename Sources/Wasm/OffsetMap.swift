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
/// Offsets are from the start of the binary (the `\0asm` magic is at 0). Item → offset is an array
/// lookup per kind of item; offset → item is a binary search.
public struct OffsetMap: Sendable {
    /// Items other than instructions and local groups, in the order recorded (increasing offsets).
    public private(set) var items: [ModuleItem] = []
    public private(set) var offsets: [Int] = []
    /// Instruction offsets per defined function, parallel to `Function.body`.
    public private(set) var instructionOffsets: [[Int]] = []
    /// Local group offsets per defined function, parallel to `Function.locals`.
    public private(set) var localGroupOffsets: [[Int]] = []
    private var byKind: [[Int]] = Array(repeating: [], count: OffsetMap.kindCount)

    public init() {}

    private static let kindCount = 16
    private static let missing = -1

    /// The per-kind table and index of an item (instructions and local groups are kept apart).
    private static func slot(_ item: ModuleItem) -> (kind: Int, index: Int)? {
        switch item {
        case .section(let id): (0, Int(id.rawValue))
        case .customSection(let index): (1, index)
        case .nameSection: (2, 0)
        case .recGroup(let index): (3, index)
        case .type(let index): (4, index)
        case .import(let index): (5, index)
        case .functionDeclaration(let index): (6, index)
        case .table(let index): (7, index)
        case .memory(let index): (8, index)
        case .tag(let index): (9, index)
        case .global(let index): (10, index)
        case .export(let index): (11, index)
        case .start: (12, 0)
        case .element(let index): (13, index)
        case .dataCount: (14, 0)
        case .data(let index): (15, index)
        case .functionBody(let index): (kindCount, index)
        case .localGroup, .instruction: nil
        }
    }

    /// Records an item at an offset; offsets must not decrease.
    public mutating func record(_ item: ModuleItem, at offset: Int) {
        switch item {
        case .instruction(let function, let index):
            Self.set(&instructionOffsets, function, index, offset)
            return
        case .localGroup(let function, let index):
            Self.set(&localGroupOffsets, function, index, offset)
        default:
            guard let (kind, index) = Self.slot(item) else { return }
            if kind == Self.kindCount {
                bodies(index, offset)
            } else {
                Self.set(&byKind, kind, index, offset)
            }
        }
        items.append(item)
        offsets.append(offset)
    }

    private var bodyOffsets: [Int] = []

    private mutating func bodies(_ index: Int, _ offset: Int) {
        while bodyOffsets.count <= index { bodyOffsets.append(Self.missing) }
        bodyOffsets[index] = offset
    }

    private static func set(_ table: inout [[Int]], _ row: Int, _ index: Int, _ offset: Int) {
        while table.count <= row { table.append([]) }
        if table[row].count == index {
            table[row].append(offset)
        } else {
            while table[row].count <= index { table[row].append(missing) }
            table[row][index] = offset
        }
    }

    /// Sets the instruction offsets of a function at once.
    public mutating func setInstructionOffsets(function: Int, _ offsets: [Int]) {
        while instructionOffsets.count <= function { instructionOffsets.append([]) }
        instructionOffsets[function] = offsets
    }

    /// The offset of an item, or nil when it was not recorded.
    public func offset(of item: ModuleItem) -> Int? {
        let found: Int?
        switch item {
        case .instruction(let function, let index):
            found = Self.lookup(instructionOffsets, function, index)
        case .localGroup(let function, let index):
            found = Self.lookup(localGroupOffsets, function, index)
        case .functionBody(let index):
            found = index >= 0 && index < bodyOffsets.count ? bodyOffsets[index] : nil
        default:
            guard let (kind, index) = Self.slot(item) else { return nil }
            found = Self.lookup(byKind, kind, index)
        }
        return found == Self.missing ? nil : found
    }

    private static func lookup(_ table: [[Int]], _ row: Int, _ index: Int) -> Int? {
        guard row >= 0, row < table.count, index >= 0, index < table[row].count else { return nil }
        return table[row][index]
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
