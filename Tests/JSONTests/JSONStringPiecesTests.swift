import Testing
@testable import JSON

/// `.stringPieces` must write exactly what `.string` of the joined pieces writes.
@Suite struct JSONStringPiecesTests {
    private func pieces(_ strings: [String]) -> JSONValue {
        .stringPieces(JSONStringPieces(strings.map { Array($0.utf8) }))
    }

    @Test func everyASCIICharacterIsWrittenLikeAString() throws {
        let specials = (0..<0x80).map { String(UnicodeScalar(UInt8($0))) }
        let text = specials.joined()
        let value = pieces(specials)
        #expect(value.serialized() == JSONValue.string(text).serialized())
        #expect(value.serialized().hasPrefix(#""\u0000\u0001"#))
        #expect(value.serialized().contains(#"\n"#) && value.serialized().contains(#"\""#) && value.serialized().contains(#"\\"#))
        #expect(try JSONValue.parse(value.serializedBytes()) == .string(text))
    }

    @Test func nonASCIIIsWrittenAsUTF8() throws {
        let value = pieces(["héllo ", "𝄞 € ", "日本"])
        #expect(value.serialized() == "\"héllo 𝄞 € 日本\"")
        #expect(try JSONValue.parse(value.serializedBytes()) == .string("héllo 𝄞 € 日本"))
    }

    @Test func piecesMaySplitAMultibyteCharacter() throws {
        let bytes = Array("a𝄞é\"b".utf8)
        for cut in 0...bytes.count {
            let value = JSONValue.stringPieces(JSONStringPieces([Array(bytes[..<cut]), Array(bytes[cut...])]))
            #expect(value.serializedBytes() == JSONValue.string("a𝄞é\"b").serializedBytes(), "cut at \(cut)")
        }
        let oneBytePieces = JSONValue.stringPieces(JSONStringPieces(bytes.map { [$0] }))
        #expect(try JSONValue.parse(oneBytePieces.serializedBytes()) == .string("a𝄞é\"b"))
    }

    @Test func emptyPiecesAndNoPieces() {
        #expect(pieces([]).serialized() == #""""#)
        #expect(pieces(["", "", ""]).serialized() == #""""#)
        #expect(pieces(["", "x", "", "\n", ""]).serialized() == #""x\n""#)
    }

    @Test func piecesLongerThanOneSliceAreEscapedWhole() throws {
        // Escapes right at and around the slice boundary, and a multibyte character across it.
        let length = JSONStringPieces.sliceLength
        var bytes = [UInt8](repeating: UInt8(ascii: "x"), count: 3 * length + 17)
        for offset in [length - 1, length, length + 1, 2 * length] { bytes[offset] = UInt8(ascii: "\n") }
        bytes[2 * length - 1] = UInt8(ascii: "\"")
        bytes.replaceSubrange(3 * length - 2..<3 * length + 2, with: Array("𝄞".utf8))
        let value = JSONValue.stringPieces(JSONStringPieces([bytes, Array("\\".utf8)]))
        let expected = JSONValue.string(String(decoding: bytes, as: UTF8.self) + "\\")
        #expect(value.serializedBytes() == expected.serializedBytes())
    }

    @Test func insideAMessageLikeAString() throws {
        let text = "; header\nfunction u0:0() {\n\tblock0:\n}\n"
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0 + "\n" }.map(String.init)
        let viaPieces: JSONValue = ["jsonrpc": "2.0", "id": 7, "result": ["uri": "clifford-clif:/a.wat", "text": pieces(Array(lines.dropLast()))]]
        let viaString: JSONValue = ["jsonrpc": "2.0", "id": 7, "result": ["uri": "clifford-clif:/a.wat", "text": .string(text)]]
        #expect(viaPieces.serialized() == viaString.serialized())
        #expect(viaPieces == viaString)
        #expect(viaPieces.hashValue == viaString.hashValue)
        #expect(viaPieces["result"]?["text"]?.stringValue == text)
    }

    @Test func aPieceMayBeReadAgain() {
        let value = pieces(["a", "b"])
        #expect(value.serialized() == value.serialized())
        #expect(value.stringValue == "ab")
    }

    @Test func aStoppedProducerWritesNoText() {
        let stopping = JSONValue.stringPieces(JSONStringPieces(count: 3) { $0 == 1 ? nil : Array("ok".utf8) })
        #expect(SerializedJSON(["result": ["text": stopping]]) == nil)
        #expect(stopping.stringValue == nil)
        #expect(stopping != .string("okok"))
        let written = SerializedJSON(["result": ["text": pieces(["ok"])]])
        #expect(written?.withBytes { Array($0) } == Array(#"{"result":{"text":"ok"}}"#.utf8))
    }

    @Test func serializedTextIsReadInPlace() throws {
        let value: JSONValue = ["a": [1, 2, "x"], "b": .null]
        let text = try #require(SerializedJSON(value))
        #expect(text.withBytes { Array($0) } == value.serializedBytes())
        #expect(text.count == value.serializedBytes().count)
        #expect(SerializedJSON(.null)?.withBytes { Array($0) } == Array("null".utf8))
    }

    @Test func aWrittenMessageLetsGoOfItsProducer() {
        final class State: Sendable { let text = Array("abc".utf8) }
        weak var watched: State?
        let written: SerializedJSON? = {
            let state = State()
            watched = state
            return SerializedJSON(["text": .stringPieces(JSONStringPieces(count: 1) { _ in state.text })])
        }()
        #expect(watched == nil, "the message keeps the producer's state alive")
        #expect(written?.withBytes { Array($0) } == Array(#"{"text":"abc"}"#.utf8))
    }

    @Test func aValueStaysAsSmallAsAStringAndATag() {
        // Arrays of millions of values (semantic tokens) pay for every byte of it: the pieces are
        // one reference, not a count and a closure inline.
        #expect(MemoryLayout<JSONValue>.size <= MemoryLayout<String>.size + 1)
        #expect(MemoryLayout<JSONValue>.stride <= 24)
    }
}
