/// An append-only UTF-8 buffer with the text format's lexical pieces: identifiers, strings and
/// exact float literals.
struct TextWriter {
    var bytes: [UInt8] = []

    mutating func write(_ text: String) {
        var text = text
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    mutating func write(_ value: UInt64) {
        if value < 10 {
            bytes.append(UInt8(ascii: "0") + UInt8(value))
            return
        }
        var divisor: UInt64 = 1
        while value / divisor >= 10 { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(rest / divisor))
            rest %= divisor
            divisor /= 10
        }
    }

    mutating func write(_ value: UInt32) {
        write(UInt64(value))
    }

    mutating func write(_ value: Int) {
        write(Int64(value))
    }

    mutating func write(_ value: Int64) {
        if value < 0 {
            bytes.append(UInt8(ascii: "-"))
            write(value.magnitude)
        } else {
            write(UInt64(value))
        }
    }

    mutating func write(_ value: UInt8) {
        write(UInt64(value))
    }

    /// A space, then the number.
    mutating func spaced(_ value: UInt64) {
        bytes.append(UInt8(ascii: " "))
        write(value)
    }

    mutating func newline(indent: Int) {
        bytes.append(UInt8(ascii: "\n"))
        var remaining = indent * 2
        while remaining > 0 {
            bytes.append(UInt8(ascii: " "))
            remaining -= 1
        }
    }

    /// A string literal; printable ASCII except `"` and `\` as itself, every other byte as `\hh`.
    mutating func string(_ data: some Sequence<UInt8>) {
        bytes.append(UInt8(ascii: "\""))
        for byte in data {
            if byte >= 0x20 && byte < 0x7f && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\") {
                bytes.append(byte)
            } else {
                bytes.append(UInt8(ascii: "\\"))
                bytes.append(Self.hexDigits[Int(byte >> 4)])
                bytes.append(Self.hexDigits[Int(byte & 0xf)])
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func string(_ text: String) {
        string(Array(text.utf8))
    }

    /// `$name`, or `$"..."` when the name has characters an identifier cannot hold.
    mutating func identifier(_ name: String) {
        bytes.append(UInt8(ascii: "$"))
        if Self.isPlainIdentifier(name) {
            write(name)
        } else {
            string(name)
        }
    }

    static let hexDigits = Array("0123456789abcdef".utf8)

    static func isPlainIdentifier(_ name: String) -> Bool {
        guard !name.isEmpty else { return false }
        for byte in name.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "A")...UInt8(ascii: "Z"):
                continue
            default:
                if !"!#$%&'*+-./:<=>?@\\^_`|~".utf8.contains(byte) { return false }
            }
        }
        return true
    }

    /// An exact hexadecimal float literal for IEEE bits: `0x1.8p+1`, `-0x0p+0`, `inf`, `nan:0x...`.
    mutating func float(bits: UInt64, exponentBits: Int, mantissaBits: Int) {
        let sign = bits >> UInt64(exponentBits + mantissaBits) & 1 == 1
        let exponentMask = (UInt64(1) << UInt64(exponentBits)) - 1
        let exponent = Int((bits >> UInt64(mantissaBits)) & exponentMask)
        let mantissa = bits & ((UInt64(1) << UInt64(mantissaBits)) - 1)
        if sign { bytes.append(UInt8(ascii: "-")) }
        if exponent == Int(exponentMask) {
            if mantissa == 0 {
                write("inf")
            } else if mantissa == UInt64(1) << UInt64(mantissaBits - 1) {
                write("nan")
            } else {
                write("nan:0x" + String(mantissa, radix: 16))
            }
            return
        }
        let bias = (1 << (exponentBits - 1)) - 1
        if exponent == 0 && mantissa == 0 {
            write("0x0p+0")
            return
        }
        // Shift the mantissa so it fills whole hex digits, then drop trailing zero digits.
        let padding = (4 - mantissaBits % 4) % 4
        var fraction = mantissa << UInt64(padding)
        var digits = (mantissaBits + padding) / 4
        while digits > 0 && fraction & 0xf == 0 {
            fraction >>= 4
            digits -= 1
        }
        let leading = exponent == 0 ? "0x0" : "0x1"
        let power = exponent == 0 ? 1 - bias : exponent - bias
        write(leading)
        if digits > 0 {
            let hex = String(fraction, radix: 16)
            write("." + String(repeating: "0", count: digits - hex.count) + hex)
        }
        write(power >= 0 ? "p+\(power)" : "p\(power)")
    }
}
