import SourceText

/// A place in some document: the one being asked about, another open one, or a generated one.
/// It carries the target's text so that ranges can be converted to positions.
public struct TargetLocation: Sendable {
    public var uri: String
    public var file: SourceFile
    public var range: TextRange
    /// The range to select (a name inside `range`), when it differs.
    public var selectionRange: TextRange?

    public init(uri: String, file: SourceFile, range: TextRange, selectionRange: TextRange? = nil) {
        self.uri = uri
        self.file = file
        self.range = range
        self.selectionRange = selectionRange
    }
}

/// What a hover shows: Markdown text about the thing at `range`.
public struct HoverResult: Sendable, Equatable {
    public var range: TextRange
    public var markdown: String

    public init(range: TextRange, markdown: String) {
        self.range = range
        self.markdown = markdown
    }
}

/// An occurrence to highlight in the document, marked as written (defined) or read.
public struct HighlightResult: Sendable, Equatable {
    public var range: TextRange
    public var isWrite: Bool

    public init(range: TextRange, isWrite: Bool) {
        self.range = range
        self.isWrite = isWrite
    }
}

/// One entry of a document's outline; the raw values of `Kind` are LSP's `SymbolKind`.
public struct SymbolResult: Sendable, Equatable {
    public enum Kind: Int, Sendable {
        case module = 2, namespace = 3, function = 12, variable = 13, constant = 14, field = 8,
             interface = 11, object = 19, event = 24, typeParameter = 26, `struct` = 23, array = 18
    }

    public var name: String
    public var detail: String?
    public var kind: Kind
    public var range: TextRange
    public var selectionRange: TextRange
    public var children: [SymbolResult]

    public init(name: String, detail: String? = nil, kind: Kind, range: TextRange, selectionRange: TextRange,
                children: [SymbolResult] = []) {
        self.name = name
        self.detail = detail
        self.kind = kind
        self.range = range
        self.selectionRange = selectionRange
        self.children = children
    }
}

/// A foldable region; `isComment` marks comment blocks.
public struct FoldingResult: Sendable, Equatable {
    public var range: TextRange
    public var isComment: Bool

    public init(range: TextRange, isComment: Bool = false) {
        self.range = range
        self.isComment = isComment
    }
}
