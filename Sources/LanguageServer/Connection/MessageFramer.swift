/// Splits a byte stream into LSP message bodies using the base protocol's headers
/// (`Content-Length`, optionally `Content-Type`, each line ending in `\r\n`, a blank line before
/// the body). Bytes may arrive in any chunking. A header block that cannot be read is reported
/// and skipped up to the next `Content-Length`, so one bad message never wedges the connection.
public struct MessageFramer: Sendable {
    /// What the framer found next in the stream.
    public enum Event: Sendable, Equatable {
        /// A complete message body.
        case message([UInt8])
        /// A header block that could not be read; the framer has already skipped past it.
        case headerError(String)
    }

    /// Largest header block accepted before the framer gives up on it and resynchronises.
    static let maximumHeaderLength = 8 * 1024
    /// Largest body accepted (1 GiB): a larger `Content-Length` is treated as a bad header.
    static let maximumBodyLength = 1 << 30

    private var buffer: [UInt8] = []
    private var readIndex = 0
    /// Set while waiting for the rest of a body whose header was already read.
    private var pendingBodyLength: Int?

    public init() {}

    /// Adds bytes read from the stream.
    public mutating func append(_ bytes: some Sequence<UInt8>) {
        buffer.append(contentsOf: bytes)
    }

    /// The next message or header error, or nil when more bytes are needed.
    public mutating func next() -> Event? {
        if let length = pendingBodyLength {
            guard buffer.count - readIndex >= length else { return nil }
            let body = Array(buffer[readIndex..<readIndex + length])
            readIndex += length
            pendingBodyLength = nil
            compact()
            return .message(body)
        }
        guard readIndex < buffer.count else {
            compact()
            return nil
        }
        guard let headerEnd = findHeaderEnd() else {
            if buffer.count - readIndex > MessageFramer.maximumHeaderLength {
                skipToNextHeader()
                return .headerError("no end of header within \(MessageFramer.maximumHeaderLength) bytes")
            }
            return nil
        }
        switch parseHeaders(readIndex..<headerEnd) {
        case .success(let length):
            readIndex = headerEnd + 4
            pendingBodyLength = length
            return next()
        case .failure(let reason):
            skipToNextHeader()
            return .headerError(reason.message)
        }
    }

    private struct HeaderProblem: Error {
        var message: String
    }

    private func findHeaderEnd() -> Int? {
        var index = readIndex
        let limit = buffer.count - 3
        while index < limit {
            if buffer[index] == 0x0D && buffer[index + 1] == 0x0A && buffer[index + 2] == 0x0D && buffer[index + 3] == 0x0A {
                return index
            }
            index += 1
        }
        return nil
    }

    private func parseHeaders(_ range: Range<Int>) -> Result<Int, HeaderProblem> {
        let text = String(decoding: buffer[range], as: UTF8.self)
        var contentLength: Int?
        for line in text.split(separator: "\r\n", omittingEmptySubsequences: false) {
            guard let colon = line.firstIndex(of: ":") else {
                return .failure(HeaderProblem(message: "malformed header line \"\(line.prefix(80))\""))
            }
            let name = line[..<colon].trimmingSpaces().lowercased()
            let value = line[line.index(after: colon)...].trimmingSpaces()
            switch name {
            case "content-length":
                guard let length = Int(value), length >= 0, length <= MessageFramer.maximumBodyLength else {
                    return .failure(HeaderProblem(message: "invalid Content-Length \"\(value.prefix(40))\""))
                }
                contentLength = length
            case "content-type":
                continue
            default:
                // Unknown headers are allowed by the base protocol; ignore them.
                continue
            }
        }
        guard let contentLength else {
            return .failure(HeaderProblem(message: "header without Content-Length"))
        }
        return .success(contentLength)
    }

    /// Drops bytes up to the next `Content-Length` after the current position, keeping a tail
    /// that might be the start of one.
    private mutating func skipToNextHeader() {
        let needle = Array("content-length".utf8)
        var index = readIndex + 1
        while index + needle.count <= buffer.count {
            if matchesIgnoringCase(needle, at: index) {
                readIndex = index
                compact()
                return
            }
            index += 1
        }
        readIndex = max(readIndex + 1, buffer.count - (needle.count - 1))
        compact()
    }

    private func matchesIgnoringCase(_ needle: [UInt8], at index: Int) -> Bool {
        for offset in 0..<needle.count {
            var byte = buffer[index + offset]
            if byte >= 0x41 && byte <= 0x5A { byte += 0x20 }
            if byte != needle[offset] { return false }
        }
        return true
    }

    /// Releases consumed bytes once they make up most of the buffer.
    private mutating func compact() {
        if readIndex == buffer.count {
            // A large message (a whole document) must not keep its buffer resident for good.
            buffer.removeAll(keepingCapacity: buffer.capacity <= 1 << 20)
            readIndex = 0
        } else if readIndex > 64 * 1024 && readIndex * 2 > buffer.count {
            buffer.removeSubrange(0..<readIndex)
            readIndex = 0
        }
    }
}

extension Substring {
    fileprivate func trimmingSpaces() -> Substring {
        var result = self
        while let first = result.first, first == " " || first == "\t" { result.removeFirst() }
        while let last = result.last, last == " " || last == "\t" { result.removeLast() }
        return result
    }
}
