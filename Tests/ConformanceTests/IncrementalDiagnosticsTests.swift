import Foundation
import SourceText
import TestSupport
import Testing
import WAT
import Wasm
import WasmToCLIF
@testable import LanguageServer

/// Diagnostics found from one edited function (the early publication after an edit) must be the
/// diagnostics a full analysis of the new text gives, on real modules: the text modules of the
/// spec corpus and a real-world module printed as `clifford print` prints it. Each sampled function
/// gets a series of edits: an inserted instruction, a deleted one, a broken instruction, its fix,
/// an unknown `$name`, a type error.
@Suite struct IncrementalDiagnosticsTests {
    struct Tally {
        var edits = 0
        var fast = 0
        var identical = 0
        var mismatches: [String] = []
    }

    /// Edits inside the body of `function` (the byte range of its first instruction is `first`).
    static func edits(in text: [UInt8], body: TextRange, first: TextRange?) -> [(name: String, at: TextRange, insert: String)] {
        var result: [(name: String, at: TextRange, insert: String)] = [
            ("insert nop", TextRange(at: body.start), "nop "),
            ("broken instruction", TextRange(at: body.start), "i32.bogus "),
            ("unknown name", TextRange(at: body.start), "call $no_such_function "),
            ("type error", TextRange(at: body.start), "f32.const 1 i32.eqz drop "),
            ("extra value", TextRange(at: body.start), "i32.const 7 "),
        ]
        if let first { result.append(("delete first instruction", first, "")) }
        return result
    }

    static func replaced(_ text: [UInt8], _ range: TextRange, with insert: String) -> [UInt8] {
        Array(text[..<range.start]) + Array(insert.utf8) + Array(text[range.end...])
    }

    static func analyze(_ text: [UInt8], version: Int, previous: WATAnalysis?) async throws -> WATAnalysis? {
        let snapshot = DocumentSnapshot(uri: "file:///m.wat", language: .wat, version: version,
                                        file: SourceFile(String(decoding: text, as: UTF8.self)))
        return try await WATService().analyze(snapshot, previous: previous) as? WATAnalysis
    }

    /// Applies each edit to `text` and compares; also the fix of each edit (edited → original).
    static func check(_ text: [UInt8], label: String, functionLimit: Int, tally: inout Tally) async throws {
        guard let base = try await analyze(text, version: 1, previous: nil), let module = base.modules.first,
              base.modules.count == 1 else { return }
        var functions: [FunctionSyntax] = []
        for field in module.syntax.fields {
            if case .function(let function) = field, function.import == nil { functions.append(function) }
        }
        let step = max(1, functions.count / functionLimit)
        for function in stride(from: 0, to: functions.count, by: step).prefix(functionLimit).map({ functions[$0] }) {
            let body = TextRange(start: function.locals.isEmpty ? function.body.range.start : function.locals[0].range.start,
                                 end: function.range.end - 1)
            let first = function.body.instructions.first.map(\.range)
            for edit in edits(in: text, body: body, first: first) {
                let edited = replaced(text, edit.at, with: edit.insert)
                try await compare(from: base, to: edited, what: "\(label) \(edit.name) at \(edit.at.start)", tally: &tally)
                // The fix: back from the edited version to the original text.
                if let editedAnalysis = try await analyze(edited, version: 2, previous: base) {
                    try await compare(from: editedAnalysis, to: text, what: "\(label) undo \(edit.name) at \(edit.at.start)", tally: &tally)
                }
            }
        }
    }

    static func compare(from previous: WATAnalysis, to text: [UInt8], what: String, tally: inout Tally) async throws {
        tally.edits += 1
        let snapshot = DocumentSnapshot(uri: "file:///m.wat", language: .wat, version: previous.version + 1,
                                        file: SourceFile(String(decoding: text, as: UTF8.self)))
        guard let fast = IncrementalWATDiagnostics.diagnostics(for: snapshot, previous: previous, tunables: Tunables()) else { return }
        tally.fast += 1
        // The full analysis reuses the unchanged functions' translations (keyed by body bytes).
        guard let full = try await analyze(text, version: previous.version + 1, previous: previous)?.diagnostics else { return }
        if fast == full {
            tally.identical += 1
            return
        }
        let first = zip(fast, full).first { $0 != $1 }
        tally.mismatches.append("\(what): fast \(fast.count), full \(full.count) diagnostics; first difference: "
            + "\(first.map { "\($0.0.code ?? "") \($0.0.range) \($0.0.message) | \($0.1.code ?? "") \($0.1.range) \($0.1.message)" } ?? "count")")
    }

    static func report(_ name: String, _ tally: Tally) {
        print("incremental diagnostics (\(name)): \(tally.identical)/\(tally.fast) early results identical to the full analysis; "
              + "\(tally.fast)/\(tally.edits) edits took the fast path")
        for mismatch in tally.mismatches.prefix(20) { print("  \(mismatch)") }
    }

    @Test func specModulesEditedFunctionByFunction() async throws {
        guard let corpus = TestEnvironment.corpus else {
            print("incremental diagnostics (spec): skipped, no corpus ($CLIFFORD_CORPUS)")
            return
        }
        let directory = corpus + "/spec"
        let match = TestEnvironment.environment("CLIFFORD_SPEC_MATCH")
        let matching = CorpusFiles.list(under: directory, suffix: ".wast")
            .map { String($0.dropFirst(directory.count + 1)) }
            .filter { match == nil || $0.contains(match!) }.sorted()
        // A sample spread over the corpus by default, to stay within the CI budget;
        // CLIFFORD_SPEC_FILES=all (or a number) for more.
        let setting = TestEnvironment.environment("CLIFFORD_SPEC_FILES") ?? "30"
        let limit = max(1, setting == "all" ? matching.count : Int(setting) ?? 30)
        let step = max(1, matching.count / limit)
        let names = stride(from: 0, to: matching.count, by: step).prefix(limit).map { matching[$0] }
        var tally = Tally()
        var modules = 0
        for name in names {
            guard let data = FileManager.default.contents(atPath: directory + "/" + name) else { continue }
            let bytes = [UInt8](data)
            let script = WAT.parseScript(SourceFile(String(decoding: bytes, as: UTF8.self)))
            // The first few text modules of each script, each as a `.wat` document of its own.
            var taken = 0
            for command in script.syntax.commands where taken < 3 {
                guard case .module(let module) = command, case .text(let syntax) = module.kind,
                      syntax.fields.contains(where: { if case .function(let f) = $0 { f.import == nil } else { false } })
                else { continue }
                taken += 1
                modules += 1
                let text = Array(bytes[syntax.range.start..<syntax.range.end])
                try await Self.check(text, label: "\(name) module \(taken)", functionLimit: 2, tally: &tally)
            }
        }
        Self.report("spec, \(modules) modules of \(names.count)/\(matching.count) scripts", tally)
        #expect(tally.edits > 0)
        #expect(tally.fast > 0)
        #expect(tally.mismatches.isEmpty)
    }

    @Test func realWorldModuleEditedFunctionByFunction() async throws {
        guard let corpus = TestEnvironment.corpus else {
            print("incremental diagnostics (real world): skipped, no corpus ($CLIFFORD_CORPUS)")
            return
        }
        let path = corpus + "/realworld/emcc-olm.wasm"
        guard let data = FileManager.default.contents(atPath: path) else {
            print("incremental diagnostics (real world): skipped, no \(path)")
            return
        }
        // The text `clifford print` writes for the module.
        let text = Array(try Module.decode([UInt8](data)).module.printed().utf8)
        var tally = Tally()
        try await Self.check(text, label: "emcc-olm", functionLimit: 4, tally: &tally)
        Self.report("real world, emcc-olm printed", tally)
        #expect(tally.fast > 0)
        #expect(tally.mismatches.isEmpty)
    }
}
