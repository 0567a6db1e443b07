import Testing
import SourceText
import TestSupport
@testable import LanguageServer

/// Semantic tokens of WAT and CLIF: the class of the token at each marker, and LSP's encoding.
@Suite struct SemanticTokenTests {
    func watTokens(_ source: MarkedSource, uri: String = "file:///t.wat") async throws -> [SemanticToken] {
        let snapshot = DocumentSnapshot(uri: uri, language: uri.hasSuffix(".wast") ? .wast : .wat, version: 1,
                                        file: source.sourceFile)
        let service = WATService()
        let analysis = try await service.analyze(snapshot, previous: nil)
        return service.semanticTokens(in: analysis)
    }

    func clifTokens(_ source: MarkedSource) -> [SemanticToken] {
        CLIFSemanticTokens.classify(source.sourceFile)
    }

    /// The token starting at `marker`, as text, type and modifiers.
    func token(at marker: String, in source: MarkedSource, _ tokens: [SemanticToken]) -> (String, SemanticTokenType, SemanticTokenModifiers)? {
        guard let token = tokens.first(where: { Int($0.start) == source[marker] }) else { return nil }
        return (String(source.sourceFile[token.range]), token.type, token.modifiers)
    }

    func expect(_ marker: String, in source: MarkedSource, _ tokens: [SemanticToken], _ text: String,
                _ type: SemanticTokenType, _ modifiers: SemanticTokenModifiers = [],
                sourceLocation: SourceLocation = #_sourceLocation) {
        let found = token(at: marker, in: source, tokens)
        #expect(found?.0 == text, "text at \(marker)", sourceLocation: sourceLocation)
        #expect(found?.1 == type, "type of \(text)", sourceLocation: sourceLocation)
        #expect(found?.2 == modifiers, "modifiers of \(text)", sourceLocation: sourceLocation)
    }

    static let wat = MarkedSource("""
        (1️⃣module
          (memory 1)
          2️⃣;; a comment
          (func 3️⃣$add (param 4️⃣$a 5️⃣i32) (result i32) (local $t i32)
            local.get 6️⃣$a
            7️⃣i32.load 8️⃣offset=4
            block 9️⃣$done
              🔟br $done
            end)
          (func (export "f") (result i32) i32.const 7 call $add))
        """)

    @Test func watKeywordsTypesNamesAndInstructions() async throws {
        let source = Self.wat
        let tokens = try await watTokens(source)
        expect("1️⃣", in: source, tokens, "module", .keyword)
        expect("2️⃣", in: source, tokens, ";; a comment", .comment)
        expect("3️⃣", in: source, tokens, "$add", .function, .declaration)
        expect("4️⃣", in: source, tokens, "$a", .parameter, .declaration)
        expect("5️⃣", in: source, tokens, "i32", .type, .defaultLibrary)
        expect("6️⃣", in: source, tokens, "$a", .parameter)
        expect("7️⃣", in: source, tokens, "i32.load", .function, [.defaultLibrary, .memory])
        expect("8️⃣", in: source, tokens, "offset", .property)
        expect("9️⃣", in: source, tokens, "$done", .label, .declaration)
        expect("🔟", in: source, tokens, "br", .keyword, .control)
    }

    static let watMore = MarkedSource("""
        (module
          (type 1️⃣$sig (func (param i32)))
          (global 2️⃣$g (mut i32) (3️⃣i32.const 4️⃣42))
          (global $limit i32 (i32.const 8))
          (func (type $sig) (param $x i32) (local 5️⃣$unused i64)
            global.get 6️⃣$g
            global.get $limit
            local.get $x
            7️⃣i32.add
            drop
            (8️⃣@name "x")
            call 9️⃣$missing)
          (data (i32.const 0) 🔟"bytes"))
        """)

    @Test func watGlobalsNumbersStringsAnnotationsAndBrokenText() async throws {
        let source = Self.watMore
        let tokens = try await watTokens(source)
        expect("1️⃣", in: source, tokens, "$sig", .type, .declaration)
        expect("2️⃣", in: source, tokens, "$g", .variable, [.static, .declaration])
        expect("3️⃣", in: source, tokens, "i32.const", .function, [.defaultLibrary, .numeric])
        expect("4️⃣", in: source, tokens, "42", .number)
        expect("5️⃣", in: source, tokens, "$unused", .variable, .declaration)
        expect("6️⃣", in: source, tokens, "$g", .variable, .static)
        expect("7️⃣", in: source, tokens, "i32.add", .function, [.defaultLibrary, .numeric])
        let limit = tokens.filter { String(source.sourceFile[$0.range]) == "$limit" }
        #expect(limit.map(\.modifiers) == [[.static, .readonly, .declaration], [.static, .readonly]])
        expect("8️⃣", in: source, tokens, "@name", .decorator)
        // Unresolved: the instruction before it says it names a function.
        expect("9️⃣", in: source, tokens, "$missing", .function)
        expect("🔟", in: source, tokens, "\"bytes\"", .string)
        let sorted = zip(tokens, tokens.dropFirst()).allSatisfy { pair in pair.0.start + pair.0.length <= pair.1.start }
        #expect(sorted, "tokens are sorted and do not overlap")
    }

    @Test func watWithoutAnAnalysisIsClassifiedLexically() {
        // What a request gets while the analysis of a large file is still running.
        let source = MarkedSource("""
            (module
              (func 1️⃣$f (param 2️⃣$a i32) (local 3️⃣$l i32)
                local.get 4️⃣$a
                local.set 5️⃣$l
                call 6️⃣$f
                block 7️⃣$exit
                  br 8️⃣$exit
                end))
            """)
        let snapshot = DocumentSnapshot(uri: "file:///t.wat", language: .wat, version: 1, file: source.sourceFile)
        let tokens = WATService().semanticTokens(in: PlainAnalysis(snapshot: snapshot))
        expect("1️⃣", in: source, tokens, "$f", .function, .declaration)
        expect("2️⃣", in: source, tokens, "$a", .parameter, .declaration)
        expect("3️⃣", in: source, tokens, "$l", .variable, .declaration)
        expect("4️⃣", in: source, tokens, "$a", .parameter)
        expect("5️⃣", in: source, tokens, "$l", .variable)
        expect("6️⃣", in: source, tokens, "$f", .function)
        expect("7️⃣", in: source, tokens, "$exit", .label, .declaration)
        expect("8️⃣", in: source, tokens, "$exit", .label)
    }

    static let clif = MarkedSource("""
        function 1️⃣u0:0(i64 vmctx, i32) -> i32 tail {
            2️⃣gv0 = vmctx
            gv1 = load.i64 notrap aligned readonly gv0+8

        3️⃣block0(4️⃣v0: i64, v1: i32):
            5️⃣@0021 6️⃣v2 = 7️⃣iconst.8️⃣i32 1
            v3 = icmp 9️⃣eq v1, v2
            🔟brif v3, block1, block1
        }
        """)

    @Test func clifOpcodesEntitiesAndLocations() {
        let source = Self.clif
        let tokens = clifTokens(source)
        expect("1️⃣", in: source, tokens, "u0", .function)
        expect("2️⃣", in: source, tokens, "gv0", .variable, [.static, .declaration])
        expect("3️⃣", in: source, tokens, "block0", .label, .declaration)
        expect("4️⃣", in: source, tokens, "v0", .variable, .declaration)
        expect("5️⃣", in: source, tokens, "@0021", .decorator)
        expect("6️⃣", in: source, tokens, "v2", .variable, .declaration)
        expect("7️⃣", in: source, tokens, "iconst", .function, [.defaultLibrary, .numeric])
        expect("8️⃣", in: source, tokens, "i32", .type, .defaultLibrary)
        expect("9️⃣", in: source, tokens, "eq", .enumMember)
        expect("🔟", in: source, tokens, "brif", .keyword, .control)
        let load = tokens.first { String(source.sourceFile[$0.range]) == "load" }
        #expect(load?.type == .keyword, "a preamble `load` is no opcode")
        let notrap = tokens.first { String(source.sourceFile[$0.range]) == "notrap" }
        #expect(notrap?.type == .modifier)
    }

    @Test func encodingIsRelativeAndCountsUTF16() {
        // `é` is one UTF-16 unit but two bytes; `😀` two units and four bytes.
        let source = MarkedSource("(; é 😀\nsecond ;) 1️⃣$x")
        let file = source.sourceFile
        let tokens = [SemanticToken(TextRange(start: 0, end: source["1️⃣"] - 1), .comment),
                      SemanticToken(TextRange(start: source["1️⃣"], end: source["1️⃣"] + 2), .variable, .declaration)]
        let utf16 = SemanticTokenEncoder.encode(tokens, in: file, encoding: .utf16)
        // The comment spans two lines and is split; `$x` follows on line 1.
        #expect(utf16.integers == [0, 0, 7, SemanticTokenType.comment.rawValue.u32, 0,
                                   1, 0, 9, SemanticTokenType.comment.rawValue.u32, 0,
                                   0, 10, 2, SemanticTokenType.variable.rawValue.u32, 1])
        #expect(utf16.continuesToken(1) && !utf16.continuesToken(0) && !utf16.continuesToken(2))
        let utf8 = SemanticTokenEncoder.encode(tokens, in: file, encoding: .utf8)
        #expect(Array(utf8.integers.prefix(3)) == [0, 0, 10])
        let ranged = SemanticTokenEncoder.integers(of: utf16, in: file, encoding: .utf16,
                                                   meeting: TextRange(start: source["1️⃣"], end: file.utf8.count))
        #expect(ranged == [1, 10, 2, SemanticTokenType.variable.rawValue.u32, 1])
        // A range inside the comment's second line sends the whole comment, both pieces.
        let inComment = SemanticTokenEncoder.integers(of: utf16, in: file, encoding: .utf16,
                                                      meeting: TextRange(start: source["1️⃣"] - 4, end: source["1️⃣"] - 3))
        #expect(inComment == [0, 0, 7, SemanticTokenType.comment.rawValue.u32, 0, 1, 0, 9, SemanticTokenType.comment.rawValue.u32, 0])
    }

    @Test func deltaIsOneEditBetweenCommonPrefixAndSuffix() {
        func data(_ lengths: [Int]) -> SemanticTokenData {
            var data = SemanticTokenData()
            for (line, length) in lengths.enumerated() {
                data.append(line: line, character: 0, length: length, type: 0, modifiers: 0, continuesToken: false)
            }
            return data
        }
        let edit = SemanticTokenData.difference(from: data([1, 2, 3]), to: data([1, 9, 9, 3]))
        // Integers 0-4 and the last 7 agree; the middle line's length becomes a line of length 9 twice.
        #expect(edit?.start == 7 && edit?.deleteCount == 1 && edit?.insertCount == 6)
        if let edit {
            var inserted: [UInt32] = []
            data([1, 9, 9, 3]).forEach(from: edit.insertOffset, limit: edit.insertCount) { inserted.append($0) }
            #expect(inserted == [9, 0, 0, 1, 0, 9])
        }
        #expect(SemanticTokenData.difference(from: data([1, 2]), to: data([1, 2])) == nil)
    }
}

extension UInt8 {
    var u32: UInt32 { UInt32(self) }
}
