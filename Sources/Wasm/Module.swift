/// A WebAssembly module with every index resolved, as decoded from a binary or lowered from text.
/// Each array is one index space's definitions in binary order; imported entities are in `imports`
/// and come first in their index space (see `importCount(of:)`).
public struct Module: Hashable, Sendable {
    /// The type section: single types and `(rec ...)` groups. Type indices run over all members.
    public var types: [RecGroup] = []
    public var imports: [Import] = []
    /// Defined functions (function + code sections), after the imported ones in the index space.
    public var functions: [Function] = []
    public var tables: [Table] = []
    public var memories: [MemoryType] = []
    public var tags: [TagType] = []
    public var globals: [Global] = []
    public var exports: [Export] = []
    public var start: UInt32?
    public var elements: [ElementSegment] = []
    /// Whether to write a data-count section. nil: as `wasm-tools parse` does, exactly when a function
    /// body uses `memory.init`, `data.drop`, `array.new_data` or `array.init_data`.
    public var writesDataCount: Bool?
    public var data: [DataSegment] = []
    /// Custom sections other than `name`, each with its place among the standard sections.
    public var customSections: [CustomSection] = []
    /// The contents of the `name` section (empty: no section is written).
    public var names: NameSection = NameSection()

    public init() {}

    /// All defined types in index order, flattened over rec groups.
    public var typeList: [SubType] { types.flatMap(\.types) }

    /// The number of imports of one kind, i.e. where that kind's definitions start in its index space.
    public func importCount(of kind: ExternalKind) -> Int {
        imports.reduce(0) { $0 + ($1.kind.externalKind == kind ? 1 : 0) }
    }
}

/// An import: a two-level name and the imported entity's type.
public struct Import: Hashable, Sendable {
    public var module: String
    public var name: String
    public var kind: ImportKind

    public init(module: String, name: String, kind: ImportKind) {
        self.module = module
        self.name = name
        self.kind = kind
    }
}

/// What an import brings in, with its type.
public enum ImportKind: Hashable, Sendable {
    /// A function of this type index.
    case function(UInt32)
    /// A function of exactly this type index (custom descriptors, binary kind `0x20`).
    case exactFunction(UInt32)
    case table(TableType)
    case memory(MemoryType)
    case global(GlobalType)
    case tag(TagType)

    public var externalKind: ExternalKind {
        switch self {
        case .function, .exactFunction: .function
        case .table: .table
        case .memory: .memory
        case .global: .global
        case .tag: .tag
        }
    }
}

/// A defined function: its type, its locals as written (groups of equal type), and its flat body.
public struct Function: Hashable, Sendable {
    public var typeIndex: UInt32
    /// Local declarations, grouped exactly as the code section encodes them.
    public var locals: [LocalGroup]
    /// The instructions including the final `end`; blocks appear flat, as in the binary.
    public var body: [Instruction]
    /// True when the body is a stand-in for text that had errors.
    public var isPlaceholder: Bool

    public init(typeIndex: UInt32, locals: [LocalGroup] = [], body: [Instruction], isPlaceholder: Bool = false) {
        self.typeIndex = typeIndex
        self.locals = locals
        self.body = body
        self.isPlaceholder = isPlaceholder
    }

    /// A function whose text could not be parsed: no locals, body `unreachable end`, so the rest of the
    /// module still encodes, validates and translates.
    public static func placeholder(typeIndex: UInt32) -> Function {
        Function(typeIndex: typeIndex, body: [.unreachable, .end], isPlaceholder: true)
    }
}

/// `count` locals of one type.
public struct LocalGroup: Hashable, Sendable {
    public var count: UInt32
    public var type: ValueType

    public init(count: UInt32, type: ValueType) {
        self.count = count
        self.type = type
    }
}

/// A constant expression (global, table and segment initialisers): its instructions including the final `end`.
public struct ConstExpr: Hashable, Sendable {
    public var instructions: [Instruction]

    public init(_ instructions: [Instruction]) {
        self.instructions = instructions
    }

    /// `i32.const value` `end`.
    public static func i32(_ value: Int32) -> ConstExpr { ConstExpr([Instruction(.i32Const, .i32(value)), .end]) }
    /// `i64.const value` `end`.
    public static func i64(_ value: Int64) -> ConstExpr { ConstExpr([Instruction(.i64Const, .i64(value)), .end]) }
}

/// A defined table, with an optional initialiser expression (function references proposal).
public struct Table: Hashable, Sendable {
    public var type: TableType
    public var initializer: ConstExpr?

    public init(type: TableType, initializer: ConstExpr? = nil) {
        self.type = type
        self.initializer = initializer
    }
}

/// A defined global.
public struct Global: Hashable, Sendable {
    public var type: GlobalType
    public var initializer: ConstExpr

    public init(type: GlobalType, initializer: ConstExpr) {
        self.type = type
        self.initializer = initializer
    }
}

/// An export.
public struct Export: Hashable, Sendable {
    public var name: String
    public var kind: ExternalKind
    public var index: UInt32

    public init(name: String, kind: ExternalKind, index: UInt32) {
        self.name = name
        self.kind = kind
        self.index = index
    }
}

/// An element segment.
public struct ElementSegment: Hashable, Sendable {
    /// When the segment's references are used: at instantiation into a table, on `table.init`, or never.
    public enum Mode: Hashable, Sendable {
        case passive
        /// `table` nil: the table was not written (binary flags 0 and 4, table 0).
        case active(table: UInt32?, offset: ConstExpr)
        case declarative
    }

    /// The references of the segment, as function indices or as constant expressions.
    public enum Items: Hashable, Sendable {
        /// Function indices (element kind `funcref`).
        case functions([UInt32])
        /// Expressions of the given reference type.
        case expressions(RefType, [ConstExpr])
    }

    public var mode: Mode
    public var items: Items

    public init(mode: Mode, items: Items) {
        self.mode = mode
        self.items = items
    }

    public var count: Int {
        switch items {
        case .functions(let indices): indices.count
        case .expressions(_, let expressions): expressions.count
        }
    }
}

/// A data segment.
public struct DataSegment: Hashable, Sendable {
    /// Copied into a memory at instantiation, or kept for `memory.init`.
    public enum Mode: Hashable, Sendable {
        case passive
        case active(memory: UInt32, offset: ConstExpr)
    }

    public var mode: Mode
    public var bytes: [UInt8]

    public init(mode: Mode, bytes: [UInt8]) {
        self.mode = mode
        self.bytes = bytes
    }
}

/// Section identifiers of the binary format.
public enum SectionID: UInt8, Hashable, Sendable, Comparable {
    case custom = 0
    case type = 1
    case `import` = 2
    case function = 3
    case table = 4
    case memory = 5
    case global = 6
    case export = 7
    case start = 8
    case element = 9
    case code = 10
    case data = 11
    case dataCount = 12
    case tag = 13

    /// The position in the required section order (the tag section sits between memory and global).
    public var order: Int {
        switch self {
        case .custom: 0
        case .type: 1
        case .import: 2
        case .function: 3
        case .table: 4
        case .memory: 5
        case .tag: 6
        case .global: 7
        case .export: 8
        case .start: 9
        case .element: 10
        case .dataCount: 11
        case .code: 12
        case .data: 13
        }
    }

    public static func < (lhs: SectionID, rhs: SectionID) -> Bool { lhs.order < rhs.order }
}

/// A custom section and where it sits among the standard sections.
public struct CustomSection: Hashable, Sendable {
    /// A place relative to the standard sections, as in the text format's `(@custom "n" (after code) ...)`.
    public enum Placement: Hashable, Sendable {
        case beforeFirst
        case before(SectionID)
        case after(SectionID)
        case afterLast
    }

    /// The section's name; `name` is reserved for `Module.names`.
    public var name: String
    public var payload: [UInt8]
    public var placement: Placement

    public init(name: String, payload: [UInt8], placement: Placement = .afterLast) {
        self.name = name
        self.payload = payload
        self.placement = placement
    }
}
