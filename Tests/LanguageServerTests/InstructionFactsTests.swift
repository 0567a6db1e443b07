import Foundation
import Testing
import SourceText
import TestSupport
import Wasm
@testable import LanguageServer

/// `Module.instructionFacts(function:index:)`, the one validation run a hover makes, gives the
/// same stack and types as the stacks of the whole function (`operandStacks(ofFunction:)`) do.
@Suite struct InstructionFactsTests {
    /// The instructions of `function` whose facts differ from the whole-function stacks'.
    static func mismatches(in module: Module, function: Int, every step: Int = 1) -> [Int] {
        guard let stacks = module.operandStacks(ofFunction: function) else { return [-1] }
        var differing: [Int] = []
        for index in stride(from: 0, to: module.functions[function].body.count, by: step) {
            let facts = module.instructionFacts(function: function, index: index)
            let expected = index < stacks.count ? stacks[index] : nil
            let types = index < stacks.count ? module.instructionTypes(function: function, index: index, stacks: stacks) : nil
            if facts?.stack != expected || facts?.types != types { differing.append(index) }
        }
        return differing
    }

    @Test func factsMatchTheWholeFunctionsStacks() async throws {
        let source = MarkedSource("""
            (module
              (memory 1)
              (func $callee (param i32) (result i32) local.get 0)
              (func $f (param i32 i64) (result i32)
                (local f32)
                local.get 0
                i32.load offset=4
                block (result i32)
                  local.get 0
                  local.get 0
                  br_if 0
                  drop
                  i32.const 7
                end
                call $callee
                i32.add
                local.get 1
                i32.wrap_i64
                i32.add
                loop
                  br 0
                end
                unreachable
                i32.add)
              (func $broken (result i32)
                i32.const 1
                i64.const 2
                i32.add))
            """)
        let snapshot = DocumentSnapshot(uri: "file:///facts.wat", language: .wat, version: 1, file: source.sourceFile)
        let analysis = try #require(try await WATService().analyze(snapshot, previous: nil) as? WATAnalysis)
        let module = analysis.modules[0].compiled.module
        for function in module.functions.indices {
            #expect(Self.mismatches(in: module, function: function).isEmpty, "function \(function)")
        }
        // Up to the type error the stacks are known (the error's own included); past it nothing is.
        #expect(module.instructionFacts(function: 2, index: 1)?.stack == [.i32])
        #expect(module.instructionFacts(function: 2, index: 2)?.stack == [.i32, .i64])
        #expect(module.instructionFacts(function: 2, index: 3) == nil)
        #expect(module.instructionFacts(function: 9, index: 0) == nil)
        #expect(module.instructionFacts(function: 1, index: 10_000) == nil)
    }

    @Test func factsMatchOnARealWorldModule() throws {
        guard let corpus = TestEnvironment.corpus,
              let data = FileManager.default.contents(atPath: corpus + "/realworld/emcc-olm.wasm") else {
            print("instruction facts: skipped, no realworld/emcc-olm.wasm in the corpus")
            return
        }
        let module = try Module.decode([UInt8](data)).module
        var checked = 0
        var failing: [Int] = []
        for function in stride(from: 0, to: module.functions.count, by: 7) {
            checked += 1
            if !Self.mismatches(in: module, function: function, every: 5).isEmpty { failing.append(function) }
        }
        print("instruction facts: emcc-olm \(checked - failing.count)/\(checked) functions")
        #expect(checked > 0 && failing.isEmpty, "functions \(failing.prefix(10))")
    }
}
