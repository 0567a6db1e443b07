#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import JSON
import Synchronization

/// Writes framed messages to a file descriptor (stdout) in the order they were sent, each whole,
/// on a thread of its own: a sender never waits for the client to read (a whole generated
/// document is tens of MiB), and no thread of the concurrency pool blocks on the pipe. A message
/// is written straight from json-c's buffer, its header beside it (no framed copy).
public final class FileDescriptorSink: MessageSink {
    private let descriptor: Int32
    private let outbox = Outbox()

    /// Messages waiting for the writer thread, and whether it is writing one.
    private final class Outbox: Sendable {
        struct State {
            /// Rarely more than a few: written as fast as the client reads.
            var waiting: [SerializedJSON] = []
            var writing = false
        }

        let state = Mutex(State())
        let ready = DispatchSemaphore(value: 0)

        func push(_ message: SerializedJSON) {
            state.withLock { $0.waiting.append(message) }
            ready.signal()
        }

        /// The oldest waiting message, marked as being written; blocks until there is one.
        func pop() -> SerializedJSON {
            ready.wait()
            return state.withLock { state in
                // Taken out, so that the writer holds the only reference and frees it once written.
                state.writing = true
                return state.waiting.removeFirst()
            }
        }

        func finishedWriting() {
            state.withLock { $0.writing = false }
        }

        var isIdle: Bool {
            state.withLock { !$0.writing && $0.waiting.isEmpty }
        }
    }

    /// What the writer thread owns.
    private final class Writer: Sendable {
        let descriptor: Int32
        let outbox: Outbox

        init(descriptor: Int32, outbox: Outbox) {
            self.descriptor = descriptor
            self.outbox = outbox
        }

        func run() -> Never {
            while true {
                let size = writeNext()
                // Its buffer is freed by now.
                if size >= MemoryRelease.largeMessage { MemoryRelease.afterLargeMessage() }
                outbox.finishedWriting()
            }
        }

        private func writeNext() -> Int {
            let message = outbox.pop()
            message.withBytes { FileDescriptorSink.writeFramed($0, to: descriptor) }
            return message.count
        }
    }

    /// Whether the writer thread runs; without it, messages are written by the sender.
    private let threaded: Bool

    public init(descriptor: Int32 = 1) {
        self.descriptor = descriptor
        let writer = Unmanaged.passRetained(Writer(descriptor: descriptor, outbox: outbox)).toOpaque()
        var thread = pthread_t()
        let started = pthread_create(&thread, nil, { context in
            Unmanaged<Writer>.fromOpaque(context!).takeRetainedValue().run()
        }, writer)
        if started == 0 {
            pthread_detach(thread)
        } else {
            Unmanaged<Writer>.fromOpaque(writer).release()
        }
        threaded = started == 0
    }

    public func send(_ message: JSONValue) {
        guard let text = SerializedJSON(message) else { return }
        send(serialized: text)
    }

    public func send(serialized message: SerializedJSON) {
        if threaded {
            outbox.push(message)
        } else {
            // Whole messages only, even when several tasks answer at once.
            outbox.state.withLock { _ in message.withBytes { FileDescriptorSink.writeFramed($0, to: descriptor) } }
        }
    }

    /// Waits until every message sent so far has been written (or `timeout` passed): before the
    /// process exits.
    public func flush(timeout: Duration = .seconds(10)) async {
        let deadline = ContinuousClock.now + timeout
        while !outbox.isIdle, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(1))
        }
    }

    /// Writes `Content-Length: N\r\n\r\n` and the body with as few system calls as the pipe
    /// allows; gives up silently when the client is gone (the reader then sees end of input).
    static func writeFramed(_ body: UnsafeRawBufferPointer, to descriptor: Int32) {
        var header = Array("Content-Length: \(body.count)\r\n\r\n".utf8)
        let total = header.count + body.count
        var done = 0
        while done < total {
            let written: Int
            if done < header.count {
                written = header.withUnsafeMutableBytes { head in
                    var pieces = [
                        iovec(iov_base: head.baseAddress! + done, iov_len: head.count - done),
                        iovec(iov_base: UnsafeMutableRawPointer(mutating: body.baseAddress), iov_len: body.count),
                    ]
                    return writev(descriptor, &pieces, body.isEmpty ? 1 : 2)
                }
            } else {
                written = write(descriptor, body.baseAddress! + (done - header.count), total - done)
            }
            if written < 0 {
                if errno == EINTR { continue }
                return
            }
            done += written
        }
    }
}
