extension Parser {
    /// Reads the operands of `instruction` in the layout of its opcode's format.
    mutating func parseOperands(_ instruction: inout Instruction, explicitType: CLIFType?) throws {
        let opcode = instruction.opcode
        func comma() throws { try expect(.comma, "expected ',' between operands") }
        switch opcode.format {
        case .unary:
            instruction.arguments = [try expectValue("expected SSA value operand")]
        case .unaryImm:
            let bits: Int
            switch explicitType {
            case .some(.i8): bits = 8
            case .some(.i16): bits = 16
            case .some(.i32): bits = 32
            case .some(.i64): bits = 64
            default: throw error("expected one of the following type: i8, i16, i32 or i64")
            }
            instruction.immediates = .imm64(try parseImmediate(bits: bits, "expected immediate \(bits)-bit integer operand"))
        case .unaryIeee16:
            instruction.immediates = .ieee16(UInt16(try parseFloat(exponentBits: 5, significandBits: 10, "expected immediate 16-bit float operand")))
        case .unaryIeee32:
            instruction.immediates = .ieee32(UInt32(try parseFloat(exponentBits: 8, significandBits: 23, "expected immediate 32-bit float operand")))
        case .unaryIeee64:
            instruction.immediates = .ieee64(UInt64(try parseFloat(exponentBits: 11, significandBits: 52, "expected immediate 64-bit float operand")))
        case .unaryConst:
            if kind == .entity && token.entityKind == .constant {
                instruction.immediates = .constant(try expectEntity(.constant, "expected constant").number)
            } else if opcode == .f128const {
                let bits = try parseFloat(exponentBits: 15, significandBits: 112, "expected immediate 128-bit float operand")
                var data = ConstantData(bytes: [])
                var remaining = bits
                for _ in 0..<16 {
                    data.bytes.append(UInt8(truncatingIfNeeded: remaining))
                    remaining >>= 8
                }
                instruction.immediates = .constant(internConstant(data))
            } else if let explicitType {
                instruction.immediates = .constant(internConstant(try parseVectorConstant(explicitType)))
            } else {
                throw error("Expected either a const entity or a typed value, e.g. inst.i32x4 [...]")
            }
        case .unaryGlobalValue:
            instruction.immediates = .globalValue(try expectEntity(.globalValue, "expected global value").number)
        case .binary:
            let lhs = try expectValue("expected SSA value first operand")
            try comma()
            instruction.arguments = [lhs, try expectValue("expected SSA value second operand")]
        case .binaryImm8:
            let arg = try expectValue("expected SSA value first operand")
            try comma()
            instruction.arguments = [arg]
            instruction.immediates = .uimm8(try parseUimm8("expected unsigned 8-bit immediate"))
        case .ternary:
            let a = try expectValue("expected SSA value control operand")
            try comma()
            let b = try expectValue("expected SSA value true operand")
            try comma()
            instruction.arguments = [a, b, try expectValue("expected SSA value false operand")]
        case .ternaryImm8:
            let a = try expectValue("expected SSA value first operand")
            try comma()
            let b = try expectValue("expected SSA value last operand")
            try comma()
            instruction.arguments = [a, b]
            instruction.immediates = .uimm8(try parseUimm8("expected 8-bit immediate"))
        case .multiAry:
            try parseValueList(into: &instruction.arguments)
        case .nullAry:
            break
        case .jump:
            instruction.destinations = [try parseBlockCall("expected jump destination block")]
        case .brif:
            let condition = try expectValue("expected SSA value control operand")
            try comma()
            let then = try parseBlockCall("expected branch then block")
            try comma()
            instruction.arguments = [condition]
            instruction.destinations = [then, try parseBlockCall("expected branch else block")]
        case .branchTable:
            let index = try expectValue("expected SSA value operand")
            try comma()
            var destinations = [try parseBlockCall("expected branch destination block")]
            try comma()
            try expect(.lbracket, "expected '[' before jump table contents")
            if kind != .rbracket {
                destinations.append(try parseBlockCall("expected jump_table entry"))
                while optional(.comma) {
                    destinations.append(try parseBlockCall("expected jump_table entry"))
                }
            }
            try expect(.rbracket, "expected ']' after jump table contents")
            instruction.arguments = [index]
            instruction.destinations = destinations
        case .shuffle:
            let a = try expectValue("expected SSA value first operand")
            try comma()
            let b = try expectValue("expected SSA value second operand")
            try comma()
            instruction.arguments = [a, b]
            instruction.immediates = .shuffleMask(ShuffleMask(bytes: try parseVectorConstant(.i8x16).bytes))
        case .intCompare:
            guard kind == .identifier, let cc = IntCC(rawValue: string(token)) else { throw error("expected intcc condition code") }
            advance()
            let lhs = try expectValue("expected SSA value first operand")
            try comma()
            instruction.arguments = [lhs, try expectValue("expected SSA value second operand")]
            instruction.immediates = .intCC(cc)
        case .floatCompare:
            guard kind == .identifier, let cc = FloatCC(rawValue: string(token)) else { throw error("expected floatcc condition code") }
            advance()
            let lhs = try expectValue("expected SSA value first operand")
            try comma()
            instruction.arguments = [lhs, try expectValue("expected SSA value second operand")]
            instruction.immediates = .floatCC(cc)
        case .call:
            let callee = try expectEntity(.functionRef, "expected function reference")
            try expect(.lparen, "expected '(' before arguments")
            try parseValueList(into: &instruction.arguments)
            try expect(.rparen, "expected ')' after arguments")
            instruction.immediates = .functionRef(callee.number)
        case .callIndirect:
            let sig = try expectEntity(.signature, "expected signature reference")
            try comma()
            let callee = try expectValue("expected SSA value callee operand")
            try expect(.lparen, "expected '(' before arguments")
            instruction.arguments = [callee]
            try parseValueList(into: &instruction.arguments)
            try expect(.rparen, "expected ')' after arguments")
            instruction.immediates = .signatureRef(sig.number)
        case .tryCall, .tryCallIndirect:
            var calleeRef: UInt32?
            if opcode.format == .tryCall {
                calleeRef = try expectEntity(.functionRef, "expected function reference").number
                try expect(.lparen, "expected '(' before arguments")
                try parseValueList(into: &instruction.arguments)
            } else {
                let callee = try expectValue("expected SSA value callee operand")
                try expect(.lparen, "expected '(' before arguments")
                instruction.arguments = [callee]
            try parseValueList(into: &instruction.arguments)
            }
            try expect(.rparen, "expected ')' after arguments")
            try expect(.comma, "expected ',' after argument list")
            let sig = try expectEntity(.signature, "expected signature of called function")
            try expect(.comma, "expected comma after signature argument")
            var destinations = [try parseBlockCall("expected branch destination block")]
            try expect(.comma, "expected comma after normal-return destination")
            try expect(.lbracket, "expected an open-bracket for exception table list")
            var items: [ExceptionTableItem] = []
            while kind != .rbracket {
                if kind == .entity && token.entityKind == .exceptionTag {
                    let tag = advance()
                    try expect(.colon, "expected ':' after exception tag")
                    items.append(.tag(tag.number))
                    destinations.append(try parseBlockCall("expected branch destination block"))
                } else if isIdentifier("default") {
                    advance()
                    try expect(.colon, "expected ':' after 'default'")
                    items.append(.default)
                    destinations.append(try parseBlockCall("expected branch destination block"))
                } else if isIdentifier("context") {
                    advance()
                    items.append(.context(try expectValue("expected value for exception-handler context")))
                } else {
                    throw error("invalid token")
                }
                if !optional(.comma) { break }
            }
            try expect(.rbracket, "expected closing bracket")
            instruction.destinations = destinations
            instruction.immediates = .exceptionTable(callee: calleeRef, signature: sig.number)
            instruction.exceptionItems = items
        case .funcAddr:
            instruction.immediates = .functionRef(try expectEntity(.functionRef, "expected function reference").number)
        case .stackAddr:
            let slot = try expectEntity(.stackSlot, "expected stack slot number: ss«n»")
            instruction.immediates = .stackSlot(slot.number, offset: try parseOptionalOffset32())
        case .dynamicStackAddr:
            instruction.immediates = .dynamicStackSlot(try expectEntity(.dynamicStackSlot, "expected dynamic stack slot number: dss«n»").number)
        case .load:
            let flags = try parseMemFlags()
            instruction.arguments = [try expectValue("expected SSA value address")]
            instruction.immediates = .memory(flags, offset: try parseOptionalOffset32())
        case .store:
            let flags = try parseMemFlags()
            let value = try expectValue("expected SSA value operand")
            try comma()
            instruction.arguments = [value, try expectValue("expected SSA value address")]
            instruction.immediates = .memory(flags, offset: try parseOptionalOffset32())
        case .loadNoOffset:
            let flags = try parseMemFlags()
            instruction.arguments = [try expectValue("expected SSA value address")]
            instruction.immediates = .memory(flags, offset: 0)
        case .storeNoOffset:
            let flags = try parseMemFlags()
            let value = try expectValue("expected SSA value operand")
            try comma()
            instruction.arguments = [value, try expectValue("expected SSA value address")]
            instruction.immediates = .memory(flags, offset: 0)
        case .atomicCas:
            let flags = try parseMemFlags()
            let address = try expectValue("expected SSA value address")
            try comma()
            let expected = try expectValue("expected SSA value address")
            try comma()
            instruction.arguments = [address, expected, try expectValue("expected SSA value address")]
            instruction.immediates = .memory(flags, offset: 0)
        case .atomicRmw:
            let flags = try parseMemFlags()
            guard kind == .identifier, let op = AtomicRmwOp(rawValue: string(token)) else { throw error("expected AtomicRmwOp") }
            advance()
            let address = try expectValue("expected SSA value address")
            try comma()
            instruction.arguments = [address, try expectValue("expected SSA value address")]
            instruction.immediates = .atomicRmw(flags, op)
        case .trap:
            instruction.immediates = .trapCode(try parseTrapCode())
        case .condTrap:
            instruction.arguments = [try expectValue("expected SSA value operand")]
            try comma()
            instruction.immediates = .trapCode(try parseTrapCode())
        case .intAddTrap:
            let a = try expectValue("expected SSA value operand")
            try comma()
            let b = try expectValue("expected SSA value operand")
            try comma()
            instruction.arguments = [a, b]
            instruction.immediates = .trapCode(try parseTrapCode())
        case .exceptionHandlerAddress:
            let block = try expectEntity(.block, "expected block")
            try comma()
            instruction.immediates = .exceptionHandler(Block(block.number), index: try parseImm64("expected immediate handler index"))
        }
    }

    mutating func parseTrapCode() throws -> TrapCode {
        guard kind == .identifier, let code = TrapCode(string(token)) else { throw error("expected trap code") }
        advance()
        return code
    }

    /// Adds `data` to the function's constants unless an equal one exists (the constant pool
    /// deduplicates), and returns its number.
    mutating func internConstant(_ data: ConstantData) -> UInt32 {
        if let existing = function.constants.first(where: { $0.data == data }) { return existing.number }
        let number = (function.constants.map(\.number).max().map { $0 + 1 }) ?? 0
        function.constants.append(Declared(number: number, data: data))
        return number
    }
}
