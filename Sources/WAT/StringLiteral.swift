/// Decoding of string tokens (`"…"` with escapes) into bytes; the lexer has already checked them.
enum StringLiteral {
    /// The bytes of the string token covering `start..<end` (quotes included).
    static func value(_ bytes: [UInt8], _ start: Int, _ end: Int) -> [UInt8] {
        var value: [UInt8] = []
        value.reserveCapacity(end - start)
        var index = start + 1
        let last = end - 1
        while index < last {
            let byte = bytes[index]
            guard byte == UInt8(ascii: "\\") else {
                value.append(byte)
                index += 1
                continue
            }
            index += 1
            let escape = bytes[index]
            index += 1
            switch escape {
            case UInt8(ascii: "t"): value.append(0x09)
            case UInt8(ascii: "n"): value.append(0x0A)
            case UInt8(ascii: "r"): value.append(0x0D)
            case UInt8(ascii: "u"):
                var scalar: UInt32 = 0
                index += 1
                while index < last && bytes[index] != UInt8(ascii: "}") {
                    if let digit = CharacterClass.hexValue(bytes[index]) { scalar = scalar &<< 4 | UInt32(digit) }
                    index += 1
                }
                index += 1
                if let unicode = Unicode.Scalar(scalar) {
                    value.append(contentsOf: Array(String(Character(unicode)).utf8))
                }
            default:
                if let high = CharacterClass.hexValue(escape), index < last,
                   let low = CharacterClass.hexValue(bytes[index]) {
                    value.append(high << 4 | low)
                    index += 1
                } else {
                    value.append(escape)
                }
            }
        }
        // Escaped bytes take up to three characters: give back the room a long escaped string
        // (such as a DWARF custom section) reserved but did not use.
        guard value.capacity - value.count > 4096 else { return value }
        return [UInt8](unsafeUninitializedCapacity: value.count) { buffer, count in
            count = buffer.initialize(fromContentsOf: value)
        }
    }
}
