import SourceText

/// A `$name` where it is defined.
public struct Identifier: Sendable, Hashable {
    public var name: String
    public var range: TextRange
}

/// A use of an item: a `$name` or a number, with where it was written.
public struct IndexSyntax: Sendable, Hashable {
    public enum Reference: Sendable, Hashable {
        case number(UInt32)
        case name(String)
    }

    public var reference: Reference
    public var range: TextRange
}

/// A string literal's decoded bytes.
public struct StringSyntax: Sendable, Hashable {
    public var bytes: [UInt8]
    public var range: TextRange

    public var text: String { String(decoding: bytes, as: UTF8.self) }
}

/// `(import "module" "name")` written inside a definition.
public struct InlineImportSyntax: Sendable, Hashable {
    public var module: StringSyntax
    public var name: StringSyntax
    public var range: TextRange
}
