/// A JSON array of integers produced one by one while it is written, so that millions of them
/// (a large document's semantic tokens) go from a compact source straight into the output
/// buffer without becoming `JSONValue`s. Equal to the `.array` of its integers. A class, so that
/// `JSONValue` stays as small as a String (one reference).
public final class JSONIntegers: Sendable {
    /// How many integers `forEach` produces.
    public let count: Int
    private let produce: @Sendable (_ body: (Int64) -> Void) -> Void

    /// - Parameters:
    ///   - count: the number of integers `forEach` hands to its body.
    ///   - forEach: calls its argument with each integer in order; it may be called more than once.
    public init(count: Int, forEach: @escaping @Sendable (_ body: (Int64) -> Void) -> Void) {
        self.count = max(0, count)
        self.produce = forEach
    }

    /// Fixed integers, for small arrays and tests.
    public convenience init(_ values: [Int64]) {
        self.init(count: values.count) { body in values.forEach(body) }
    }

    /// Calls `body` with each integer in order.
    public func forEach(_ body: (Int64) -> Void) {
        produce(body)
    }

    /// The integers as JSON values (a copy of the whole array: for tests and small values).
    public var elements: [JSONValue] {
        var elements: [JSONValue] = []
        elements.reserveCapacity(count)
        produce { elements.append(.int($0)) }
        return elements
    }
}
