import SourceText
import Wasm

/// The module-level names and types of a lowered module, kept so that one function field can be
/// lowered again on its own (after an edit inside it) exactly as lowering the whole module would.
public struct FunctionLoweringContext: Sendable {
    var types = Namespace()
    var functions = Namespace()
    var tables = Namespace()
    var memories = Namespace()
    var globals = Namespace()
    var tags = Namespace()
    var elements = Namespace()
    var datas = Namespace()
    var fieldNames: [UInt32: Namespace] = [:]
    var typeInfo: [TypeInfo] = []
    var functionTypeIndex: [FunctionKey: UInt32] = [:]

    /// A lowerer that resolves names as the module's lowerer did once every item was numbered.
    func lowerer(firstDefinedIndex: Int) -> Lowerer {
        var lowerer = Lowerer()
        lowerer.scope = self
        lowerer.definedIndexOffset = firstDefinedIndex
        return lowerer
    }
}

/// One function field lowered on its own against a module's `FunctionLoweringContext`: the
/// function model, the name diagnostics and the text ranges of its items.
public struct CompiledFunction: Sendable {
    public let definedIndex: Int
    public let function: Function
    /// Unknown or duplicate names inside the field.
    public let diagnostics: [Diagnostic]
    let itemRanges: [ModuleItem: TextRange]
    let body: SourceMap.BodyRanges

    /// The text range of one of this function's items (its declaration, body, local groups and
    /// instructions); nil for any other item.
    public func range(of item: ModuleItem) -> TextRange? {
        if case .instruction(let function, let index) = item {
            return function == definedIndex ? body.range(index) : nil
        }
        return itemRanges[item]
    }

    /// A validation error of this function as the module's validation diagnostics show it: on the
    /// range of its item (the function's range for an instruction without one), with related notes.
    /// `elsewhere` gives the range of items outside the function.
    public func diagnostic(for error: ValidationError, elsewhere: (ModuleItem) -> TextRange?, fallback: TextRange) -> Diagnostic {
        func locate(_ item: ModuleItem) -> TextRange? {
            switch item {
            case .instruction(definedIndex, _), .localGroup(definedIndex, _):
                range(of: item) ?? range(of: .functionBody(definedIndex)) ?? range(of: .functionDeclaration(definedIndex))
            case .functionBody(definedIndex), .functionDeclaration(definedIndex):
                range(of: item)
            default:
                elsewhere(item)
            }
        }
        let related = error.related.compactMap { note in
            locate(note.item).map { RelatedLocation(range: $0, message: note.message) }
        }
        return .error(error.message, at: locate(error.item) ?? fallback, code: WastCheck.code, related: related)
    }
}

extension WAT {
    /// Parses the `(func …)` field that starts at byte `start` of a module's text, as the module
    /// parser parses it at that place; nil when no function field starts there. The diagnostics
    /// are those inside the field.
    public static func parseFunctionField(bytes: [UInt8], at start: Int) -> Parsed<FunctionSyntax>? {
        var parser = Parser(bytes: bytes, offset: start)
        guard parser.token.kind == .leftParen, parser.token.range.start == start else { return nil }
        let keyword = parser.peek2()
        guard keyword.kind == .keyword, parser.string(of: keyword) == "func" else { return nil }
        let function = parser.parseFunctionField()
        let diagnostics = parser.allDiagnostics.filter { $0.range.start < function.range.end }
        return Parsed(syntax: function, diagnostics: diagnostics)
    }

    /// Lowers one defined (not imported) function field as lowering its whole module would, given
    /// the module's context and the field's index among the defined functions; nil for an import.
    public static func compileFunction(_ syntax: FunctionSyntax, definedIndex: Int,
                                       in context: FunctionLoweringContext) -> CompiledFunction? {
        guard syntax.import == nil else { return nil }
        var lowerer = context.lowerer(firstDefinedIndex: definedIndex)
        lowerer.lowerFunction(syntax)
        guard let function = lowerer.module.functions.first, let body = lowerer.sourceMap.bodies.first else { return nil }
        return CompiledFunction(definedIndex: definedIndex, function: function, diagnostics: lowerer.diagnostics,
                                itemRanges: lowerer.sourceMap.itemRanges, body: body)
    }

    /// Whether two versions of a function field ask module lowering for the same implicit function
    /// types in the same order, so that replacing one by the other leaves every type index as it was.
    public static func sameImplicitTypes(_ old: FunctionSyntax, _ new: FunctionSyntax) -> Bool {
        func signatures(_ function: FunctionSyntax) -> [FunctionKey] {
            var keys: [FunctionKey] = []
            if let signature = Lowerer.implicitSignature(of: function.type) { keys.append(FunctionKey(signature)) }
            for instruction in function.body.instructions {
                if let signature = Lowerer.implicitSignature(of: instruction) { keys.append(FunctionKey(signature)) }
            }
            return keys
        }
        return signatures(old) == signatures(new)
    }

    /// Whether two versions of a function field declare the same module-level facts: identifier,
    /// name annotation, inline exports, import, type use (all at the same text ranges).
    public static func sameDeclaration(_ old: FunctionSyntax, _ new: FunctionSyntax) -> Bool {
        old.id == new.id && old.nameAnnotation == new.nameAnnotation && old.exports == new.exports
            && old.import == new.import && old.exact == new.exact && old.type == new.type
    }

    /// Where a function field's declaration (identifier, exports, import, type use) ends and its
    /// locals and body begin.
    public static func declarationEnd(of function: FunctionSyntax) -> Int {
        var end = function.range.start + 1
        if let id = function.id { end = max(end, id.range.end) }
        if let last = function.exports.last { end = max(end, last.range.end) }
        if let inlineImport = function.import { end = max(end, inlineImport.range.end) }
        return max(end, function.type.range.end)
    }
}

extension Parser {
    /// A parser whose first token is the one at byte `offset` (a field start: no token spans it).
    init(bytes: [UInt8], offset: Int) {
        self.bytes = bytes
        self.lexer = Lexer(bytes: bytes, offset: offset)
        self.token = Token(kind: .endOfFile, range: TextRange(at: offset))
        self.previousEnd = offset
        self.token = nextSignificant()
    }
}
