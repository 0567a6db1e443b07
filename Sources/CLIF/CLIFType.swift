/// A CLIF value type: a scalar (`i32`, `f64`), a fixed vector (`i32x4`) or a dynamic vector
/// (`i32x4xN`). Packed into 16 bits: lane width, lane kind, lane count and the dynamic flag.
public struct CLIFType: Hashable, Sendable, CustomStringConvertible {
    /// bits 0-2: log2(lane bits) - 3; bit 3: float lanes; bits 4-7: log2(lanes); bit 8: dynamic.
    public let raw: UInt16

    init(raw: UInt16) { self.raw = raw }

    /// The type with no value: instructions without a controlling type use it.
    public static let invalid = CLIFType(raw: 0xFFFF)

    public init(isFloat: Bool, laneBits: Int, lanes: Int = 1, dynamic: Bool = false) {
        let bitsLog = laneBits.trailingZeroBitCount - 3
        let lanesLog = lanes.trailingZeroBitCount
        raw = UInt16(bitsLog) | (isFloat ? 8 : 0) | UInt16(lanesLog) << 4 | (dynamic ? 0x100 : 0)
    }

    public static let i8 = CLIFType(isFloat: false, laneBits: 8)
    public static let i16 = CLIFType(isFloat: false, laneBits: 16)
    public static let i32 = CLIFType(isFloat: false, laneBits: 32)
    public static let i64 = CLIFType(isFloat: false, laneBits: 64)
    public static let i128 = CLIFType(isFloat: false, laneBits: 128)
    public static let f16 = CLIFType(isFloat: true, laneBits: 16)
    public static let f32 = CLIFType(isFloat: true, laneBits: 32)
    public static let f64 = CLIFType(isFloat: true, laneBits: 64)
    public static let f128 = CLIFType(isFloat: true, laneBits: 128)
    public static let i8x16 = CLIFType(isFloat: false, laneBits: 8, lanes: 16)
    public static let i16x8 = CLIFType(isFloat: false, laneBits: 16, lanes: 8)
    public static let i32x4 = CLIFType(isFloat: false, laneBits: 32, lanes: 4)
    public static let i64x2 = CLIFType(isFloat: false, laneBits: 64, lanes: 2)
    public static let f32x4 = CLIFType(isFloat: true, laneBits: 32, lanes: 4)
    public static let f64x2 = CLIFType(isFloat: true, laneBits: 64, lanes: 2)

    public var isInvalid: Bool { raw == 0xFFFF }
    public var isFloat: Bool { !isInvalid && raw & 8 != 0 }
    public var isInt: Bool { !isInvalid && raw & 8 == 0 }
    public var isDynamic: Bool { !isInvalid && raw & 0x100 != 0 }
    public var log2LaneBits: Int { Int(raw & 7) + 3 }
    public var log2Lanes: Int { Int(raw >> 4 & 0xF) }
    public var laneBits: Int { 1 << log2LaneBits }
    public var laneCount: Int { 1 << log2Lanes }
    public var isVector: Bool { !isInvalid && !isDynamic && log2Lanes > 0 }
    public var isScalar: Bool { !isInvalid && !isDynamic && log2Lanes == 0 }
    /// Total width in bits (0 for the invalid type; the minimum for dynamic vectors).
    public var bits: Int { isInvalid ? 0 : laneBits * laneCount }
    public var bytes: Int { bits / 8 }

    public var laneType: CLIFType { isInvalid ? self : CLIFType(isFloat: isFloat, laneBits: laneBits) }

    func with(laneBits: Int? = nil, lanes: Int? = nil, isFloat: Bool? = nil, dynamic: Bool? = nil) -> CLIFType {
        CLIFType(isFloat: isFloat ?? self.isFloat, laneBits: laneBits ?? self.laneBits,
                 lanes: lanes ?? laneCount, dynamic: dynamic ?? isDynamic)
    }

    /// Parses `i32`, `f64`, `i8x16`, `f32x4xN`; nil for anything else.
    public init?(_ text: String) {
        var bytes = Array(text.utf8)
        guard let type = bytes.withUnsafeMutableBufferPointer({ CLIFType.parse(UnsafeBufferPointer($0)) }) else { return nil }
        self = type
    }

    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> CLIFType? {
        guard let first = bytes.first, first == UInt8(ascii: "i") || first == UInt8(ascii: "f") else { return nil }
        var index = bytes.startIndex + 1
        func number() -> Int? {
            var value = 0
            let start = index
            while index < bytes.endIndex, bytes[index] >= 48, bytes[index] <= 57 {
                value = value * 10 + Int(bytes[index] - 48)
                if value > 65536 { return nil }
                index += 1
            }
            if index == start { return nil }
            if bytes[start] == 48 && index - start > 1 { return nil }
            return value
        }
        guard let width = number() else { return nil }
        let isFloat = first == UInt8(ascii: "f")
        guard width == 16 || width == 32 || width == 64 || width == 128 || (width == 8 && !isFloat) else { return nil }
        var lanes = 1
        var dynamic = false
        if index < bytes.endIndex {
            guard bytes[index] == UInt8(ascii: "x") else { return nil }
            index += 1
            guard let count = number(), count >= 2, count & (count - 1) == 0, count <= 256,
                  width * count <= 65536 else { return nil }
            lanes = count
            if index < bytes.endIndex {
                guard bytes[index] == UInt8(ascii: "x"), index + 2 == bytes.endIndex,
                      bytes[index + 1] == UInt8(ascii: "N") else { return nil }
                dynamic = true
                index = bytes.endIndex
            }
        }
        return CLIFType(isFloat: isFloat, laneBits: width, lanes: lanes, dynamic: dynamic)
    }

    public var description: String {
        if isInvalid { return "INVALID" }
        var text = (isFloat ? "f" : "i") + String(laneBits)
        if log2Lanes > 0 { text += "x" + String(laneCount) }
        if isDynamic { text += "xN" }
        return text
    }
}

extension CLIFType {
    /// The type an integer or float comparison produces: `i8` for scalars, same-width integer
    /// lanes for vectors.
    public var asTruthy: CLIFType {
        isScalar ? .i8 : with(isFloat: false)
    }
    public var halfWidth: CLIFType? { laneBits > (isFloat ? 16 : 8) ? with(laneBits: laneBits / 2) : nil }
    public var doubleWidth: CLIFType? { laneBits < 128 ? with(laneBits: laneBits * 2) : nil }
    public var splitLanes: CLIFType? {
        guard laneBits > (isFloat ? 16 : 8), laneCount < 256 else { return nil }
        return with(laneBits: laneBits / 2, lanes: laneCount * 2)
    }
    public var mergeLanes: CLIFType? {
        guard laneBits < 128, laneCount > 1 else { return nil }
        return with(laneBits: laneBits * 2, lanes: laneCount / 2)
    }
    public var dynamicToVector: CLIFType? { isDynamic ? with(dynamic: false) : nil }
}
