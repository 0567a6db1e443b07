import Testing
import JSON
import SourceText
@testable import LanguageServer

/// The whole generated document as the JSON string that is printed while the answer is written:
/// the same text as `GeneratedCLIF.text()`, the same JSON as that text in a `.string`, and no
/// text once the request is cancelled.
@Suite struct GeneratedCLIFStreamingTests {
    static let module = """
        (module
          (memory 1)
          (func $"a\\"quoted\\\\name" (result i32) i32.const 1)
          (func $b (param i32) (result i32) local.get 0 i32.load)
          (func $c (param i32) (result i32)
            block (result i32) local.get 0 i32.const 1 i32.add br 0 end))
        """

    func generated() async throws -> GeneratedCLIF {
        let snapshot = DocumentSnapshot(uri: "file:///s.wat", language: .wat, version: 1, file: SourceFile(Self.module))
        let analysis = try #require(try await WATService().analyze(snapshot, previous: nil) as? WATAnalysis)
        return try #require(analysis.modules[0].generated)
    }

    @Test func theStreamedTextIsTheDocument() async throws {
        let generated = try await generated()
        let text = String(decoding: generated.text(), as: UTF8.self)
        #expect(text.contains(#"a"quoted\name"#))
        #expect(generated.jsonText.stringValue == text)
        let message: JSONValue = ["id": 1, "result": ["text": generated.jsonText]]
        #expect(message.serializedBytes() == (["id": 1, "result": ["text": .string(text)]] as JSONValue).serializedBytes())
    }

    @Test func aCancelledRequestStopsPrinting() async throws {
        let generated = try await generated()
        let task = Task { () -> SerializedJSON? in
            withUnsafeCurrentTask { $0?.cancel() }
            return SerializedJSON(["text": generated.jsonText])
        }
        #expect(await task.value == nil)
    }
}
