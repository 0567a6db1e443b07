#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import JSON
import Synchronization

/// Writes framed messages to a file descriptor (stdout), one whole message at a time even when
/// several tasks answer at once.
public final class FileDescriptorSink: MessageSink {
    private let descriptor: Mutex<Int32>

    public init(descriptor: Int32 = 1) {
        self.descriptor = Mutex(descriptor)
    }

    public func send(_ message: JSONValue) {
        let framed = MessageFramer.frame(message.serializedBytes())
        descriptor.withLock { fd in
            framed.withUnsafeBytes { bytes in
                var offset = 0
                while offset < bytes.count {
                    let written = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                    if written < 0 {
                        if errno == EINTR { continue }
                        return  // The client is gone; the reader will see end of input.
                    }
                    offset += written
                }
            }
        }
        if framed.count >= MemoryRelease.largeMessage { MemoryRelease.afterLargeMessage() }
    }
}
