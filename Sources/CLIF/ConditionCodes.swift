/// An integer comparison condition (`icmp`).
public enum IntCC: String, Sendable, CaseIterable {
    case eq, ne, slt, sge, sgt, sle, ult, uge, ugt, ule
}

/// A floating-point comparison condition (`fcmp`).
public enum FloatCC: String, Sendable, CaseIterable {
    case ord, uno, eq, ne, one, ueq, lt, le, gt, ge, ult, ule, ugt, uge
}

/// The read-modify-write operation of `atomic_rmw`.
public enum AtomicRmwOp: String, Sendable, CaseIterable {
    case add, sub, and, nand, or, xor, xchg, umin, umax, smin, smax
}

/// Why a trap happens: five reserved codes or a user code 1...250.
public struct TrapCode: Hashable, Sendable, CustomStringConvertible {
    public let raw: UInt8
    public init(raw: UInt8) { self.raw = raw }

    public static let stackOverflow = TrapCode(raw: 251)
    public static let integerOverflow = TrapCode(raw: 252)
    public static let heapOutOfBounds = TrapCode(raw: 253)
    public static let integerDivisionByZero = TrapCode(raw: 254)
    public static let badConversionToInteger = TrapCode(raw: 255)

    static let reservedNames: [(String, TrapCode)] = [
        ("stk_ovf", .stackOverflow), ("int_ovf", .integerOverflow), ("heap_oob", .heapOutOfBounds),
        ("int_divz", .integerDivisionByZero), ("bad_toint", .badConversionToInteger),
    ]

    /// Parses `heap_oob`, `user7`, …; nil when the word is no trap code.
    public init?(_ text: String) {
        if let named = TrapCode.reservedNames.first(where: { $0.0 == text }) {
            self = named.1
            return
        }
        guard text.hasPrefix("user") else { return nil }
        let digits = text.dropFirst(4)
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let value = UInt8(digits),
              value > 0, value < 251 else { return nil }
        raw = value
    }

    public var description: String {
        if let named = TrapCode.reservedNames.first(where: { $0.1 == self }) { return named.0 }
        return "user\(raw)"
    }
}

/// Flags of a memory access (`notrap aligned readonly region3`), printed in Cranelift's order.
public struct MemFlags: Hashable, Sendable, CustomStringConvertible {
    /// The trap code, nil for `notrap`; `heap_oob` (the default) is not printed.
    public var trapCode: TrapCode? = .heapOutOfBounds
    public var aligned = false
    public var readonly = false
    public var canMove = false
    public var bigEndian = false
    public var littleEndian = false
    /// The alias region number, if any.
    public var region: UInt32?

    public init() {}

    public static let trusted: MemFlags = {
        var flags = MemFlags()
        flags.trapCode = nil
        flags.aligned = true
        return flags
    }()

    public var isNotrap: Bool { trapCode == nil }

    /// Applies one flag word. Returns false when the word is not a flag, and throws a message
    /// for a flag that conflicts with one already set.
    mutating func set(_ word: String) -> Result<Bool, FlagError> {
        switch word {
        case "notrap": trapCode = nil
        case "aligned": aligned = true
        case "readonly": readonly = true
        case "can_move": canMove = true
        case "little":
            if bigEndian { return .failure(FlagError(message: "cannot set both big and little endian bits")) }
            littleEndian = true
        case "big":
            if littleEndian { return .failure(FlagError(message: "cannot set both big and little endian bits")) }
            bigEndian = true
        default:
            guard let code = TrapCode(word) else { return .success(false) }
            trapCode = code
        }
        return .success(true)
    }

    struct FlagError: Error { var message: String }

    /// Each flag with a leading space, as Cranelift writes them after an opcode.
    public var description: String {
        var text = ""
        if let trapCode {
            if trapCode != .heapOutOfBounds { text += " \(trapCode)" }
        } else {
            text += " notrap"
        }
        if aligned { text += " aligned" }
        if readonly { text += " readonly" }
        if canMove { text += " can_move" }
        if bigEndian { text += " big" }
        if littleEndian { text += " little" }
        if let region { text += " region\(region)" }
        return text
    }
}
