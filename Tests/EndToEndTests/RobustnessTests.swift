import Testing
import JSON
import LanguageServer
import SourceText
import TestSupport

/// Behaviour under edits and cancellation, through the real binary: a broken function leaves the
/// others' hover, stale diagnostics are never published, and `$/cancelRequest` works for every
/// request the server answers.
@Suite struct RobustnessTests {
    static let source = MarkedSource("""
        (module
          (memory 1)
          (func $first (param i32) (result i32)
            local.get 0
            1️⃣i32.const 1
            i32.add)
          (func $second (param i32) (result i32)
            local.get 0
            2️⃣i32.load))
        """)
    static let uri = "file:///e2e/robust.wat"

    func hover(_ server: ServerProcess, _ id: String, _ marker: String) async -> String {
        server.request(.string(id), "textDocument/hover", ["textDocument": ["uri": .string(Self.uri)],
                                                          "position": E2E.position(Self.source, marker)])
        return await server.response(to: .string(id))?["result"]?["contents"]?["value"]?.stringValue ?? ""
    }

    @Test func anEditThatBreaksOneFunctionLeavesHoverWorkingInTheOthers() async throws {
        let server = try await E2E.server(opening: Self.source.text, uri: Self.uri)
        #expect(await hover(server, "a", "2️⃣").contains("load.i32"))
        let broken = Self.source.text.replacingOccurrences(of: "i32.const 1", with: "f32.const 1")
        server.notify("textDocument/didChange", ["textDocument": ["uri": .string(Self.uri), "version": 2],
                                                 "contentChanges": [["text": .string(broken)]]])
        let published = await server.wait {
            $0["method"] == "textDocument/publishDiagnostics" && $0["params"]?["version"] == 2
                && !($0["params"]?["diagnostics"]?.arrayValue ?? []).isEmpty
        }
        #expect(published?["params"]?["diagnostics"]?[0]?["code"] == "wasm-validation")
        let second = await hover(server, "b", "2️⃣")
        #expect(second.contains("```clif") && second.contains("load.i32"), "\(second)")
        server.request("side", "clifford/clifAtPosition", ["textDocument": ["uri": .string(Self.uri)],
                                                          "position": E2E.position(Self.source, "2️⃣")])
        #expect(await server.response(to: "side")?["result"]?["function"]?["name"] == "$second")
        let first = await hover(server, "c", "1️⃣")
        #expect(!first.contains("```clif"), "\(first)")
    }

    @Test func diagnosticsOfAStaleVersionAreNeverPublished() async throws {
        let server = try await E2E.server(opening: Self.source.text, uri: Self.uri, initializationOptions: ["debounceMs": 0])
        let broken = Self.source.text.replacingOccurrences(of: "i32.const 1", with: "f32.const 1")
        let last = 41
        for version in 2...last {
            server.notify("textDocument/didChange", ["textDocument": ["uri": .string(Self.uri), "version": JSONValue(version)],
                                                     "contentChanges": [["text": .string(version % 2 == 0 ? broken : Self.source.text)]]])
        }
        let final = await server.wait { $0["method"] == "textDocument/publishDiagnostics" && $0["params"]?["version"] == JSONValue(last) }
        #expect(final != nil)
        #expect(final?["params"]?["diagnostics"] == [], "version \(last) is the valid text")
        try await Task.sleep(for: .milliseconds(300))
        let versions = server.messages.filter { $0["method"] == "textDocument/publishDiagnostics" }
            .compactMap { $0["params"]?["version"]?.intValue }
        #expect(versions == versions.sorted(), "published in this order: \(versions)")
        #expect(versions.last == last)
    }

    @Test func cancelRequestWorksForEveryRequest() async throws {
        // A long debounce keeps every request waiting for the analysis until it is cancelled. The
        // answer may be slow when many servers share a loaded machine, so each gets 8 s; a lost
        // cancellation would still show, as the request then waits out the 10 s debounce.
        let server = try await E2E.server(opening: Self.source.text, uri: Self.uri, initializationOptions: ["debounceMs": 10_000])
        let methods = LanguageServer.queryMethods
        #expect(methods.count >= 11, "\(methods)")
        let zero: JSONValue = ["line": 0, "character": 0]
        let params: JSONValue = [
            "textDocument": ["uri": .string(Self.uri)], "uri": .string("clifford-clif:" + Self.uri),
            "position": E2E.position(Self.source, "2️⃣"), "range": ["start": zero, "end": zero],
            "context": ["includeDeclaration": true, "triggerKind": 1], "previousResultId": "0",
        ]
        var cancelled: [String] = []
        for method in methods {
            let id = JSONValue.string("cancel-" + method)
            server.request(id, method, params)
            server.notify("$/cancelRequest", ["id": id])
            let answer = await server.response(to: id, seconds: 8)
            // A handler that needs no analysis may answer before the cancellation arrives.
            if answer?["error"]?["code"] == JSONValue(ResponseError.requestCancelledCode) {
                cancelled.append(method)
            } else {
                #expect(answer?["result"] != nil, "\(method): \(String(describing: answer))")
            }
        }
        // Every request that waits for the document's analysis is cancelled.
        let waiting = ["textDocument/hover", "textDocument/definition", "textDocument/declaration", "textDocument/references",
                       "textDocument/documentHighlight", "textDocument/documentSymbol", "textDocument/foldingRange",
                       "textDocument/diagnostic", "workspace/textDocumentContent", "clifford/generatedClif",
                       "clifford/clifAtPosition"]
        for method in waiting {
            #expect(cancelled.contains(method), "\(method) was not cancelled")
        }
        print("cancelled \(cancelled.count) of \(methods.count) requests; answered first: \(Set(methods).subtracting(cancelled).sorted())")
        try await Task.sleep(for: .milliseconds(200))
        for method in methods {
            let answers = server.messages.filter { $0["id"] == .string("cancel-" + method) }
            #expect(answers.count == 1, "\(method) answered \(answers.count) times")
        }
    }
}
