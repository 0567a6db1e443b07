/// Number printing and parsing exactly as Cranelift's `immediates.rs` does it.
enum NumberFormat {
    /// Hex in 16-bit groups: `0xffff_fffc`.
    static func groupedHex(_ value: UInt64) -> String {
        let bitLength = 64 - value.leadingZeroBitCount
        var position = (bitLength - 1) & 0xf0
        var text = "0x" + hex4(UInt16(truncatingIfNeeded: value >> UInt64(position)))
        while position > 0 {
            position -= 16
            text += "_" + hex4(UInt16(truncatingIfNeeded: value >> UInt64(position)))
        }
        return text
    }

    static func hex4(_ value: UInt16) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 4 - digits.count) + digits
    }

    /// `Imm64` display: decimal below 10000 (so every negative number), hex above.
    static func imm64(_ value: Int64) -> String {
        value < 10_000 ? String(value) : groupedHex(UInt64(bitPattern: value))
    }

    static func uimm64(_ value: UInt64) -> String {
        value < 10_000 ? String(value) : groupedHex(value)
    }

    /// `Offset32` display: empty for 0, otherwise always signed.
    static func offset32(_ value: Int32) -> String {
        if value == 0 { return "" }
        let magnitude = Int64(value).magnitude
        let digits = magnitude < 10_000 ? String(magnitude) : groupedHex(magnitude)
        return (value < 0 ? "-" : "+") + digits
    }

    /// Parses an unsigned decimal or `0x` hexadecimal number with `_` separators.
    static func parseUInt64(_ text: Substring) -> UInt64? {
        parseUInt64(utf8: ArraySlice(text.utf8))
    }

    static func parseInt64(_ text: Substring) -> Int64? {
        parseInt64(utf8: ArraySlice(text.utf8))
    }

    static func parseUInt64(utf8 text: ArraySlice<UInt8>) -> UInt64? {
        var value: UInt64 = 0
        var digits = 0
        var index = text.startIndex
        if text.count >= 2 && text[index] == 48 && text[index + 1] == 120 {
            index += 2
            while index < text.endIndex {
                let byte = text[index]
                index += 1
                if byte == 95 { continue }
                let digit: UInt8
                switch byte {
                case 48...57: digit = byte - 48
                case 97...102: digit = byte - 87
                case 65...70: digit = byte - 55
                default: return nil
                }
                digits += 1
                if digits > 16 { return nil }
                value = value << 4 | UInt64(digit)
            }
        } else {
            while index < text.endIndex {
                let byte = text[index]
                index += 1
                if byte == 95 { continue }
                guard byte >= 48 && byte <= 57 else { return nil }
                digits += 1
                let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = times.addingReportingOverflow(UInt64(byte - 48))
                if overflow1 || overflow2 { return nil }
                value = sum
            }
        }
        return digits == 0 ? nil : value
    }

    /// Parses a signed `Imm64`: an optional sign, then decimal or hexadecimal.
    static func parseInt64(utf8 text: ArraySlice<UInt8>) -> Int64? {
        var body = text
        let negative = body.first == 45
        if negative || body.first == 43 { body = body.dropFirst() }
        if negative && body.count >= 2 && body[body.startIndex] == 48 && body[body.startIndex + 1] == 120 { return nil }
        guard var value = parseUInt64(utf8: body) else { return nil }
        if negative {
            value = 0 &- value
            if Int64(bitPattern: value) > 0 { return nil }
        }
        return Int64(bitPattern: value)
    }

    /// Formats IEEE bits with `exponentBits` and `significandBits` as Cranelift does (hex floats).
    static func float(bits: UInt128, exponentBits w: Int, significandBits t: Int) -> String {
        let maxE: UInt128 = (1 << UInt128(w)) - 1
        let tBits = bits & ((1 << UInt128(t)) - 1)
        let eBits = (bits >> UInt128(t)) & maxE
        let sign = (bits >> UInt128(w + t)) & 1
        let bias = (1 << (w - 1)) - 1
        let e = Int(eBits) - bias
        let emin = 1 - bias
        let digits = (t + 3) / 4
        let leftT = tBits << UInt128(4 * digits - t)
        var text = sign != 0 ? "-" : ""
        func padded(_ value: UInt128) -> String {
            let hex = String(value, radix: 16)
            return String(repeating: "0", count: max(0, digits - hex.count)) + hex
        }
        if eBits == 0 {
            if tBits == 0 { return text + "0.0" }
            return text + "0x0.\(padded(leftT))p\(emin)"
        }
        if eBits == maxE {
            if sign == 0 { text += "+" }
            if tBits == 0 { return text + "Inf" }
            let quiet: UInt128 = 1 << UInt128(t - 1)
            let payload = tBits & (quiet - 1)
            if tBits & quiet != 0 {
                return text + (payload != 0 ? "NaN:0x\(String(payload, radix: 16))" : "NaN")
            }
            return text + "sNaN:0x\(String(payload, radix: 16))"
        }
        return text + "0x1.\(padded(leftT))p\(e)"
    }

    /// Parses a hex float, `0.0`, `Inf`, `NaN`, `NaN:0x…`, `sNaN:0x…` into IEEE bits; nil (with a
    /// message) when the text is not such a number or does not fit.
    static func parseFloat(_ text: Substring, exponentBits w: Int, significandBits t: Int) -> Result<UInt128, FloatParseError> {
        var body = text
        var sign: UInt128 = 0
        if body.hasPrefix("-") {
            sign = 1 << UInt128(t + w)
            body = body.dropFirst()
        } else if body.hasPrefix("+") {
            body = body.dropFirst()
        }
        let maxE: UInt128 = ((1 << UInt128(w)) - 1) << UInt128(t)
        let quiet: UInt128 = 1 << UInt128(t - 1)
        if !body.hasPrefix("0x") {
            if body == "0.0" { return .success(sign) }
            if body == "Inf" { return .success(sign | maxE) }
            if body == "NaN" { return .success(sign | maxE | quiet) }
            if body.hasPrefix("NaN:0x") {
                guard let payload = UInt128(body.dropFirst(6), radix: 16), payload < quiet else {
                    return .failure(FloatParseError(message: "Invalid NaN payload"))
                }
                return .success(sign | maxE | quiet | payload)
            }
            if body.hasPrefix("sNaN:0x") {
                guard let payload = UInt128(body.dropFirst(7), radix: 16), payload > 0, payload < quiet else {
                    return .failure(FloatParseError(message: "Invalid sNaN payload"))
                }
                return .success(sign | maxE | payload)
            }
            return .failure(FloatParseError(message: "Float must be hexadecimal"))
        }
        var digits = 0
        var digitsBeforePeriod: Int?
        var significand: UInt128 = 0
        var exponent = 0
        var rest = body.dropFirst(2)
        while let character = rest.first {
            rest = rest.dropFirst()
            if character == "." {
                if digitsBeforePeriod != nil { return .failure(FloatParseError(message: "Multiple radix points")) }
                digitsBeforePeriod = digits
            } else if character == "p" {
                guard let value = Int16(rest.hasPrefix("+") ? rest.dropFirst() : rest) else { return .failure(FloatParseError(message: "Bad exponent")) }
                exponent = Int(value)
                break
            } else if let digit = character.hexDigitValue {
                digits += 1
                if digits > 32 { return .failure(FloatParseError(message: "Too many digits")) }
                significand = significand << 4 | UInt128(digit)
            } else {
                return .failure(FloatParseError(message: "Invalid character"))
            }
        }
        if digits == 0 { return .failure(FloatParseError(message: "No digits")) }
        if significand == 0 { return .success(sign) }
        if let before = digitsBeforePeriod { exponent -= 4 * (digits - before) }
        let significantBits = 128 - significand.leadingZeroBitCount
        if significantBits > t + 1 {
            let adjust = significantBits - (t + 1)
            if significand & ((1 << UInt128(adjust)) - 1) != 0 { return .failure(FloatParseError(message: "Too many significant bits")) }
            significand >>= UInt128(adjust)
            exponent += adjust
        } else {
            let adjust = t + 1 - significantBits
            significand <<= UInt128(adjust)
            exponent -= adjust
        }
        let tBits = significand & ((1 << UInt128(t)) - 1)
        let maxExp = (1 << w) - 2
        let bias = (1 << (w - 1)) - 1
        exponent += bias + t
        if exponent > maxExp { return .failure(FloatParseError(message: "Magnitude too large")) }
        if exponent > 0 { return .success(sign | UInt128(exponent) << UInt128(t) | tBits) }
        if 1 - exponent <= t {
            let adjust = 1 - exponent
            if significand & ((1 << UInt128(adjust)) - 1) != 0 { return .failure(FloatParseError(message: "Subnormal underflow")) }
            return .success(sign | significand >> UInt128(adjust))
        }
        return .failure(FloatParseError(message: "Magnitude too small"))
    }
}

/// Why a float literal was rejected.
struct FloatParseError: Error {
    var message: String
}
