import SourceText

/// A `$name` where it is defined. Stored compactly (the name boxed, the range as 32-bit offsets)
/// because identifiers sit inside instruction immediates.
public struct Identifier: Sendable, Hashable {
    private var box: NameBox
    private var compactRange: CompactRange

    public init(name: String, range: TextRange) {
        box = NameBox(name)
        compactRange = CompactRange(range)
    }

    public var name: String {
        get { box.name }
        set { box = NameBox(newValue) }
    }

    public var range: TextRange {
        get { compactRange.range }
        set { compactRange = CompactRange(newValue) }
    }
}

/// A use of an item: a `$name` or a number, with where it was written. Stored in 20 bytes (a
/// boxed name or a number, and the range as 32-bit offsets), since most instructions hold one.
public struct IndexSyntax: Sendable, Hashable {
    public enum Reference: Sendable, Hashable {
        case number(UInt32)
        case name(String)
    }

    private var nameBox: NameBox?
    private var number: UInt32
    private var compactRange: CompactRange

    public init(reference: Reference, range: TextRange) {
        switch reference {
        case .number(let value):
            nameBox = nil
            number = value
        case .name(let name):
            nameBox = NameBox(name)
            number = 0
        }
        compactRange = CompactRange(range)
    }

    public var reference: Reference {
        get { nameBox.map { .name($0.name) } ?? .number(number) }
        set { self = IndexSyntax(reference: newValue, range: range) }
    }

    public var range: TextRange {
        get { compactRange.range }
        set { compactRange = CompactRange(newValue) }
    }
}

/// An immutable name out of line: one pointer inside the syntax node instead of a 16-byte string.
final class NameBox: Sendable, Hashable {
    let name: String

    init(_ name: String) {
        self.name = name
    }

    static func == (lhs: NameBox, rhs: NameBox) -> Bool {
        lhs === rhs || lhs.name == rhs.name
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(name)
    }
}

/// A `TextRange` in 8 bytes. Offsets beyond 4 GiB are clamped (such a text cannot be parsed
/// anyway: the lexer works on the whole file in memory).
struct CompactRange: Sendable, Hashable {
    private var start: UInt32
    private var end: UInt32

    init(_ range: TextRange) {
        start = UInt32(clamping: range.start)
        end = UInt32(clamping: range.end)
    }

    var range: TextRange {
        TextRange(start: Int(start), end: Int(end))
    }
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
