/// The unit in which an editor counts characters within a line, negotiated in LSP `initialize`.
public enum PositionEncoding: String, Sendable, CaseIterable {
    case utf8 = "utf-8"
    case utf16 = "utf-16"
    case utf32 = "utf-32"

    /// Picks the encoding to use from the client's offer: UTF-8 when offered (no conversion),
    /// then UTF-32, otherwise UTF-16, which every client must support.
    public static func negotiate(clientOffers offers: [String]?) -> PositionEncoding {
        guard let offers, !offers.isEmpty else { return .utf16 }
        if offers.contains(PositionEncoding.utf8.rawValue) { return .utf8 }
        if offers.contains(PositionEncoding.utf32.rawValue) { return .utf32 }
        return .utf16
    }

    /// Code units of this encoding taken by a scalar whose UTF-8 form is `utf8Length` bytes long.
    @inline(__always)
    func units(forScalarOfUTF8Length utf8Length: Int) -> Int {
        switch self {
        case .utf8: return utf8Length
        case .utf16: return utf8Length == 4 ? 2 : 1
        case .utf32: return 1
        }
    }
}

/// A zero-based line and a character offset counted in some `PositionEncoding`: LSP's `Position`.
public struct Position: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var line: Int
    public var character: Int

    public init(line: Int, character: Int) {
        self.line = line
        self.character = character
    }

    public static func < (lhs: Position, rhs: Position) -> Bool {
        (lhs.line, lhs.character) < (rhs.line, rhs.character)
    }

    public var description: String { "\(line):\(character)" }
}

/// A start and end `Position`: LSP's `Range`.
public struct PositionRange: Hashable, Sendable {
    public var start: Position
    public var end: Position

    public init(start: Position, end: Position) {
        self.start = start
        self.end = end
    }
}
