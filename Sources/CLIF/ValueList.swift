/// A short list of values stored inline (up to three, the common case for results and operands)
/// and spilled to an array beyond that, so most instructions need no heap allocation for them.
public struct ValueList: RandomAccessCollection, ExpressibleByArrayLiteral, Hashable, Sendable, CustomStringConvertible {
    private var storedCount: UInt32 = 0
    private var first3: (UInt32, UInt32, UInt32) = (0, 0, 0)
    /// All values, once there are more than three.
    private var spill: [Value]?

    public init() {}

    public init(arrayLiteral elements: Value...) {
        self.init(elements)
    }

    public init<S: Sequence>(_ values: S) where S.Element == Value {
        for value in values { append(value) }
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { Int(storedCount) }

    public subscript(position: Int) -> Value {
        if let spill { return spill[position] }
        precondition(position >= 0 && position < Int(storedCount), "ValueList index out of range")
        switch position {
        case 0: return Value(first3.0)
        case 1: return Value(first3.1)
        default: return Value(first3.2)
        }
    }

    public mutating func append(_ value: Value) {
        if spill != nil {
            spill!.append(value)
        } else {
            switch storedCount {
            case 0: first3.0 = value.number
            case 1: first3.1 = value.number
            case 2: first3.2 = value.number
            default: spill = [Value(first3.0), Value(first3.1), Value(first3.2), value]
            }
        }
        storedCount += 1
    }

    public static func == (lhs: ValueList, rhs: ValueList) -> Bool { lhs.elementsEqual(rhs) }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(storedCount)
        for value in self { hasher.combine(value) }
    }

    public var description: String { "[" + map(\.description).joined(separator: ", ") + "]" }
}
