/// The size limits of a memory or table, with the flags stored beside them in the binary.
public struct Limits: Hashable, Sendable {
    public var min: UInt64
    public var max: UInt64?
    /// 64-bit addressing (memory64 / table64).
    public var is64: Bool
    /// A shared memory (threads).
    public var shared: Bool
    /// log2 of the page size when given explicitly (custom page sizes); nil means 64 KiB pages.
    public var pageSizeLog2: UInt32?

    public init(min: UInt64, max: UInt64? = nil, is64: Bool = false, shared: Bool = false, pageSizeLog2: UInt32? = nil) {
        self.min = min
        self.max = max
        self.is64 = is64
        self.shared = shared
        self.pageSizeLog2 = pageSizeLog2
    }
}

/// A memory's type.
public struct MemoryType: Hashable, Sendable {
    public var limits: Limits

    public init(limits: Limits) {
        self.limits = limits
    }
}

/// A table's type: its element reference type and limits.
public struct TableType: Hashable, Sendable {
    public var elementType: RefType
    public var limits: Limits

    public init(elementType: RefType, limits: Limits) {
        self.elementType = elementType
        self.limits = limits
    }
}

/// A global's type.
public struct GlobalType: Hashable, Sendable {
    public var valueType: ValueType
    public var mutable: Bool
    /// Shared-everything threads.
    public var shared: Bool

    public init(valueType: ValueType, mutable: Bool, shared: Bool = false) {
        self.valueType = valueType
        self.mutable = mutable
        self.shared = shared
    }
}

/// A tag's type: the function type index of its payload (attribute 0, exceptions).
public struct TagType: Hashable, Sendable {
    public var typeIndex: UInt32

    public init(typeIndex: UInt32) {
        self.typeIndex = typeIndex
    }
}

/// The kinds of entities that are imported, exported, and named by index.
public enum ExternalKind: UInt8, Hashable, Sendable {
    case function = 0
    case table = 1
    case memory = 2
    case global = 3
    case tag = 4

    /// The keyword of the text format.
    public var name: String {
        switch self {
        case .function: "func"
        case .table: "table"
        case .memory: "memory"
        case .global: "global"
        case .tag: "tag"
        }
    }
}
