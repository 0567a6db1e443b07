import Testing
@testable import JSON

/// `.integers` must write exactly what `.array` of the same integers writes, and equal it.
@Suite struct JSONIntegersTests {
    private func both(_ values: [Int64]) -> (integers: JSONValue, array: JSONValue) {
        (.integers(JSONIntegers(values)), .array(values.map { .int($0) }))
    }

    @Test func writtenLikeAnArrayOfIntegers() throws {
        let extremes: [Int64] = [0, 1, -1, 9, 10, 99, 100, 4_294_967_295, -4_294_967_296, 999_999_999_999_999_999,
                                 1_000_000_000_000_000_000, Int64.max, Int64.min, Int64.min + 1]
        for values in [[], [7], extremes, Array(0...1000).map { Int64($0) }] {
            let (integers, array) = both(values)
            #expect(integers.serialized() == array.serialized(), "\(values.prefix(20))")
            #expect(try JSONValue.parse(integers.serializedBytes()) == array)
        }
        #expect(both([]).integers.serialized() == "[]")
        #expect(both(extremes).integers.serialized().hasSuffix(",9223372036854775807,-9223372036854775808,-9223372036854775807]"))
    }

    @Test func chunksOfAnySizeMakeOneArray() throws {
        let values: [Int64] = [5, 10, 200, -3, 0, 77]
        let bounds = [0, 1, 1, 4, 6]
        let split = JSONIntegers(count: values.count) { body in
            for cut in 0..<bounds.count - 1 { values[bounds[cut]..<bounds[cut + 1]].withUnsafeBufferPointer(body) }
        }
        #expect(JSONValue.integers(split).serialized() == "[5,10,200,-3,0,77]")
        #expect(JSONValue.integers(split) == JSONValue.array(values.map { .int($0) }))
    }

    @Test func longerThanOneChunk() throws {
        // About four chunks of text, with numbers of every length across the chunk boundaries.
        let values: [Int64] = (0..<60_000).map { (index: Int) -> Int64 in
            index % 7 == 0 ? Int64(index) * 1_000_003 : Int64(index % 100)
        }
        let (integers, array) = both(values)
        #expect(integers.serializedBytes().count > 3 * JSONIntegers.chunkLength)
        #expect(integers.serializedBytes() == array.serializedBytes())
    }

    @Test func insideAMessageEqualToTheArray() {
        let (integers, array) = both([0, 0, 7, 10, 0, 1, 2, 3, 8, 1])
        let viaIntegers: JSONValue = ["jsonrpc": "2.0", "id": 3, "result": ["resultId": "4", "data": integers]]
        let viaArray: JSONValue = ["jsonrpc": "2.0", "id": 3, "result": ["resultId": "4", "data": array]]
        #expect(viaIntegers.serialized() == viaArray.serialized())
        #expect(viaIntegers == viaArray)
        #expect(viaIntegers.hashValue == viaArray.hashValue)
        #expect(integers.arrayValue == array.arrayValue)
        #expect(integers[2] == .int(7))
        #expect(integers != JSONValue.array([0, 0, 7]))
    }

    @Test func producedEachTimeItIsWrittenAndAfterwardsLetGo() {
        final class Source: Sendable {}
        weak var released: Source?
        var message: SerializedJSON?
        do {
            let source = Source()
            released = source
            let value: JSONValue = ["data": .integers(JSONIntegers(count: 2) { body in
                withExtendedLifetime(source) { [Int64(1), 2].withUnsafeBufferPointer(body) }
            })]
            #expect(value.serialized() == value.serialized())
            message = SerializedJSON(value)
        }
        #expect(message?.withBytes { String(decoding: $0, as: UTF8.self) } == #"{"data":[1,2]}"#)
        #expect(released == nil, "a serialized message no longer holds the integers' source")
    }
}
