/// A value type: a number, a vector, or a reference.
public enum ValueType: Hashable, Sendable {
    case i32
    case i64
    case f32
    case f64
    case v128
    case ref(RefType)

    public static let funcref = ValueType.ref(.funcref)
    public static let externref = ValueType.ref(.externref)
}

/// A reference type: a heap type and whether `null` is a value of it.
public struct RefType: Hashable, Sendable {
    public var nullable: Bool
    public var heapType: HeapType

    public init(nullable: Bool, heapType: HeapType) {
        self.nullable = nullable
        self.heapType = heapType
    }

    public static let funcref = RefType(nullable: true, heapType: .abstract(.func))
    public static let externref = RefType(nullable: true, heapType: .abstract(.extern))
}

/// A heap type: one of the abstract hierarchies, or a type defined in the module.
public enum HeapType: Hashable, Sendable {
    /// An abstract heap type such as `func` or `any`; `shared` comes from shared-everything threads.
    case abstract(AbstractHeapType, shared: Bool = false)
    /// A type index of the module's type section.
    case concrete(UInt32)
    /// An exact type index (custom descriptors proposal).
    case exact(UInt32)
}

/// The abstract heap types, with their binary codes as raw values.
public enum AbstractHeapType: UInt8, CaseIterable, Hashable, Sendable {
    case `func` = 0x70
    case extern = 0x6f
    case any = 0x6e
    case eq = 0x6d
    case i31 = 0x6c
    case `struct` = 0x6b
    case array = 0x6a
    case exn = 0x69
    case cont = 0x68
    case none = 0x71
    case noextern = 0x72
    case nofunc = 0x73
    case noexn = 0x74
    case nocont = 0x75

    /// The keyword of the text format (`func`, `noextern`, ...).
    public var name: String {
        switch self {
        case .func: "func"
        case .extern: "extern"
        case .any: "any"
        case .eq: "eq"
        case .i31: "i31"
        case .struct: "struct"
        case .array: "array"
        case .exn: "exn"
        case .cont: "cont"
        case .none: "none"
        case .noextern: "noextern"
        case .nofunc: "nofunc"
        case .noexn: "noexn"
        case .nocont: "nocont"
        }
    }
}

/// The type of a struct field or array element: a value type or a packed integer.
public enum StorageType: Hashable, Sendable {
    case value(ValueType)
    case i8
    case i16
}

/// A struct field or array element type with its mutability.
public struct FieldType: Hashable, Sendable {
    public var storage: StorageType
    public var mutable: Bool

    public init(storage: StorageType, mutable: Bool) {
        self.storage = storage
        self.mutable = mutable
    }
}
