/// A JSON array of integers produced while it is written, a buffer at a time, so that millions
/// of them (a large document's semantic tokens) go from a compact source straight into the
/// output buffer without becoming `JSONValue`s. Equal to the `.array` of its integers. A class,
/// so that `JSONValue` stays as small as a String (one reference).
public final class JSONIntegers: Sendable {
    /// How many integers the chunks hold together.
    public let count: Int
    private let produce: @Sendable (_ body: (UnsafeBufferPointer<Int64>) -> Void) -> Void

    /// - Parameters:
    ///   - count: the number of integers all chunks hold together.
    ///   - chunks: calls its argument with consecutive buffers of the integers, in order, each
    ///     valid only during that call; it may be called more than once.
    public init(count: Int, chunks: @escaping @Sendable (_ body: (UnsafeBufferPointer<Int64>) -> Void) -> Void) {
        self.count = max(0, count)
        self.produce = chunks
    }

    /// Fixed integers, in one chunk.
    public convenience init(_ values: [Int64]) {
        self.init(count: values.count) { body in values.withUnsafeBufferPointer(body) }
    }

    /// Calls `body` with consecutive buffers of the integers, in order.
    public func forEachChunk(_ body: (UnsafeBufferPointer<Int64>) -> Void) {
        produce(body)
    }

    /// The integers as JSON values (a copy of the whole array: for tests and small values).
    public var elements: [JSONValue] {
        var elements: [JSONValue] = []
        elements.reserveCapacity(count)
        produce { chunk in elements += chunk.lazy.map { .int($0) } }
        return elements
    }
}
