/// The WAT number grammar: which idchar runs are integers or floats, and their values.
enum NumberSyntax {
    static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
    static func isHexDigit(_ byte: UInt8) -> Bool { CharacterClass.hexValue(byte) != nil }

    /// Skips `digit (_? digit)*` from `index`; false when there is no digit or a dangling `_`.
    static func skipDigits(_ bytes: [UInt8], _ index: inout Int, _ end: Int, hex: Bool) -> Bool {
        guard index < end, hex ? isHexDigit(bytes[index]) : isDigit(bytes[index]) else { return false }
        index += 1
        while index < end {
            let byte = bytes[index]
            if byte == UInt8(ascii: "_") {
                guard index + 1 < end, hex ? isHexDigit(bytes[index + 1]) : isDigit(bytes[index + 1]) else {
                    return false
                }
                index += 2
            } else if hex ? isHexDigit(byte) : isDigit(byte) {
                index += 1
            } else {
                break
            }
        }
        return true
    }

    static func matches(_ bytes: [UInt8], _ index: Int, _ end: Int, _ text: StaticString) -> Bool {
        let count = text.utf8CodeUnitCount
        guard end - index >= count else { return false }
        let pointer = text.utf8Start
        for offset in 0..<count where bytes[index + offset] != pointer[offset] { return false }
        return true
    }

    static func classify(_ bytes: [UInt8], _ start: Int, _ end: Int) -> TokenKind? {
        var index = start
        if bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < end else { return nil }
        let first = bytes[index]
        if first == UInt8(ascii: "i") || first == UInt8(ascii: "n") {
            if end - index == 3 && (matches(bytes, index, end, "inf") || matches(bytes, index, end, "nan")) {
                return .float
            }
            if matches(bytes, index, end, "nan:0x") {
                var digits = index + 6
                return skipDigits(bytes, &digits, end, hex: true) && digits == end ? .float : nil
            }
            return nil
        }
        guard isDigit(first) else { return nil }
        let hex = matches(bytes, index, end, "0x")
        if hex { index += 2 }
        guard skipDigits(bytes, &index, end, hex: hex) else { return nil }
        if index == end { return .integer }
        if bytes[index] == UInt8(ascii: ".") {
            index += 1
            if index < end && (hex ? isHexDigit(bytes[index]) : isDigit(bytes[index])) {
                guard skipDigits(bytes, &index, end, hex: hex) else { return nil }
            }
        }
        if index == end { return .float }
        let marker = bytes[index] | 0x20
        guard marker == (hex ? UInt8(ascii: "p") : UInt8(ascii: "e")) else { return nil }
        index += 1
        if index < end && (bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-")) { index += 1 }
        guard skipDigits(bytes, &index, end, hex: false) else { return nil }
        return index == end ? .float : nil
    }

    /// Sign and magnitude of an integer token; nil magnitude when it does not fit 64 bits.
    static func integer(_ bytes: [UInt8], _ start: Int, _ end: Int) -> (negative: Bool, signed: Bool, magnitude: UInt64?) {
        var index = start
        var negative = false
        var signed = false
        if bytes[index] == UInt8(ascii: "-") { negative = true; signed = true; index += 1 }
        else if bytes[index] == UInt8(ascii: "+") { signed = true; index += 1 }
        var hex = false
        if end - index > 2 && bytes[index] == UInt8(ascii: "0") && bytes[index + 1] == UInt8(ascii: "x") {
            hex = true
            index += 2
        }
        var value: UInt64 = 0
        var overflow = false
        while index < end {
            let byte = bytes[index]
            index += 1
            if byte == UInt8(ascii: "_") { continue }
            let digit = UInt64(hex ? CharacterClass.hexValue(byte)! : byte - 0x30)
            let (shifted, o1) = value.multipliedReportingOverflow(by: hex ? 16 : 10)
            let (sum, o2) = shifted.addingReportingOverflow(digit)
            if o1 || o2 { overflow = true }
            value = sum
        }
        return (negative, signed, overflow ? nil : value)
    }

    /// The text without `_` separators, as Swift's float parsing wants it.
    static func plainText(_ bytes: [UInt8], _ start: Int, _ end: Int) -> String {
        var text = [UInt8]()
        text.reserveCapacity(end - start)
        for index in start..<end where bytes[index] != UInt8(ascii: "_") { text.append(bytes[index]) }
        return String(decoding: text, as: UTF8.self)
    }

    /// The bits of a float literal (integer or float token) as `f32`, or an error message.
    static func float32Bits(_ bytes: [UInt8], _ start: Int, _ end: Int) -> Result<UInt32, NumberError> {
        switch special(bytes, start, end, payloadBits: 23) {
        case .some(.success(let (negative, payload))):
            let sign: UInt32 = negative ? 0x8000_0000 : 0
            guard let payload else { return .success(sign | 0x7F80_0000) }
            return .success(sign | 0x7F80_0000 | UInt32(payload))
        case .some(.failure(let error)): return .failure(error)
        case nil: break
        }
        guard let value = Float(plainText(bytes, start, end)) else { return .failure(.malformed) }
        if value.isInfinite { return .failure(.outOfRange) }
        return .success(value.bitPattern)
    }

    /// The bits of a float literal as `f64`, or an error message.
    static func float64Bits(_ bytes: [UInt8], _ start: Int, _ end: Int) -> Result<UInt64, NumberError> {
        switch special(bytes, start, end, payloadBits: 52) {
        case .some(.success(let (negative, payload))):
            let sign: UInt64 = negative ? 0x8000_0000_0000_0000 : 0
            guard let payload else { return .success(sign | 0x7FF0_0000_0000_0000) }
            return .success(sign | 0x7FF0_0000_0000_0000 | payload)
        case .some(.failure(let error)): return .failure(error)
        case nil: break
        }
        guard let value = Double(plainText(bytes, start, end)) else { return .failure(.malformed) }
        if value.isInfinite { return .failure(.outOfRange) }
        return .success(value.bitPattern)
    }

    /// `inf` (payload nil), `nan` (canonical payload) and `nan:0x…`; nil for ordinary numbers.
    static func special(_ bytes: [UInt8], _ start: Int, _ end: Int, payloadBits: Int) -> Result<(Bool, UInt64?), NumberError>? {
        var index = start
        var negative = false
        if bytes[index] == UInt8(ascii: "-") { negative = true; index += 1 }
        else if bytes[index] == UInt8(ascii: "+") { index += 1 }
        guard index < end else { return nil }
        if bytes[index] == UInt8(ascii: "i") { return .success((negative, nil)) }
        guard bytes[index] == UInt8(ascii: "n") else { return nil }
        if end - index == 3 { return .success((negative, 1 << UInt64(payloadBits - 1))) }
        guard let payload = integer(bytes, index + 4, end).magnitude,
              payload >= 1, payload < (1 << UInt64(payloadBits)) else {
            return .failure(.outOfRange)
        }
        return .success((negative, payload))
    }
}

/// Why a number token has no value of the wanted type.
enum NumberError: Error {
    case malformed
    case outOfRange
}
