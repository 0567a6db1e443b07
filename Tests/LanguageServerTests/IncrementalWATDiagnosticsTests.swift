import Testing
import SourceText
import TestSupport
@testable import LanguageServer

/// When the early diagnostics after an edit come from the edited function alone, and every case
/// in which they are left to the full analysis.
@Suite struct IncrementalWATDiagnosticsTests {
    static let source = MarkedSource("""
        (module
          (type $t (func (param i32) (result i32)))
          (func $a 1️⃣(export "a") (param $x i32) (result i32)2️⃣
            (local $y i32)
            3️⃣local.get $x)4️⃣
          5️⃣(func $b (type $t)
            6️⃣local.get 0))
        """)

    static func analysis(_ text: String, version: Int = 1) async throws -> WATAnalysis? {
        try await WATService().analyze(snapshot(text, version: version), previous: nil) as? WATAnalysis
    }

    static func snapshot(_ text: String, version: Int, language: DocumentLanguage = .wat) -> DocumentSnapshot {
        DocumentSnapshot(uri: "file:///i.wat", language: language, version: version, file: SourceFile(text))
    }

    /// The text with `insert` replacing the bytes between two markers (or inserted at one).
    static func edited(_ from: String, _ insert: String, to: String? = nil) -> String {
        let bytes = Array(source.text.utf8)
        let start = source[from]
        let end = to.map { source[$0] } ?? start
        return String(decoding: bytes[..<start] + Array(insert.utf8) + bytes[end...], as: UTF8.self)
    }

    /// The early diagnostics for `text`, checked against a full analysis when there are some.
    static func early(_ text: String, language: DocumentLanguage = .wat) async throws -> [Diagnostic]? {
        let previous = try #require(try await analysis(source.text))
        guard let fast = IncrementalWATDiagnostics.diagnostics(for: snapshot(text, version: 2, language: language),
                                                               previous: previous) else { return nil }
        #expect(fast == (try await analysis(text, version: 2))?.diagnostics)
        return fast
    }

    @Test func editsInsideOneBodyAreFast() async throws {
        #expect(try await Self.early(Self.edited("3️⃣", "nop ")) == [])
        #expect(try await Self.early(Self.edited("3️⃣", "local.get $zz ")).map { $0.map(\.code) } == ["wat-names"])
        #expect(try await Self.early(Self.edited("6️⃣", "i32.bogus ")).map { $0.map(\.code) } == ["wat-syntax"])
        #expect(try await Self.early(Self.edited("6️⃣", "f32.const 1 ")).map { $0.map(\.code) } == ["wasm-validation"])
        // A local declaration is part of the function alone.
        #expect(try await Self.early(Self.edited("3️⃣", "(local i64) ")) == [])
        // Unchanged text gives the previous diagnostics.
        #expect(try await Self.early(Self.source.text) == [])
    }

    @Test func everythingElseFallsBackToTheFullAnalysis() async throws {
        // The declaration: exports, parameters, the type use, the identifier.
        #expect(try await Self.early(Self.edited("1️⃣", "(export \"z\") ")) == nil)
        #expect(try await Self.early(Self.edited("2️⃣", " (param i64)")) == nil)
        #expect(try await Self.early(Self.edited("5️⃣", "(func $b (type 0)\n    ", to: "6️⃣")) == nil)
        // Across two fields, or between them.
        #expect(try await Self.early(Self.edited("3️⃣", "", to: "6️⃣")) == nil)
        #expect(try await Self.early(Self.edited("4️⃣", "\n  (global i32 (i32.const 0))")) == nil)
        // An unbalanced edit: the field no longer ends where it did.
        #expect(try await Self.early(Self.edited("3️⃣", "(block ")) == nil)
        // A block type that needs a new function type.
        #expect(try await Self.early(Self.edited("3️⃣", "(block (param i32) (result i64 i64) unreachable) drop drop ")) == nil)
        // Scripts are always analysed in full.
        #expect(try await Self.early(Self.edited("3️⃣", "nop "), language: .wast) == nil)
    }

    @Test func aModuleWithAnErrorOutsideFunctionsFallsBack() async throws {
        let text = String(Self.source.text.dropLast()) + "\n  (export \"e\" (func 42)))"
        let previous = try #require(try await Self.analysis(text))
        #expect(!previous.diagnostics.isEmpty)
        let edited = text.replacingOccurrences(of: "local.get $x)", with: "nop local.get $x)")
        #expect(IncrementalWATDiagnostics.diagnostics(for: Self.snapshot(edited, version: 2), previous: previous) == nil)
    }
}
