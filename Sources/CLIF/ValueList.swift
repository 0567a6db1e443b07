/// A short list of values stored inline (up to three, the common case for results and operands)
/// and spilled to an array beyond that, so most instructions need no heap allocation for them.
/// Inlinable, because the translator builds one or two of these per instruction.
public struct ValueList: RandomAccessCollection, ExpressibleByArrayLiteral, Hashable, Sendable, CustomStringConvertible {
    @usableFromInline var storedCount: UInt32 = 0
    @usableFromInline var first3: (UInt32, UInt32, UInt32) = (0, 0, 0)
    /// All values, once there are more than three.
    @usableFromInline var spill: [Value]?

    @inlinable public init() {}

    @inlinable public init(arrayLiteral elements: Value...) {
        self.init(elements)
    }

    @inlinable public init(_ a: Value) {
        storedCount = 1
        first3 = (a.number, 0, 0)
    }

    @inlinable public init(_ a: Value, _ b: Value) {
        storedCount = 2
        first3 = (a.number, b.number, 0)
    }

    @inlinable public init(_ a: Value, _ b: Value, _ c: Value) {
        storedCount = 3
        first3 = (a.number, b.number, c.number)
    }

    @inlinable public init(_ values: [Value]) {
        storedCount = UInt32(values.count)
        switch values.count {
        case 0: break
        case 1: first3 = (values[0].number, 0, 0)
        case 2: first3 = (values[0].number, values[1].number, 0)
        case 3: first3 = (values[0].number, values[1].number, values[2].number)
        default:
            first3 = (values[0].number, values[1].number, values[2].number)
            spill = values
        }
    }

    @inlinable public init<S: Sequence>(_ values: S) where S.Element == Value {
        for value in values { append(value) }
    }

    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int { Int(storedCount) }
    @inlinable public var count: Int { Int(storedCount) }
    @inlinable public var isEmpty: Bool { storedCount == 0 }

    @inlinable public subscript(position: Int) -> Value {
        get {
            if let spill { return spill[position] }
            precondition(position >= 0 && position < Int(storedCount), "ValueList index out of range")
            switch position {
            case 0: return Value(first3.0)
            case 1: return Value(first3.1)
            default: return Value(first3.2)
            }
        }
        set {
            precondition(position >= 0 && position < Int(storedCount), "ValueList index out of range")
            if spill != nil { spill![position] = newValue }
            switch position {
            case 0: first3.0 = newValue.number
            case 1: first3.1 = newValue.number
            case 2: first3.2 = newValue.number
            default: break
            }
        }
    }

    @inlinable public mutating func append(_ value: Value) {
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

    @inlinable public static func == (lhs: ValueList, rhs: ValueList) -> Bool { lhs.elementsEqual(rhs) }

    @inlinable public func hash(into hasher: inout Hasher) {
        hasher.combine(storedCount)
        for value in self { hasher.combine(value) }
    }

    public var description: String { "[" + map(\.description).joined(separator: ", ") + "]" }
}
