import SourceText
import Wasm

/// `(local $x i32)`: one local.
public struct LocalSyntax: Sendable, Hashable {
    public var id: Identifier?
    public var nameAnnotation: String?
    public var type: ValueTypeSyntax
    public var range: TextRange
}

/// `(func …)`.
public struct FunctionSyntax: Sendable, Hashable {
    public var id: Identifier?
    public var nameAnnotation: String?
    public var exports: [StringSyntax] = []
    public var `import`: InlineImportSyntax?
    public var exact = false
    public var type: TypeUseSyntax
    public var locals: [LocalSyntax] = []
    public var body: ExpressionSyntax
    public var range: TextRange
}

/// What an `(import …)` field imports.
public enum ImportDescriptionSyntax: Sendable, Hashable {
    case function(TypeUseSyntax, exact: Bool)
    case table(TableTypeSyntax)
    case memory(MemoryTypeSyntax)
    case global(GlobalTypeSyntax)
    case tag(TypeUseSyntax)
}

/// One imported item: `(func $f (type 0))` inside an import.
public struct ImportItemSyntax: Sendable, Hashable {
    public var module: StringSyntax
    public var name: StringSyntax
    public var id: Identifier?
    public var nameAnnotation: String?
    public var description: ImportDescriptionSyntax
    public var range: TextRange
}

/// `(table …)`.
public struct TableSyntax: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case normal(TableTypeSyntax, initializer: ExpressionSyntax?)
        case imported(InlineImportSyntax, TableTypeSyntax)
        /// `(table funcref (elem …))`.
        case inline(RefTypeSyntax, is64: Bool, shared: Bool, ElementPayloadSyntax)
    }

    public var id: Identifier?
    public var nameAnnotation: String?
    public var exports: [StringSyntax] = []
    public var kind: Kind
    public var range: TextRange
}

/// `(memory …)`.
public struct MemorySyntax: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case normal(MemoryTypeSyntax)
        case imported(InlineImportSyntax, MemoryTypeSyntax)
        /// `(memory (data …))`.
        case inline(is64: Bool, pageSizeLog2: UInt32?, data: [StringSyntax])
    }

    public var id: Identifier?
    public var nameAnnotation: String?
    public var exports: [StringSyntax] = []
    public var kind: Kind
    public var range: TextRange
}

/// `(global …)`.
public struct GlobalSyntax: Sendable, Hashable {
    public var id: Identifier?
    public var nameAnnotation: String?
    public var exports: [StringSyntax] = []
    public var `import`: InlineImportSyntax?
    public var type: GlobalTypeSyntax
    public var initializer: ExpressionSyntax?
    public var range: TextRange
}

/// `(tag …)`.
public struct TagSyntax: Sendable, Hashable {
    public var id: Identifier?
    public var nameAnnotation: String?
    public var exports: [StringSyntax] = []
    public var `import`: InlineImportSyntax?
    public var type: TypeUseSyntax
    public var range: TextRange
}

/// `(export "name" (func $f))`.
public struct ExportSyntax: Sendable, Hashable {
    public var name: StringSyntax
    public var kind: ExternalKind
    public var index: IndexSyntax
    public var range: TextRange
}

/// The items of an element segment.
public enum ElementPayloadSyntax: Sendable, Hashable {
    case functions([IndexSyntax])
    case expressions(RefTypeSyntax, [ExpressionSyntax])
}

/// `(elem …)`.
public struct ElementSyntax: Sendable, Hashable {
    public enum Mode: Sendable, Hashable {
        case passive
        case declarative
        case active(table: IndexSyntax?, offset: ExpressionSyntax)
    }

    public var id: Identifier?
    public var nameAnnotation: String?
    public var mode: Mode
    public var payload: ElementPayloadSyntax
    public var range: TextRange
}

/// `(data …)`.
public struct DataSyntax: Sendable, Hashable {
    public enum Mode: Sendable, Hashable {
        case passive
        case active(memory: IndexSyntax?, offset: ExpressionSyntax)
    }

    public var id: Identifier?
    public var nameAnnotation: String?
    public var mode: Mode
    public var data: [StringSyntax]
    public var range: TextRange
}

/// Where a `(@custom …)` section goes relative to the known sections.
public enum CustomPlacementSyntax: Sendable, Hashable {
    public enum Anchor: String, Sendable, Hashable, CaseIterable {
        case type, `import`, `func`, table, memory, global, export, start, elem, code, data, datacount, tag
    }

    case beforeFirst
    case before(Anchor)
    case after(Anchor)
    case afterLast
}

/// `(@custom "name" (after func)? "bytes"*)`.
public struct CustomSectionSyntax: Sendable, Hashable {
    public var name: StringSyntax
    public var placement: CustomPlacementSyntax
    public var data: [StringSyntax]
    public var range: TextRange
}

/// One field of a module.
public enum ModuleFieldSyntax: Sendable, Hashable {
    case type(TypeDefinitionSyntax)
    case recursiveGroup(RecGroupSyntax)
    case `import`(ImportItemSyntax)
    case function(FunctionSyntax)
    case table(TableSyntax)
    case memory(MemorySyntax)
    case global(GlobalSyntax)
    case export(ExportSyntax)
    case start(IndexSyntax, range: TextRange)
    case element(ElementSyntax)
    case data(DataSyntax)
    case tag(TagSyntax)
    case custom(CustomSectionSyntax)
}

/// A text module: `(module $name? field*)` or bare fields.
public struct ModuleSyntax: Sendable, Hashable {
    public var id: Identifier?
    public var nameAnnotation: StringSyntax?
    public var fields: [ModuleFieldSyntax] = []
    public var range: TextRange
}
