/// A function signature.
public struct FunctionType: Hashable, Sendable {
    public var parameters: [ValueType]
    public var results: [ValueType]

    public init(parameters: [ValueType] = [], results: [ValueType] = []) {
        self.parameters = parameters
        self.results = results
    }
}

/// The shape of a defined type: a function, a struct, an array, or a continuation.
public enum CompositeKind: Hashable, Sendable {
    case function(FunctionType)
    case `struct`([FieldType])
    case array(FieldType)
    /// A continuation over the function type at this index (stack switching).
    case continuation(UInt32)
}

/// A composite type with the attributes that prefix it in the binary.
public struct CompositeType: Hashable, Sendable {
    public var kind: CompositeKind
    /// `(shared ...)` from shared-everything threads.
    public var shared: Bool
    /// `(descriptor $t)` (custom descriptors proposal).
    public var descriptor: UInt32?
    /// `(describes $t)` (custom descriptors proposal).
    public var describes: UInt32?

    public init(_ kind: CompositeKind, shared: Bool = false, descriptor: UInt32? = nil, describes: UInt32? = nil) {
        self.kind = kind
        self.shared = shared
        self.descriptor = descriptor
        self.describes = describes
    }
}

/// A type definition (`sub`): finality, at most one supertype, and the composite type.
/// A plain `(type (func ...))` is final with no supertype and is written without the `sub` prefix.
public struct SubType: Hashable, Sendable {
    public var isFinal: Bool
    public var supertype: UInt32?
    public var composite: CompositeType

    public init(isFinal: Bool = true, supertype: UInt32? = nil, composite: CompositeType) {
        self.isFinal = isFinal
        self.supertype = supertype
        self.composite = composite
    }

    public init(function: FunctionType) {
        self.init(composite: CompositeType(.function(function)))
    }

    /// The function signature, when this is a function type.
    public var functionType: FunctionType? {
        if case .function(let type) = composite.kind { return type }
        return nil
    }
}

/// One entry of the type section: a single type, or an explicit `(rec ...)` group.
/// Type indices count the members of every group in order.
public struct RecGroup: Hashable, Sendable {
    public var types: [SubType]
    /// True when written as `(rec ...)` (binary `0x4e`), even with one member.
    public var isExplicit: Bool

    public init(types: [SubType], isExplicit: Bool) {
        self.types = types
        self.isExplicit = isExplicit
    }

    public init(_ type: SubType) {
        self.init(types: [type], isExplicit: false)
    }
}
