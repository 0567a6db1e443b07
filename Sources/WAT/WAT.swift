import SourceText
import Wasm

/// A parsed text module or script with its syntax diagnostics.
public struct Parsed<Syntax: Sendable>: Sendable {
    public var syntax: Syntax
    /// Lexical and syntax errors, in source order.
    public var diagnostics: [Diagnostic]
}

/// The entry points of the WAT front end: parse, lower, encode.
public enum WAT {
    /// Parses a `.wat` text: `(module …)` or bare module fields.
    public static func parseModule(_ file: SourceFile) -> Parsed<ModuleSyntax> {
        parseModule(bytes: file.utf8)
    }

    public static func parseModule(bytes: [UInt8]) -> Parsed<ModuleSyntax> {
        var parser = Parser(bytes: bytes)
        let module = parser.parseWat()
        return Parsed(syntax: module, diagnostics: parser.allDiagnostics)
    }

    /// Parses a `.wast` script.
    public static func parseScript(_ file: SourceFile) -> Parsed<ScriptSyntax> {
        var parser = Parser(bytes: file.utf8)
        let script = parser.parseScript()
        return Parsed(syntax: script, diagnostics: parser.allDiagnostics)
    }

    /// Resolves names and builds the module model.
    public static func lower(_ module: ModuleSyntax) -> LoweredModule {
        Lowerer.lower(module)
    }

    /// Lowers and encodes a module exactly as `wasm-tools parse` would.
    public static func compile(_ module: ModuleSyntax) -> CompiledModule {
        let lowered = lower(module)
        var encoded = lowered.module.encode()
        var finalModule = lowered.module
        if let hints = BranchHintSection.payload(for: module, lowered: lowered, encoded: encoded) {
            finalModule.customSections.append(CustomSection(name: "metadata.code.branch_hint", payload: hints,
                                                            placement: .before(.code)))
            encoded = finalModule.encode()
        }
        return CompiledModule(module: finalModule, bytes: encoded.bytes, diagnostics: lowered.diagnostics,
                              resolution: lowered.resolution,
                              map: BinarySourceMap(sourceMap: lowered.sourceMap, offsets: encoded.offsets),
                              functionContext: lowered.functionContext)
    }

    /// Parses and compiles a `.wat` text in one go.
    public static func compile(_ file: SourceFile) -> (compiled: CompiledModule, diagnostics: [Diagnostic]) {
        compile(bytes: file.utf8)
    }

    /// Parses and compiles `.wat` bytes (the `clifford parse` path: no `SourceFile` is needed unless
    /// there are diagnostics to print). Malformed UTF-8 in strings and comments is reported.
    public static func compile(bytes: [UInt8]) -> (compiled: CompiledModule, diagnostics: [Diagnostic]) {
        let parsed = parseModule(bytes: bytes)
        let compiled = compile(parsed.syntax)
        return (compiled, (parsed.diagnostics + compiled.diagnostics).sorted { $0.range.start < $1.range.start })
    }
}

/// A module lowered and encoded: the model, the binary, name diagnostics, the resolved names and
/// the map between binary offsets and text ranges.
public struct CompiledModule: Sendable {
    public var module: Module
    public var bytes: [UInt8]
    public var diagnostics: [Diagnostic]
    public var resolution: NameResolution
    public var map: BinarySourceMap
    /// What `WAT.compileFunction` needs to lower one edited function field against this module.
    public var functionContext: FunctionLoweringContext
}

/// The `metadata.code.branch_hint` section for `(@metadata.code.branch_hint …)` annotations:
/// per function, each hinted instruction's offset from the start of the function's locals.
enum BranchHintSection {
    static func payload(for syntax: ModuleSyntax, lowered: LoweredModule, encoded: EncodedModule) -> [UInt8]? {
        var bodies: [ExpressionSyntax] = []
        for field in syntax.fields {
            if case .function(let function) = field, function.import == nil { bodies.append(function.body) }
        }
        guard bodies.contains(where: { !$0.branchHints.isEmpty }) else { return nil }
        let importedFunctions = UInt32(lowered.module.importCount(of: .function))
        var entries: [UInt8] = []
        var functionCount: UInt32 = 0
        for (index, body) in bodies.enumerated() where !body.branchHints.isEmpty {
            guard index < lowered.module.functions.count, !lowered.module.functions[index].isPlaceholder,
                  let bodyStart = encoded.offsets.offset(of: .functionBody(index)) else { continue }
            var localsStart = bodyStart
            while encoded.bytes[localsStart] & 0x80 != 0 { localsStart += 1 }
            localsStart += 1
            functionCount += 1
            LEB.append(UInt64(importedFunctions + UInt32(index)), to: &entries)
            LEB.append(UInt64(body.branchHints.count), to: &entries)
            for hint in body.branchHints {
                let offset = encoded.offsets.offset(of: .instruction(function: index, index: hint.instructionIndex)) ?? localsStart
                LEB.append(UInt64(offset - localsStart), to: &entries)
                LEB.append(1, to: &entries)
                LEB.append(UInt64(hint.value), to: &entries)
            }
        }
        guard functionCount > 0 else { return nil }
        var payload: [UInt8] = []
        LEB.append(UInt64(functionCount), to: &payload)
        return payload + entries
    }
}

/// Unsigned LEB128.
enum LEB {
    static func append(_ value: UInt64, to bytes: inout [UInt8]) {
        var value = value
        repeat {
            var byte = UInt8(value & 0x7F)
            value >>= 7
            if value != 0 { byte |= 0x80 }
            bytes.append(byte)
        } while value != 0
    }
}
