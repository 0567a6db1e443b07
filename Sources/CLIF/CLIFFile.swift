import SourceText

/// A header line of a CLIF file (`test compile`, `set opt_level=speed`, `target x86_64`).
public struct HeaderLine: Sendable, Hashable {
    public var text: String
    public var range: TextRange
}

/// A `;` comment and the entity it belongs to (the one whose text precedes it), the way
/// Cranelift's reader attaches `; error:` and `; check:` directives.
public struct Comment: Sendable, Hashable {
    public var range: TextRange
    /// The comment from its `;` to the end of the line.
    public var text: Substring
    /// The function it follows, or nil for comments before the first function.
    public var functionIndex: Int?
    public var location: EntityLocation?

    /// The text after `directive` (`error:`), when the comment is such a directive.
    public func directive(_ name: String) -> Substring? {
        var body = text.drop(while: { $0 == ";" || $0 == " " || $0 == "\t" })
        guard body.hasPrefix(name) else { return nil }
        body = body.dropFirst(name.count)
        return body.drop(while: { $0 == " " || $0 == "\t" })
    }
}

/// A parsed `.clif` file: headers, functions with ranges, attached comments, and syntax diagnostics.
public struct CLIFFile: Sendable {
    public var source: SourceFile
    public var testCommands: [HeaderLine] = []
    public var settings: [HeaderLine] = []
    public var targets: [HeaderLine] = []
    public var features: [HeaderLine] = []
    public var functions: [Function] = []
    public var comments: [Comment] = []
    public var diagnostics: [Diagnostic] = []

    public init(source: SourceFile) {
        self.source = source
    }

    /// Parses `source`; syntax errors become diagnostics (code `clif-syntax`) and parsing goes on.
    public static func parse(_ source: SourceFile) -> CLIFFile {
        var parser = Parser(source: source)
        return parser.parseFile()
    }

    /// Parses and verifies every function; the verifier's diagnostics are appended after the
    /// syntax diagnostics.
    public static func check(_ source: SourceFile) -> CLIFFile {
        var file = parse(source)
        let context = VerifierContext(file: file)
        for function in file.functions {
            file.diagnostics += Verifier.verify(function, context: context).map(\.diagnostic)
        }
        return file
    }
}
