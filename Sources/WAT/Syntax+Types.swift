import SourceText

/// The abstract heap types of the text format (`func`, `any`, …).
public enum AbstractHeapTypeSyntax: String, Sendable, Hashable, CaseIterable {
    case `func`, extern, any, eq, `struct`, array, i31, exn, none, noextern, nofunc, noexn, cont, nocont
}

/// A heap type: abstract (maybe `shared`), or a type index, or `exact` of one.
public enum HeapTypeSyntax: Sendable, Hashable {
    case abstract(AbstractHeapTypeSyntax, shared: Bool)
    case concrete(IndexSyntax)
    case exact(IndexSyntax)
}

/// A reference type. (`heap` is stored first so that `nullable` fills its padding.)
public struct RefTypeSyntax: Sendable, Hashable {
    public var heap: HeapTypeSyntax
    public var nullable: Bool

    public init(nullable: Bool, heap: HeapTypeSyntax) {
        self.heap = heap
        self.nullable = nullable
    }
}

/// A value type.
public enum ValueTypeSyntax: Sendable, Hashable {
    case i32, i64, f32, f64, v128
    case ref(RefTypeSyntax)
}

/// A field or array element type (adds the packed `i8`/`i16`).
public enum StorageTypeSyntax: Sendable, Hashable {
    case i8, i16
    case value(ValueTypeSyntax)
}

/// `(param $x i32)`: one parameter, maybe named.
public struct ParamSyntax: Sendable, Hashable {
    public var id: Identifier?
    public var nameAnnotation: String?
    public var type: ValueTypeSyntax
    public var range: TextRange
}

/// `(func (param …) (result …))` as a type.
public struct FunctionTypeSyntax: Sendable, Hashable {
    public var params: [ParamSyntax] = []
    public var results: [ValueTypeSyntax] = []
}

/// One struct field.
public struct FieldSyntax: Sendable, Hashable {
    public var id: Identifier?
    public var type: StorageTypeSyntax
    public var mutable: Bool
    public var range: TextRange
}

/// The composite type of a type definition.
public enum CompositeTypeSyntax: Sendable, Hashable {
    case function(FunctionTypeSyntax)
    case structure([FieldSyntax])
    case array(FieldSyntax)
    case continuation(IndexSyntax)
}

/// `(type $t (sub final? $super* (shared? composite)))`.
public struct TypeDefinitionSyntax: Sendable, Hashable {
    public var id: Identifier?
    public var nameAnnotation: String?
    public var composite: CompositeTypeSyntax
    public var shared: Bool = false
    /// nil when `sub` was not written (final by default); `sub` alone is not final.
    public var isFinal: Bool?
    public var supertype: IndexSyntax?
    public var describes: IndexSyntax?
    public var descriptor: IndexSyntax?
    public var range: TextRange
}

/// `(rec (type …)*)`.
public struct RecGroupSyntax: Sendable, Hashable {
    public var types: [TypeDefinitionSyntax]
    public var range: TextRange
}

/// A type use: `(type $t)` and/or inline `(param …) (result …)`.
public struct TypeUseSyntax: Sendable, Hashable {
    public var index: IndexSyntax?
    /// nil when no `param`/`result` was written.
    public var inline: FunctionTypeSyntax?
    public var range: TextRange
}

/// Limits with their index type: `i64 1 2`.
public struct LimitsSyntax: Sendable, Hashable {
    public var is64: Bool = false
    public var minimum: UInt64
    public var maximum: UInt64?
}

/// A table type.
public struct TableTypeSyntax: Sendable, Hashable {
    public var limits: LimitsSyntax
    public var element: RefTypeSyntax
    public var shared: Bool = false
}

/// A memory type.
public struct MemoryTypeSyntax: Sendable, Hashable {
    public var limits: LimitsSyntax
    public var shared: Bool = false
    public var pageSizeLog2: UInt32?
}

/// A global type.
public struct GlobalTypeSyntax: Sendable, Hashable {
    public var type: ValueTypeSyntax
    public var mutable: Bool
    public var shared: Bool = false
}
