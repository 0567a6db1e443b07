extension Parser {
    mutating func parseMemFlags() throws -> MemFlags {
        var flags = MemFlags()
        while true {
            if kind == .identifier {
                switch flags.set(string(token)) {
                case .success(true): advance()
                case .success(false): return flags
                case .failure(let failure): throw error(failure.message)
                }
            } else if kind == .entity && token.entityKind == .region {
                if flags.region != nil { throw error("cannot set more than one alias region") }
                let t = advance()
                mention(.region, t)
                flags.region = t.number
            } else {
                return flags
            }
        }
    }

    var tokenIsSignedInteger: Bool {
        guard kind == .integer else { return false }
        let first = bytes[Int(token.start)]
        return first == 43 || first == 45
    }

    /// The bytes of the current token.
    var tokenBytes: ArraySlice<UInt8> { bytes[Int(token.start)..<Int(token.end)] }

    mutating func parseOptionalOffset32() throws -> Int32 {
        guard tokenIsSignedInteger else { return 0 }
        guard let value = NumberFormat.parseInt64(utf8: tokenBytes) else { throw error("Invalid offset") }
        guard value >= Int64(Int32.min) && value <= Int64(Int32.max) else { throw error("Offset out of range") }
        advance()
        return Int32(value)
    }

    mutating func parseImm64(_ message: String) throws -> Int64 {
        guard kind == .integer else { throw error(message) }
        guard let value = NumberFormat.parseInt64(utf8: tokenBytes) else { throw error("expected integer immediate") }
        advance()
        return value
    }

    /// An integer immediate of `bits` width: signed or unsigned spelling, kept as the unsigned
    /// bit pattern (Cranelift's `match_imm!`).
    mutating func parseImmediate(bits: Int, _ message: String) throws -> Int64 {
        guard kind == .integer else { throw error(message) }
        let text = tokenBytes
        if bits == 64 {
            return try parseImm64(message)
        }
        let limit = Int64(1) << Int64(bits)
        let value: Int64
        if text.first == 45 {
            guard let parsed = NumberFormat.parseInt64(utf8: text), parsed >= -(limit / 2) else { throw error("expected a \(bits)-bit integer") }
            value = parsed & (limit - 1)
        } else {
            guard let parsed = NumberFormat.parseUInt64(utf8: text.first == 43 ? text.dropFirst() : text), parsed < UInt64(limit) else {
                throw error("expected a \(bits)-bit integer")
            }
            value = Int64(parsed)
        }
        advance()
        return value
    }

    mutating func parseUimm8(_ message: String) throws -> UInt8 {
        guard kind == .integer else { throw error(message) }
        let text = tokenBytes
        var value: UInt8?
        if let parsed = NumberFormat.parseUInt64(utf8: text), parsed <= 255, !text.contains(95) { value = UInt8(parsed) }
        guard let value else { throw error("expected u8 decimal immediate") }
        advance()
        return value
    }

    mutating func parseFloat(exponentBits: Int, significandBits: Int, _ message: String) throws -> UInt128 {
        guard kind == .float || kind == .integer else { throw error(message) }
        switch NumberFormat.parseFloat(string(token)[...], exponentBits: exponentBits, significandBits: significandBits) {
        case .success(let bits):
            advance()
            return bits
        case .failure(let failure):
            throw error(failure.message)
        }
    }

    mutating func parseHexConstant() throws -> ConstantData {
        guard kind == .integer else { throw error("expected an immediate hexadecimal operand") }
        let text = string(token)
        guard text.hasPrefix("0x"), text.count > 2 else { throw error("Expected a hexadecimal string, e.g. 0x1234") }
        let digits = Array(text.utf8.dropFirst(2).filter { $0 != 95 })
        guard !digits.isEmpty else { throw error("Hexadecimal string must have some digits") }
        guard digits.count % 2 == 0 else { throw error("Hexadecimal string must have an even number of digits") }
        guard digits.count <= 32 else { throw error("Hexadecimal string has too many digits to fit in a 128-bit vector") }
        var bytes: [UInt8] = []
        var index = 0
        while index < digits.count {
            guard let byte = UInt8(String(decoding: digits[index..<index + 2], as: UTF8.self), radix: 16) else {
                throw error("Unable to parse as hexadecimal")
            }
            bytes.insert(byte, at: 0)
            index += 2
        }
        advance()
        return ConstantData(bytes: bytes)
    }

    /// `[1 2 3 4]` for a vector type, or a hex constant widened to the type's size.
    mutating func parseVectorConstant(_ type: CLIFType) throws -> ConstantData {
        let expected = type.bytes
        var data: ConstantData
        if optional(.lbracket) {
            guard type.isVector || type.isDynamic else { throw error("Expected a controlling vector type, not \(type)") }
            data = ConstantData(bytes: [])
            let lane = type.laneType
            for _ in 0..<type.laneCount {
                let laneBytes = lane.bytes
                var bits: UInt128
                if lane.isFloat {
                    bits = try parseFloat(exponentBits: lane.laneBits == 32 ? 8 : (lane.laneBits == 64 ? 11 : (lane.laneBits == 16 ? 5 : 15)),
                                          significandBits: lane.laneBits == 32 ? 23 : (lane.laneBits == 64 ? 52 : (lane.laneBits == 16 ? 10 : 112)),
                                          "expected a float lane")
                } else {
                    bits = UInt128(UInt64(bitPattern: try parseImmediate(bits: min(lane.laneBits, 64), "expected an integer lane")))
                }
                for _ in 0..<laneBytes {
                    data.bytes.append(UInt8(truncatingIfNeeded: bits))
                    bits >>= 8
                }
            }
            try expect(.rbracket, "expected a terminating right bracket")
        } else {
            data = try parseHexConstant()
            if data.bytes.count < expected {
                data.bytes += repeatElement(0, count: expected - data.bytes.count)
            }
        }
        guard data.bytes.count == expected else { throw error("expected parsed constant to have \(expected) bytes") }
        return data
    }

    mutating func parseBlockCall(_ message: String) throws -> BlockCall {
        let block = try expectEntity(.block, message)
        var call = BlockCall(Block(block.number))
        if optional(.lparen) {
            while kind != .rparen {
                guard kind == .entity else { throw error("unexpected token") }
                switch token.entityKind {
                case .value: call.arguments.append(.value(Value(advance().number)))
                    mention(.value, tokens[position - 1])
                case .tryCallReturn: call.arguments.append(.tryCallReturn(advance().number))
                case .tryCallException: call.arguments.append(.tryCallException(advance().number))
                default: throw error("unexpected token")
                }
                if !optional(.comma) { break }
            }
            try expect(.rparen, "expected ')' after arguments")
        }
        return call
    }

    /// A comma-separated list of values, appended to `values`.
    mutating func parseValueList(into values: inout ValueList) throws {
        guard kind == .entity && token.entityKind == .value else { return }
        values.append(try expectValue("expected value"))
        while optional(.comma) {
            values.append(try expectValue("expected value in argument list"))
        }
    }
}
