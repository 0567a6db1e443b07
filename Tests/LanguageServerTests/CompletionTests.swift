import Foundation
import Testing
import SourceText
import TestSupport
@testable import LanguageServer

/// Completion in WAT and CLIF: what is proposed at each marker, and the range it replaces.
@Suite struct CompletionTests {
    func watCompletion(_ source: MarkedSource, at marker: String, uri: String = "file:///c.wat") async throws -> [CompletionResult] {
        let snapshot = DocumentSnapshot(uri: uri, language: uri.hasSuffix(".wast") ? .wast : .wat, version: 1,
                                        file: source.sourceFile)
        let service = WATService()
        let analysis = try await service.analyze(snapshot, previous: nil)
        return service.completion(at: source[marker], in: analysis)
    }

    func clifCompletion(_ source: MarkedSource, at marker: String) async throws -> [CompletionResult] {
        let snapshot = DocumentSnapshot(uri: "file:///c.clif", language: .clif, version: 1, file: source.sourceFile)
        let service = CLIFService()
        return service.completion(at: source[marker], in: try await service.analyze(snapshot, previous: nil))
    }

    /// A module with a syntax error where completion is asked for, as while typing.
    static let wat = MarkedSource("""
        (module
          (type $binary (func (param i32 i32) (result i32)))
          (global $counter (mut i32) (i32.const 0))
          (memory $heap 1)
          (func $add (param $left i32) (param $right i32) (result i32)
            (local $sum i32)
            block $outer
              loop $again
                local.get $l1️⃣
                i32.2️⃣
                br 3️⃣
              end
            end
            call 4️⃣$
            global.get 5️⃣
            i64.ad6️⃣)
          (func $other (type $7️⃣) (8️⃣))
          (9️⃣
        """)

    @Test func localsOfTheEnclosingFunction() async throws {
        let items = try await watCompletion(Self.wat, at: "1️⃣")
        #expect(items.map(\.label) == ["$left"])
        let untyped = MarkedSource(Self.wat.text.replacingOccurrences(of: "local.get $l", with: "local.get 1️⃣"))
        let all = try await watCompletion(untyped, at: "1️⃣")
        #expect(all.map(\.label) == ["$left", "$right", "$sum", "0", "1", "2"])
        #expect(all.first?.detail == "param i32")
        #expect(all.last?.detail == "local $sum i32")
        #expect(items.first?.replacing == TextRange(start: Self.wat["1️⃣"] - 2, end: Self.wat["1️⃣"]))
    }

    @Test func instructionsFilteredByPrefix() async throws {
        let items = try await watCompletion(Self.wat, at: "2️⃣")
        #expect(!items.isEmpty && items.allSatisfy { $0.label.hasPrefix("i32.") })
        #expect(items.contains { $0.label == "i32.add" && $0.kind == .function })
        #expect(items.first { $0.label == "i32.load" }?.detail == "[addr] -> [i32] · memidx? offset=N? align=N? (natural alignment 4)")
        #expect(items.first { $0.label == "i32.add" }?.detail == "[i32 i32] -> [i32] · no immediates")
        #expect(!items.contains { $0.label.hasPrefix("i64.") })
        let i64 = try await watCompletion(Self.wat, at: "6️⃣")
        #expect(i64.map(\.label) == ["i64.add", "i64.add128"])
    }

    @Test func labelsFunctionsGlobalsAndTypesByContext() async throws {
        #expect(try await watCompletion(Self.wat, at: "3️⃣").map(\.label) == ["$again", "$outer", "0", "1"])
        #expect(try await watCompletion(Self.wat, at: "3️⃣").last?.detail == "block $outer")
        let functions = try await watCompletion(Self.wat, at: "4️⃣")
        #expect(functions.map(\.label) == ["$add", "$other"])
        #expect(functions.first?.detail?.contains("(param $left i32)") == true)
        #expect(try await watCompletion(Self.wat, at: "5️⃣").map(\.label) == ["$counter"])
        #expect(try await watCompletion(Self.wat, at: "7️⃣").map(\.label) == ["$binary"])
    }

    @Test func keywordsByContext() async throws {
        let header = try await watCompletion(Self.wat, at: "8️⃣").map(\.label)
        #expect(header.contains("param") && header.contains("local") && header.contains("i32.add"))
        let fields = try await watCompletion(Self.wat, at: "9️⃣").map(\.label)
        #expect(fields.contains("func") && fields.contains("memory") && !fields.contains("i32.add"))
        let global = try await watCompletion(MarkedSource("(module (global $g f1️⃣))"), at: "1️⃣").map(\.label)
        #expect(global == ["f32", "f64", "funcref"])
        let types = try await watCompletion(MarkedSource("(module (func (param $x i1️⃣)))"), at: "1️⃣").map(\.label)
        #expect(types.contains("i32") && types.contains("i64") && !types.contains("f32"))
    }

    @Test func indicesWhereNothingIsNamed() async throws {
        let source = MarkedSource("""
            (module
              (func (param i32) (param f64) (local (ref null func))
                block
                  local.get 1️⃣
                  br 2️⃣
                end))
            """)
        let locals = try await watCompletion(source, at: "1️⃣")
        #expect(locals.map(\.label) == ["0", "1", "2"])
        #expect(locals.map(\.detail) == ["param i32", "param f64", "local (ref null func)"])
        #expect(try await watCompletion(source, at: "2️⃣").map(\.label) == ["0"])
    }

    @Test func scriptLevelCommandsInWast() async throws {
        let source = MarkedSource("(module (func))\n(1️⃣")
        let items = try await watCompletion(source, at: "1️⃣", uri: "file:///c.wast").map(\.label)
        #expect(items.contains("module") && items.contains("assert_invalid"))
        let typed = MarkedSource("(module (func))\n(assert_1️⃣")
        let commands = try await watCompletion(typed, at: "1️⃣", uri: "file:///c.wast").map(\.label)
        #expect(commands.contains("assert_return") && commands.contains("assert_trap") && !commands.contains("module"))
    }

    static let clif = MarkedSource("""
        function %f(i64 vmctx, i32) -> i32 {
            gv0 = vmctx
            gv1 = load.i64 notrap aligned gv0+8
            sig0 = (i64 vmctx) -> i32 tail

        block0(v0: i64, v1: i32):
            v2 = iad1️⃣
            v3 = iadd.2️⃣
            v4 = icmp 3️⃣
            v5 = load.i32 4️⃣ v2
            v6 = global_value.i64 g5️⃣
            jump bl6️⃣
            7️⃣
        """)

    @Test func clifOpcodesTypesConditionsAndEntities() async throws {
        let opcodes = try await clifCompletion(Self.clif, at: "1️⃣")
        #expect(opcodes.map(\.label).contains("iadd") && opcodes.map(\.label).contains("iadd_pairwise"))
        #expect(opcodes.allSatisfy { $0.label.hasPrefix("iad") })
        #expect(opcodes.first { $0.label == "iadd" }?.documentation?.isEmpty == false)
        let types = try await clifCompletion(Self.clif, at: "2️⃣").map(\.label)
        #expect(types.contains("i32") && types.contains("i64x2"))
        let conditions = try await clifCompletion(Self.clif, at: "3️⃣").map(\.label)
        #expect(conditions.contains("eq") && conditions.contains("slt"))
        let flags = try await clifCompletion(Self.clif, at: "4️⃣").map(\.label)
        #expect(flags.contains("notrap") && flags.contains("aligned"))
        let globals = try await clifCompletion(Self.clif, at: "5️⃣")
        #expect(globals.map(\.label) == ["gv0", "gv1"])
        #expect(globals.first?.detail == "gv0 = vmctx")
        #expect(try await clifCompletion(Self.clif, at: "6️⃣").map(\.label) == ["block0"])
        let statement = try await clifCompletion(Self.clif, at: "7️⃣").map(\.label)
        #expect(statement.contains("return") && statement.contains("jump"))
        let signature = MarkedSource("function %g(i64, 1️⃣) -> i32 {\n    sig0 = (2️⃣\n}")
        #expect(try await clifCompletion(signature, at: "1️⃣").map(\.label).contains("i32"))
        #expect(try await clifCompletion(signature, at: "2️⃣").map(\.label).contains("i64"))
    }
}
