import SourceText
import TestSupport
import Testing
import Wasm
@testable import WAT

/// One function field parsed, lowered and validated on its own gives what the whole module gives
/// for it: `WAT.parseFunctionField`, `WAT.compileFunction`, `Module.validate(function:)`.
@Suite struct IncrementalCompileTests {
    static let source = MarkedSource("""
        (module
          (type $pair (func (param i32) (result i32 i32)))
          (global $g (mut i32) (i32.const 0))
          (func $a (param $x i32) (result i32)
            local.get $x)
          1️⃣(func $b (export "b") (param i32) (result i32)
            (local $y i64)
            2️⃣local.get 0
            global.get $g
            i32.add
            call $a)3️⃣
          (func $c (result i32)
            i32.const 4))
        """)

    static func functions(_ module: ModuleSyntax) -> [FunctionSyntax] {
        module.fields.compactMap { if case .function(let function) = $0 { function } else { nil } }
    }

    /// Inserts `text` at marker 2️⃣ and returns the new text's bytes.
    static func edited(_ text: String) -> [UInt8] {
        let bytes = Array(source.text.utf8)
        let at = source["2️⃣"]
        return Array(bytes[..<at]) + Array(text.utf8) + Array(bytes[at...])
    }

    @Test func aFieldParsesAloneAsInTheModule() throws {
        let whole = WAT.parseModule(Self.source.sourceFile)
        let parsed = try #require(WAT.parseFunctionField(bytes: Array(Self.source.text.utf8), at: Self.source["1️⃣"]))
        #expect(parsed.syntax == Self.functions(whole.syntax)[1])
        #expect(parsed.syntax.range == Self.source.range("1️⃣", "3️⃣"))
        #expect(parsed.diagnostics.isEmpty)
        // Anything other than a function field start gives nil.
        #expect(WAT.parseFunctionField(bytes: Array(Self.source.text.utf8), at: Self.source["2️⃣"]) == nil)
        #expect(WAT.parseFunctionField(bytes: Array(Self.source.text.utf8), at: 0) == nil)
    }

    @Test func aBrokenFieldKeepsItsEndAndReportsInsideIt() throws {
        let bytes = Self.edited("i32.bogus ")
        let parsed = try #require(WAT.parseFunctionField(bytes: bytes, at: Self.source["1️⃣"]))
        let delta = "i32.bogus ".utf8.count
        #expect(parsed.syntax.range.end == Self.source["3️⃣"] + delta)
        #expect(parsed.syntax.body.hasErrors)
        let whole = WAT.parseModule(bytes: bytes)
        let inField = whole.diagnostics.filter { parsed.syntax.range.contains($0.range.start) }
        #expect(parsed.diagnostics == inField)
        #expect(parsed.diagnostics.first?.range.start == Self.source["2️⃣"])
    }

    @Test func aFieldLowersAloneAsInTheModule() throws {
        for insertion in ["", "call $nope ", "local.get $y drop ", "i64.const 1 drop ", "f32.const 1 "] {
            let bytes = Self.edited(insertion)
            let whole = WAT.compile(bytes: bytes)
            let before = WAT.compile(Self.source.sourceFile).compiled
            let parsed = try #require(WAT.parseFunctionField(bytes: bytes, at: Self.source["1️⃣"]))
            let compiled = try #require(WAT.compileFunction(parsed.syntax, definedIndex: 1, in: before.functionContext))
            #expect(compiled.function == whole.compiled.module.functions[1], "after inserting \(insertion)")
            let names = whole.compiled.diagnostics.filter { parsed.syntax.range.contains($0.range.start) }
            #expect(compiled.diagnostics == names, "after inserting \(insertion)")
            #expect(compiled.range(of: .instruction(function: 1, index: 0))
                == whole.compiled.map.sourceMap.range(of: .instruction(function: 1, index: 0)))

            // The function validated alone fails as it fails in the whole module.
            var model = before.module
            model.functions[1] = compiled.function
            let alone = model.validate(function: 1)
            #expect(alone.moduleErrors.isEmpty)
            let inModule = whole.compiled.module.validate().first { error in
                if case .instruction(1, _) = error.item { true } else { false }
            }
            #expect(alone.error == inModule, "after inserting \(insertion)")
        }
        #expect(WAT.compileFunction(Self.functions(WAT.parseModule(Self.source.sourceFile).syntax)[1], definedIndex: 1,
                                    in: WAT.compile(Self.source.sourceFile).compiled.functionContext)?.diagnostics.isEmpty == true)
    }

    @Test func declarationsAndImplicitTypesAreCompared() throws {
        let original = try #require(WAT.parseFunctionField(bytes: Array(Self.source.text.utf8), at: Self.source["1️⃣"])).syntax
        func field(_ insertion: String) throws -> FunctionSyntax {
            try #require(WAT.parseFunctionField(bytes: Self.edited(insertion), at: Self.source["1️⃣"])).syntax
        }
        #expect(WAT.sameDeclaration(original, try field("nop ")))
        #expect(WAT.sameImplicitTypes(original, try field("nop ")))
        // A block with parameters asks for a function type; one written as `(type $pair)` does not.
        #expect(!WAT.sameImplicitTypes(original, try field("(block (param i32) (result i32) drop i32.const 0) ")))
        #expect(WAT.sameImplicitTypes(original, try field("(block (type $pair) drop i32.const 0 i32.const 0) drop ")))
        #expect(WAT.declarationEnd(of: original) <= original.locals[0].range.start)
    }
}
