#if canImport(Glibc)
import Glibc
#endif
import Testing
import JSON
@testable import LanguageServer

/// The writer thread frames each message whole and in order, straight from json-c's buffer.
@Suite struct FileDescriptorSinkTests {
    @Test func framesMessagesInOrderIncludingALargeOne() async throws {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        let (readEnd, writeEnd) = (ends[0], ends[1])
        let sink = FileDescriptorSink(descriptor: writeEnd)
        // Larger than the pipe's buffer, so the writer blocks until the reader catches up.
        let line = Array("v0 = iconst.i32 \"quoted\" \\ é\n".utf8)
        let large = JSONValue.stringPieces(JSONStringPieces(count: 40_000) { _ in line })
        let messages: [JSONValue] = [
            ["jsonrpc": "2.0", "id": 1, "result": .null],
            ["jsonrpc": "2.0", "id": 2, "result": ["text": large]],
            ["jsonrpc": "2.0", "method": "note", "params": ["n": 3]],
        ]
        for message in messages { sink.send(message) }
        sink.send(serialized: try #require(SerializedJSON(["jsonrpc": "2.0", "id": 4, "result": "last"])))

        let reader = Task.detached { () -> [[UInt8]] in
            var framer = MessageFramer()
            var bodies: [[UInt8]] = []
            var buffer = [UInt8](repeating: 0, count: 64 * 1024)
            while bodies.count < 4 {
                let count = buffer.withUnsafeMutableBytes { read(readEnd, $0.baseAddress, $0.count) }
                guard count > 0 else { break }
                framer.append(buffer[0..<count])
                while case .message(let body)? = framer.next() { bodies.append(body) }
            }
            return bodies
        }
        let bodies = await reader.value
        await sink.flush()
        close(readEnd)
        close(writeEnd)
        #expect(bodies.count == 4)
        guard bodies.count == 4 else { return }
        for (body, message) in zip(bodies, messages) {
            #expect(body == message.serializedBytes())
        }
        #expect(try JSONValue.parse(bodies[1])["result"]?["text"]?.stringValue?.utf8.count == 40_000 * line.count)
        #expect(try JSONValue.parse(bodies[3])["result"] == "last")
    }
}
