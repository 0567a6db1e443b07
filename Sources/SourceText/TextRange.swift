/// A half-open range of UTF-8 byte offsets into a `SourceFile`: the one way clifford names a place
/// in a text. Conversion to editor positions happens only at the protocol boundary.
public struct TextRange: Hashable, Sendable, CustomStringConvertible {
    /// Offset of the first byte.
    public var start: Int
    /// Offset one past the last byte.
    public var end: Int

    public init(start: Int, end: Int) {
        precondition(start <= end, "TextRange start \(start) after end \(end)")
        self.start = start
        self.end = end
    }

    /// An empty range at `offset`.
    public init(at offset: Int) {
        self.start = offset
        self.end = offset
    }

    public init(_ range: Range<Int>) {
        self.start = range.lowerBound
        self.end = range.upperBound
    }

    public var length: Int { end - start }
    public var isEmpty: Bool { start == end }
    public var range: Range<Int> { start..<end }

    /// Whether `offset` lies inside the range; an empty range contains its own offset.
    public func contains(_ offset: Int) -> Bool {
        isEmpty ? offset == start : (start <= offset && offset < end)
    }

    /// Whether `other` lies entirely inside this range.
    public func contains(_ other: TextRange) -> Bool {
        start <= other.start && other.end <= end
    }

    /// The smallest range covering both.
    public func union(_ other: TextRange) -> TextRange {
        TextRange(start: min(start, other.start), end: max(end, other.end))
    }

    public var description: String { "\(start)..<\(end)" }
}
