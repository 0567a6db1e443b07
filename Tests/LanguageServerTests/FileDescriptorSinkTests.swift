#if canImport(Glibc)
import Glibc
#endif
import Testing
import JSON
import Synchronization
@testable import LanguageServer

/// Reads messages from `descriptor` until `count` have arrived (or the input ends) on a thread of
/// its own: a blocking read on a thread of the small concurrency pool could starve the tests
/// running beside it. `gate`, when given, holds the reading back until it opens.
func readMessages(_ count: Int, from descriptor: Int32, after gate: TestGate? = nil) async -> [[UInt8]] {
    let reading = MessageReading(count: count, descriptor: descriptor, gate: gate)
    let context = Unmanaged.passRetained(reading).toOpaque()
    var thread = pthread_t()
    let started = pthread_create(&thread, nil, { context in
        Unmanaged<MessageReading>.fromOpaque(context!).takeRetainedValue().run()
        return nil
    }, context)
    guard started == 0 else {
        Unmanaged<MessageReading>.fromOpaque(context).release()
        return []
    }
    pthread_detach(thread)
    var bodies = reading.finished
    while bodies == nil {
        try? await Task.sleep(for: .milliseconds(1))
        bodies = reading.finished
    }
    return bodies ?? []
}

/// One `readMessages` run: what it reads, and its result once done.
private final class MessageReading: Sendable {
    let count: Int
    let descriptor: Int32
    let gate: TestGate?
    private let result = Mutex<[[UInt8]]?>(nil)

    init(count: Int, descriptor: Int32, gate: TestGate?) {
        self.count = count
        self.descriptor = descriptor
        self.gate = gate
    }

    var finished: [[UInt8]]? { result.withLock { $0 } }

    func run() {
        // A blocked sender fails the test after 60 s instead of hanging it.
        gate?.waitUntilOpen(timeout: .seconds(60))
        var framer = MessageFramer()
        var bodies: [[UInt8]] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while bodies.count < count {
            let read = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            guard read > 0 else { break }
            framer.append(buffer[0..<read])
            while case .message(let body)? = framer.next() { bodies.append(body) }
        }
        result.withLock { $0 = bodies }
    }
}

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

        let bodies = await readMessages(4, from: readEnd)
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

    @Test func aSenderNeverWaitsForTheClientToRead() async throws {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        let (readEnd, writeEnd) = (ends[0], ends[1])
        defer { close(readEnd); close(writeEnd) }
        let sink = FileDescriptorSink(descriptor: writeEnd)
        let reading = TestGate()
        async let bodies = readMessages(2, from: readEnd, after: reading)
        // Sixteen times the pipe's buffer: written only as the client reads. A sender that waited
        // for the client would wait out the reader's 60 s gate; the bounds below leave room for a
        // loaded machine, where the test's own tasks may wait seconds for a thread.
        let start = ContinuousClock.now
        sink.send(["id": 1, "result": .string(String(repeating: "x", count: 1 << 20))])
        sink.send(["id": 2, "result": "small"])
        let sending = ContinuousClock.now - start
        await sink.flush(timeout: .milliseconds(200))
        let flushing = ContinuousClock.now - start - sending
        reading.open()
        #expect(sending < .seconds(30), "send waited for the client")
        #expect(flushing < .seconds(30), "flush did not give up on a client that does not read")
        #expect(await bodies.count == 2)
    }
}
