/// A JSON value as plain Swift data. Every JSON text clifford reads or writes passes through this
/// type, parsed and printed by json-c (`JSONValue.parse`, `JSONValue.serialized()`).
public enum JSONValue: Sendable {
    case null
    case bool(Bool)
    /// An integer that fits in 64 bits.
    case int(Int64)
    /// Any other number (fractions, exponents, integers beyond 64 bits).
    case double(Double)
    case string(String)
    /// A string whose content is produced piece by piece while it is serialized; equal to the
    /// `.string` of its joined pieces (never produced by parsing).
    case stringPieces(JSONStringPieces)
    case array([JSONValue])
    /// An array of integers produced one by one while it is serialized; equal to the `.array` of
    /// its integers (never produced by parsing).
    case integers(JSONIntegers)
    case object(JSONObject)
}

extension JSONValue {
    public var isNull: Bool { if case .null = self { true } else { false } }

    public var boolValue: Bool? { if case .bool(let value) = self { value } else { nil } }

    /// The string, when this is one; `.stringPieces` are joined (a copy of the whole string).
    public var stringValue: String? {
        switch self {
        case .string(let value): value
        case .stringPieces(let pieces): pieces.joined
        default: nil
        }
    }

    /// The elements, when this is an array; `.integers` are copied into values.
    public var arrayValue: [JSONValue]? {
        switch self {
        case .array(let value): value
        case .integers(let integers): integers.elements
        default: nil
        }
    }

    public var objectValue: JSONObject? { if case .object(let value) = self { value } else { nil } }

    /// The value as an integer, when it is one (a double with no fraction counts).
    public var intValue: Int? {
        switch self {
        case .int(let value): return Int(exactly: value)
        case .double(let value): return Int(exactly: value)
        default: return nil
        }
    }

    public var doubleValue: Double? {
        switch self {
        case .int(let value): return Double(value)
        case .double(let value): return value
        default: return nil
        }
    }

    /// Member lookup on objects; `nil` for other values and missing keys.
    public subscript(key: String) -> JSONValue? {
        objectValue?[key]
    }

    /// Element lookup on arrays; `nil` for other values and indices out of range.
    public subscript(index: Int) -> JSONValue? {
        guard let array = arrayValue, array.indices.contains(index) else { return nil }
        return array[index]
    }
}

extension JSONValue: Hashable {
    /// Structural equality, with a string equal to pieces that join to it.
    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case (.bool(let left), .bool(let right)): left == right
        case (.int(let left), .int(let right)): left == right
        case (.double(let left), .double(let right)): left == right
        case (.string(let left), .string(let right)): left == right
        case (.string, .stringPieces), (.stringPieces, .string), (.stringPieces, .stringPieces):
            lhs.stringValue == rhs.stringValue
        case (.array(let left), .array(let right)): left == right
        case (.integers, .array), (.array, .integers), (.integers, .integers): lhs.arrayValue == rhs.arrayValue
        case (.object(let left), .object(let right)): left == right
        default: false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case .bool(let value): hasher.combine(1); hasher.combine(value)
        case .int(let value): hasher.combine(2); hasher.combine(value)
        case .double(let value): hasher.combine(3); hasher.combine(value)
        case .string, .stringPieces: hasher.combine(4); hasher.combine(stringValue)
        case .array, .integers: hasher.combine(5); hasher.combine(arrayValue)
        case .object(let members): hasher.combine(6); hasher.combine(members)
        }
    }
}

extension JSONValue: ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral,
    ExpressibleByDictionaryLiteral
{
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(JSONObject(elements))
    }
}

extension JSONValue {
    public init(_ value: Int) { self = .int(Int64(value)) }
}
