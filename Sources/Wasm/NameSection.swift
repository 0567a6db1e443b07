/// The contents of the `name` custom section. Subsections are written in the order of the properties;
/// an empty map is not written.
public struct NameSection: Hashable, Sendable {
    public var module: String?
    public var functions: NameMap = NameMap()
    public var locals: IndirectNameMap = IndirectNameMap()
    public var labels: IndirectNameMap = IndirectNameMap()
    public var types: NameMap = NameMap()
    public var tables: NameMap = NameMap()
    public var memories: NameMap = NameMap()
    public var globals: NameMap = NameMap()
    public var elements: NameMap = NameMap()
    public var data: NameMap = NameMap()
    public var fields: IndirectNameMap = IndirectNameMap()
    public var tags: NameMap = NameMap()
    /// Parameter names of function types (subsection 12, written by wasm-tools 1.262 and later).
    public var parameters: IndirectNameMap = IndirectNameMap()
    /// Where the section goes: nil puts it after every other section (as `wasm-tools parse` does);
    /// a decoder sets it to the position it found, an index into `Module.customSections` before which
    /// it is written.
    public var customSectionIndex: Int?
    /// With `customSectionIndex`: the place among the standard sections where the decoder found it.
    public var placement: CustomSection.Placement?

    public init() {}

    public var isEmpty: Bool {
        module == nil && functions.isEmpty && locals.isEmpty && labels.isEmpty && types.isEmpty
            && tables.isEmpty && memories.isEmpty && globals.isEmpty && elements.isEmpty && data.isEmpty
            && fields.isEmpty && tags.isEmpty && parameters.isEmpty
    }
}

/// Index → name pairs in increasing index order.
public struct NameMap: Hashable, Sendable {
    public var entries: [Naming]

    public init(_ entries: [Naming] = []) {
        self.entries = entries
    }

    public var isEmpty: Bool { entries.isEmpty }

    /// The name of an index (binary search; entries are sorted).
    public subscript(index: UInt32) -> String? {
        var low = 0
        var high = entries.count
        while low < high {
            let mid = (low + high) / 2
            if entries[mid].index < index { low = mid + 1 } else { high = mid }
        }
        return low < entries.count && entries[low].index == index ? entries[low].name : nil
    }
}

/// One index and its name.
public struct Naming: Hashable, Sendable {
    public var index: UInt32
    public var name: String

    public init(index: UInt32, name: String) {
        self.index = index
        self.name = name
    }
}

/// Names inside items (locals of functions, fields of types, labels of functions).
public struct IndirectNameMap: Hashable, Sendable {
    public var entries: [IndirectNaming]

    public init(_ entries: [IndirectNaming] = []) {
        self.entries = entries
    }

    public var isEmpty: Bool { entries.isEmpty }

    public subscript(index: UInt32) -> NameMap? {
        entries.first { $0.index == index }?.names
    }
}

/// The names inside one item.
public struct IndirectNaming: Hashable, Sendable {
    public var index: UInt32
    public var names: NameMap

    public init(index: UInt32, names: NameMap) {
        self.index = index
        self.names = names
    }
}
