import SourceText

/// One completion proposal: what to show, what kind of thing it is (the raw values are LSP's
/// `CompletionItemKind`), and the text that replaces `replacing` (the part of the word typed so far).
public struct CompletionResult: Sendable, Equatable {
    public enum Kind: Int, Sendable {
        case function = 3, field = 5, variable = 6, module = 9, property = 10, value = 12, `enum` = 13,
             keyword = 14, reference = 18, enumMember = 20, constant = 21, `struct` = 22, event = 23,
             `operator` = 24, typeParameter = 25
    }

    public var label: String
    public var kind: Kind
    public var detail: String?
    public var documentation: String?
    public var replacing: TextRange
    /// The text to insert; the label when nil.
    public var insertText: String?

    public init(label: String, kind: Kind, detail: String? = nil, documentation: String? = nil,
                replacing: TextRange, insertText: String? = nil) {
        self.label = label
        self.kind = kind
        self.detail = detail
        self.documentation = documentation
        self.replacing = replacing
        self.insertText = insertText
    }
}
