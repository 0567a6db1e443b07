#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file descriptor (stdin) on a dedicated thread, so blocking reads never hold a thread
/// of the concurrency pool, and delivers the chunks in order. The stream ends at end of input.
/// The thread is a plain POSIX thread: the server links no Foundation (its libraries alone would
/// add several MiB of resident memory).
public enum StdinReader {
    public static func chunks(descriptor: Int32 = 0) -> AsyncStream<[UInt8]> {
        let (stream, continuation) = AsyncStream.makeStream(of: [UInt8].self, bufferingPolicy: .unbounded)
        let reader = Reader(descriptor: descriptor, continuation: continuation)
        let context = Unmanaged.passRetained(reader).toOpaque()
        var thread = pthread_t()
        let started = pthread_create(&thread, nil, { context in
            let reader = Unmanaged<Reader>.fromOpaque(context!).takeRetainedValue()
            reader.run()
            return nil
        }, context)
        if started == 0 {
            pthread_detach(thread)
        } else {
            Unmanaged<Reader>.fromOpaque(context).release()
            continuation.finish()
        }
        return stream
    }

    /// What the reading thread owns.
    private final class Reader: Sendable {
        let descriptor: Int32
        let continuation: AsyncStream<[UInt8]>.Continuation

        init(descriptor: Int32, continuation: AsyncStream<[UInt8]>.Continuation) {
            self.descriptor = descriptor
            self.continuation = continuation
        }

        func run() {
            var buffer = [UInt8](repeating: 0, count: 64 * 1024)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                if count > 0 {
                    continuation.yield(Array(buffer[0..<count]))
                } else if count < 0 && errno == EINTR {
                    continue
                } else {
                    break
                }
            }
            continuation.finish()
        }
    }
}
