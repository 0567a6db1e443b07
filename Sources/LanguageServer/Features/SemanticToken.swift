import SourceText

/// The token types clifford reports, in legend order (the raw value is the index LSP sends).
/// All are LSP's standard types; `label` is LSP 3.18's.
public enum SemanticTokenType: UInt8, Sendable, CaseIterable {
    case namespace, type, parameter, variable, property, enumMember, event, function, keyword, modifier,
         comment, string, number, decorator, label

    public var name: String { "\(self)" }
}

/// Token modifiers as a bit set, in legend order. The first four are LSP's standard modifiers;
/// `control`, `memory` and `numeric` are clifford's, and tell instruction classes apart.
public struct SemanticTokenModifiers: OptionSet, Sendable, Hashable {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let declaration = SemanticTokenModifiers(rawValue: 1 << 0)
    public static let readonly = SemanticTokenModifiers(rawValue: 1 << 1)
    public static let `static` = SemanticTokenModifiers(rawValue: 1 << 2)
    public static let defaultLibrary = SemanticTokenModifiers(rawValue: 1 << 3)
    public static let control = SemanticTokenModifiers(rawValue: 1 << 4)
    public static let memory = SemanticTokenModifiers(rawValue: 1 << 5)
    public static let numeric = SemanticTokenModifiers(rawValue: 1 << 6)

    /// The legend's modifier names, bit 0 first.
    public static let names = ["declaration", "readonly", "static", "defaultLibrary", "control", "memory", "numeric"]
}

/// One classified piece of text: a UTF-8 byte range with its type and modifiers. Kept to 12 bytes
/// because a large module has millions of them.
public struct SemanticToken: Sendable, Hashable {
    public var start: UInt32
    public var length: UInt32
    public var type: SemanticTokenType
    public var modifiers: SemanticTokenModifiers

    public init(_ range: TextRange, _ type: SemanticTokenType, _ modifiers: SemanticTokenModifiers = []) {
        self.start = UInt32(truncatingIfNeeded: range.start)
        self.length = UInt32(truncatingIfNeeded: range.length)
        self.type = type
        self.modifiers = modifiers
    }

    public var range: TextRange { TextRange(start: Int(start), end: Int(start) + Int(length)) }
}
