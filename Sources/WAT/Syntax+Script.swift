import SourceText

/// A module inside a `.wast` script: text, `binary` strings or `quote` strings.
public struct ScriptModuleSyntax: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case text(ModuleSyntax)
        case binary([StringSyntax])
        case quote([StringSyntax])
    }

    public var id: Identifier?
    public var kind: Kind
    /// `(module definition …)`: defined but not instantiated.
    public var isDefinition: Bool
    public var range: TextRange
    /// The `module` keyword (or the first field of a bare module).
    public var keywordRange: TextRange

    /// The bytes of a `binary` module or the text of a `quote` module (strings joined by a space,
    /// as wasm-tools joins them).
    public var joinedBytes: [UInt8] {
        switch kind {
        case .text: return []
        case .binary(let strings): return strings.flatMap(\.bytes)
        case .quote(let strings):
            var bytes: [UInt8] = []
            for string in strings {
                bytes.append(contentsOf: string.bytes)
                bytes.append(UInt8(ascii: " "))
            }
            return bytes
        }
    }
}

/// `(invoke $m? "name" arg*)` or `(get $m? "name")`; argument values are kept as ranges.
public struct ActionSyntax: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case invoke
        case get
    }

    public var kind: Kind
    public var module: Identifier?
    public var name: StringSyntax
    public var arguments: [TextRange]
    public var range: TextRange
}

/// One command of a `.wast` script.
public enum ScriptCommandSyntax: Sendable, Hashable {
    case module(ScriptModuleSyntax)
    /// `(module instance $instance? $module?)`.
    case instance(Identifier?, module: Identifier?, range: TextRange)
    case register(StringSyntax, module: Identifier?, range: TextRange)
    case action(ActionSyntax)
    /// `assert_…`: the assertion's keyword, its module or action, and the remaining values
    /// (expected results or message) as ranges.
    case assertion(AssertionSyntax)

    public var range: TextRange {
        switch self {
        case .module(let module): module.range
        case .instance(_, _, let range), .register(_, _, let range): range
        case .action(let action): action.range
        case .assertion(let assertion): assertion.range
        }
    }
}

/// `(assert_… module-or-action rest*)`.
public struct AssertionSyntax: Sendable, Hashable {
    public var keyword: String
    public var module: ScriptModuleSyntax?
    public var action: ActionSyntax?
    /// The expected results or the message, as written.
    public var rest: [TextRange]
    public var range: TextRange
}

/// A `.wast` script (a `.wat` file is a script of one module).
public struct ScriptSyntax: Sendable, Hashable {
    public var commands: [ScriptCommandSyntax] = []
}
