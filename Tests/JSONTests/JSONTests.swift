import Testing
@testable import JSON

@Suite struct JSONParsingTests {
    @Test func scalars() throws {
        #expect(try JSONValue.parse("null") == .null)
        #expect(try JSONValue.parse("true") == .bool(true))
        #expect(try JSONValue.parse(" false ") == .bool(false))
        #expect(try JSONValue.parse("42") == .int(42))
        #expect(try JSONValue.parse("-9223372036854775808") == .int(Int64.min))
        #expect(try JSONValue.parse("9223372036854775807") == .int(Int64.max))
        #expect(try JSONValue.parse("1.5") == .double(1.5))
        #expect(try JSONValue.parse("-2.5e3") == .double(-2500))
    }

    @Test func integersBeyondInt64BecomeDoubles() throws {
        let value = try JSONValue.parse("18446744073709551615")
        #expect(value == .double(18446744073709551615.0))
    }

    @Test func everyEscape() throws {
        let value = try JSONValue.parse(#""\" \\ \/ \b \f \n \r \t \u0041 \u00e9 \u20ac""#)
        #expect(value == .string("\" \\ / \u{8} \u{c} \n \r \t A é €"))
    }

    @Test func surrogatePairs() throws {
        #expect(try JSONValue.parse(#""\ud83d\ude00""#) == .string("😀"))
        #expect(try JSONValue.parse(#""\uD834\uDD1E x""#) == .string("𝄞 x"))
    }

    @Test func embeddedNulKeepsLength() throws {
        let value = try JSONValue.parse(#""a\u0000b""#)
        #expect(value == .string("a\u{0}b"))
        #expect(value.stringValue?.utf8.count == 3)
    }

    @Test func rawUTF8IsKept() throws {
        #expect(try JSONValue.parse("\"héllo 𝄞\"") == .string("héllo 𝄞"))
    }

    @Test func objectsKeepOrder() throws {
        let value = try JSONValue.parse(#"{"b": 1, "a": [1, 2, {"c": null}], "d": {}}"#)
        #expect(value.objectValue?.keys == ["b", "a", "d"])
        #expect(value["a"]?[2]?["c"] == .null)
        #expect(value["d"] == .object(JSONObject()))
    }

    @Test func invalidUTF8IsRejected() {
        let bytes: [UInt8] = [0x22, 0xC3, 0x28, 0x22]
        #expect(throws: JSONError.self) { try JSONValue.parse(bytes) }
    }

    @Test func emptyInputIsAnError() {
        #expect(throws: JSONError("empty input", offset: 0)) { try JSONValue.parse("") }
        #expect(throws: JSONError.self) { try JSONValue.parse("   \n") }
    }

    @Test func trailingGarbageIsAnError() throws {
        do {
            _ = try JSONValue.parse(#"{"a": 1} x"#)
            Issue.record("trailing garbage accepted")
        } catch {
            #expect(error.offset == 9)
        }
        #expect(try JSONValue.parse("{\"a\": 1}  \r\n") == ["a": 1])
    }

    @Test func truncatedInputIsAnError() {
        #expect(throws: JSONError.self) { try JSONValue.parse(#"{"a": [1, 2"#) }
        #expect(throws: JSONError.self) { try JSONValue.parse(#"{"a" 1}"#) }
        #expect(throws: JSONError.self) { try JSONValue.parse("[1,]") }
        #expect(throws: JSONError.self) { try JSONValue.parse("'single'") }
    }

    @Test func deepNestingWithinLimitParses() throws {
        let depth = 400
        let text = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        var value = try JSONValue.parse(text)
        var levels = 0
        while case .array(let inner) = value, let first = inner.first {
            value = first
            levels += 1
        }
        #expect(levels == depth - 1)
    }

    @Test func nestingBeyondLimitIsAClearError() {
        let depth = 1_000_000
        let text = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        do {
            _ = try JSONValue.parse(text)
            Issue.record("a million levels of nesting were accepted")
        } catch {
            #expect(error.message == "JSON nested deeper than 512 levels")
        }
    }
}

@Suite struct JSONSerializationTests {
    @Test func compactOutput() {
        let value: JSONValue = ["jsonrpc": "2.0", "id": 1, "result": ["a/b": [true, .null, 1.5]]]
        #expect(value.serialized() == #"{"jsonrpc":"2.0","id":1,"result":{"a/b":[true,null,1.5]}}"#)
    }

    @Test func escapesControlCharactersAndQuotes() throws {
        let value: JSONValue = .string("a\"b\\c\n\u{1}\u{0}é😀")
        let text = value.serialized()
        #expect(!text.contains("\n"))
        #expect(try JSONValue.parse(text) == value)
    }

    @Test func numbersRoundTrip() throws {
        for number: Double in [0.1, -1e-300, 1e300, 123456789.125, 3.0, -0.5] {
            let text = JSONValue.double(number).serialized()
            #expect(try JSONValue.parse(text) == .double(number), "\(number) printed as \(text)")
        }
        #expect(JSONValue.double(0.1).serialized() == "0.1")
        #expect(JSONValue.int(Int64.min).serialized() == "-9223372036854775808")
    }

    @Test func longIntegerArraysPrintEveryNumber() throws {
        let numbers: [Int64] = [0, 1, -1, 9, 10, -10, 123_456_789, Int64.max, Int64.min]
            + (0..<100).map { Int64($0 * 7919 - 300_000) }
        let array = JSONValue.array(numbers.map(JSONValue.int))
        let expected = "[" + numbers.map(String.init).joined(separator: ",") + "]"
        #expect(array.serialized() == expected)
        let message: JSONValue = ["result": ["data": array, "resultId": "1"]]
        #expect(message.serialized() == #"{"result":{"data":"# + expected + #","resultId":"1"}}"#)
        #expect(try JSONValue.parse(message.serialized()) == message)
        let mixed = JSONValue.array(numbers.map(JSONValue.int) + [.double(0.5)])
        #expect(mixed.serialized() == "[" + numbers.map(String.init).joined(separator: ",") + ",0.5]")
    }

    @Test func nonFiniteNumbersBecomeNull() {
        #expect(JSONValue.double(.nan).serialized() == "null")
        #expect(JSONValue.double(.infinity).serialized() == "null")
    }

    @Test func roundTripOfNestedValue() throws {
        let value: JSONValue = [
            "method": "textDocument/didChange",
            "params": ["contentChanges": [["range": ["start": ["line": 0, "character": 3]], "text": "x\u{2028}y"]]],
        ]
        #expect(try JSONValue.parse(value.serialized()) == value)
    }
}
