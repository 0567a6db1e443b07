import SourceText

extension Parser {
    mutating func parseFunction() {
        let startToken = token
        let startIndex = position
        function = Function(name: .testcase(""), signature: Signature())
        anchors = []
        definedValues = []
        declared = []
        anchor(.function)
        advance()
        do {
            let nameStart = token
            function.name = try parseFunctionName()
            function.nameRange = TextRange(start: Int(nameStart.start), end: Int(tokens[position - 1].end))
            function.signature = try parseSignature()
            try expect(.lbrace, "expected '{' before function body")
        } catch let failure as ParseError {
            report(failure)
            while kind != .eof && kind != .lbrace && !isIdentifier("function") { position += 1 }
            if kind != .lbrace {
                finishFunction(startToken: startToken, startIndex: startIndex)
                return
            }
            advance()
        } catch {}
        parsePreamble()
        parseBody()
        if kind == .rbrace {
            advance()
        } else {
            report(error("expected '}' after function body"))
        }
        finishFunction(startToken: startToken, startIndex: startIndex)
    }

    mutating func finishFunction(startToken: Token, startIndex: Int) {
        let endToken = position > 0 ? tokens[position - 1] : startToken
        function.range = TextRange(start: Int(startToken.start), end: max(Int(startToken.end), Int(endToken.end)))
        functionAnchors.append((Int32(startIndex), file.functions.count, anchors))
        file.functions.append(function)
    }

    mutating func parseFunctionName() throws -> FunctionName {
        switch kind {
        case .name:
            let t = advance()
            return .testcase(String(decoding: bytes[Int(t.start) + 1..<Int(t.end)], as: UTF8.self))
        case .userRef:
            let namespace = advance().number
            try expect(.colon, "expected user function name in the form uX:Y")
            guard kind == .integer, let index = UInt32(string(token)) else { throw error("expected integer") }
            advance()
            return .user(namespace: namespace, index: index)
        default:
            throw error("expected external name")
        }
    }

    mutating func parseExternalName() throws -> ExternalName {
        switch kind {
        case .name:
            let t = advance()
            return .named(String(decoding: bytes[Int(t.start) + 1..<Int(t.end)], as: UTF8.self))
        case .userRef:
            let namespace = advance().number
            try expect(.colon, "expected colon")
            guard kind == .integer, let index = UInt32(string(token)) else { throw error("expected integer") }
            advance()
            return .user(namespace: namespace, index: index)
        default:
            throw error("expected external name")
        }
    }

    mutating func parseSignature() throws -> Signature {
        var signature = Signature()
        try expect(.lparen, "expected function signature: ( args... )")
        if kind != .rparen { signature.params = try parseAbiParams() }
        try expect(.rparen, "expected ')' after function arguments")
        if optional(.arrow) { signature.returns = try parseAbiParams() }
        if kind == .identifier {
            let word = string(token)
            guard let callConv = CallConv(rawValue: word) else { throw error("unknown calling convention: \(word)") }
            advance()
            signature.callConv = callConv
        }
        return signature
    }

    mutating func parseAbiParams() throws -> [AbiParam] {
        var list = [try parseAbiParam()]
        while optional(.comma) { list.append(try parseAbiParam()) }
        return list
    }

    mutating func parseAbiParam() throws -> AbiParam {
        var param = AbiParam(try expectType("expected parameter type"))
        while kind == .identifier {
            switch string(token) {
            case "uext": param.extension_ = .uext
            case "sext": param.extension_ = .sext
            case "normal": param.purpose = .normal
            case "sret": param.purpose = .structReturn
            case "vmctx": param.purpose = .vmContext
            case "sarg":
                advance()
                try expect(.lparen, "expected '(' to begin sarg size")
                guard kind == .integer, let size = NumberFormat.parseUInt64(string(token)[...]), size <= UInt64(UInt32.max) else {
                    throw error("expected byte-size in sarg decl")
                }
                advance()
                try expect(.rparen, "expected ')' to end sarg size")
                param.purpose = .structArgument(UInt32(size))
                continue
            default:
                return param
            }
            advance()
        }
        return param
    }

    // MARK: Preamble

    mutating func parsePreamble() {
        while true {
            let start = position
            let startToken = token
            do {
                if kind == .entity {
                    let entity = EntityRef(token.entityKind, token.number)
                    switch token.entityKind {
                    case .stackSlot, .dynamicStackSlot, .dynamicType, .globalValue, .signature, .functionRef,
                         .constant, .region:
                        anchor(.entity(entity))
                        advance()
                        mention(entity.kind, startToken, definition: true)
                        let noun = entityNoun(entity.kind)
                        try expect(.equal, "expected '=' in \(noun) declaration")
                        try parseDeclaration(entity, startToken: startToken)
                    default:
                        return
                    }
                } else if isIdentifier("stack_limit") {
                    anchor(.stackLimit)
                    advance()
                    try expect(.equal, "expected '=' in stack limit decl")
                    let gv = try expectEntity(.globalValue, "expected global value")
                    if function.stackLimit != nil {
                        throw ParseError(message: "duplicate stack limit", range: range(of: startToken))
                    }
                    function.stackLimit = Declared(number: gv.number, data: gv.number, range: declRange(startToken),
                                                   nameRange: range(of: startToken))
                } else {
                    return
                }
                if !token.startsLine && kind != .eof && kind != .rbrace {
                    throw error("unexpected token after declaration")
                }
            } catch let failure as ParseError {
                report(failure)
                recover(from: start)
            } catch {}
        }
    }

    func entityNoun(_ kind: EntityKind) -> StaticString {
        switch kind {
        case .stackSlot, .dynamicStackSlot: "stack slot"
        case .dynamicType: "dynamic type"
        case .globalValue: "global value"
        case .signature: "signature"
        case .functionRef: "function"
        case .constant: "constant"
        case .region: "alias region"
        default: "entity"
        }
    }

    func declRange(_ startToken: Token) -> TextRange {
        TextRange(start: Int(startToken.start), end: Int(tokens[max(position - 1, 0)].end))
    }

    mutating func parseDeclaration(_ entity: EntityRef, startToken: Token) throws {
        if !declared.insert(entity).inserted {
            throw ParseError(message: "duplicate entity: \(entity)", range: range(of: startToken))
        }
        let number = entity.number
        let nameRange = range(of: startToken)
        switch entity.kind {
        case .stackSlot:
            let data = try parseStackSlot()
            function.stackSlots.append(Declared(number: number, data: data, range: declRange(startToken), nameRange: nameRange))
        case .dynamicStackSlot:
            guard kind == .identifier, let slotKind = StackSlotKind(rawValue: string(token)) else { throw error("expected stack slot kind") }
            advance()
            let dt = try expectEntity(.dynamicType, "expected dynamic type")
            function.dynamicStackSlots.append(Declared(number: number, data: DynamicStackSlotData(kind: slotKind, dynamicType: dt.number),
                                                       range: declRange(startToken), nameRange: nameRange))
        case .dynamicType:
            let base = try expectType("expected base type")
            guard base.isVector else { throw error("expected vector type") }
            try expect(.star, "expected '*' followed by a dynamic scale value")
            let gv = try expectEntity(.globalValue, "expected dynamic scale global value")
            function.dynamicTypes.append(Declared(number: number, data: DynamicTypeData(baseType: base, scale: gv.number),
                                                  range: declRange(startToken), nameRange: nameRange))
        case .globalValue:
            let data = try parseGlobalValue()
            function.globalValues.append(Declared(number: number, data: data, range: declRange(startToken), nameRange: nameRange))
        case .signature:
            let signature = try parseSignature()
            function.signatures.append(Declared(number: number, data: signature, range: declRange(startToken), nameRange: nameRange))
        case .functionRef:
            let colocated = isIdentifier("colocated") ? (advance(), true).1 : false
            let patchable = isIdentifier("patchable") ? (advance(), true).1 : false
            let name = try parseExternalName()
            let signatureNumber: UInt32
            if kind == .lparen {
                let signature = try parseSignature()
                signatureNumber = (function.signatures.map(\.number).max().map { $0 + 1 }) ?? 0
                function.signatures.append(Declared(number: signatureNumber, data: signature))
            } else if kind == .entity && token.entityKind == .signature {
                signatureNumber = try expectEntity(.signature, "expected signature").number
            } else {
                throw error("expected 'function' or sig«n» in function decl")
            }
            function.functionRefs.append(Declared(number: number, data: ExternalFunctionData(name: name, signature: signatureNumber,
                                                                                            colocated: colocated, patchable: patchable),
                                                  range: declRange(startToken), nameRange: nameRange))
        case .constant:
            let data: ConstantData
            if kind == .type {
                let type = advance().type
                data = try parseVectorConstant(type)
            } else {
                data = try parseHexConstant()
            }
            function.constants.append(Declared(number: number, data: data, range: declRange(startToken), nameRange: nameRange))
        case .region:
            guard kind == .integer, let userID = UInt32(string(token)) else { throw error("expected integer user_id for alias region") }
            advance()
            guard kind == .string else { throw error("expected string description for alias region") }
            let t = advance()
            let description = String(decoding: bytes[Int(t.start) + 1..<Int(t.end) - 1], as: UTF8.self)
            function.regions.append(Declared(number: number, data: AliasRegionData(userID: userID, description: description),
                                             range: declRange(startToken), nameRange: nameRange))
        default:
            break
        }
    }

    mutating func parseStackSlot() throws -> StackSlotData {
        guard kind == .identifier, let slotKind = StackSlotKind(rawValue: string(token)) else { throw error("expected stack slot kind") }
        advance()
        guard kind == .integer, let size = NumberFormat.parseInt64(string(token)[...]) else {
            throw error("expected byte-size in stack_slot decl")
        }
        if size < 0 { throw error("negative stack slot size") }
        if size > Int64(UInt32.max) { throw error("stack slot too large") }
        advance()
        var data = StackSlotData(kind: slotKind, size: UInt32(size))
        var align: UInt64 = 1
        while optional(.comma) {
            if isIdentifier("align") {
                advance()
                try expect(.equal, "expected `=` after flag")
                guard kind == .integer, let value = NumberFormat.parseInt64(string(token)[...]), value >= 0, value <= Int64(UInt32.max) else {
                    throw error("alignment must be a 32-bit unsigned integer")
                }
                advance()
                align = UInt64(value)
            } else if isIdentifier("key") {
                advance()
                try expect(.equal, "expected `=` after flag")
                guard kind == .integer, let value = NumberFormat.parseUInt64(string(token)[...]) else {
                    throw error("expected `u64` value for `key` flag")
                }
                advance()
                data.key = value
            } else {
                throw error("invalid flag for stack slot")
            }
        }
        guard align != 0, align & (align - 1) == 0 else { throw error("stack slot alignment is not a power of two") }
        data.alignShift = UInt8(align.trailingZeroBitCount)
        return data
    }

    mutating func parseGlobalValue() throws -> GlobalValueData {
        guard kind == .identifier else { throw error("expected global value kind") }
        let word = string(token)
        let kindToken = advance()
        switch word {
        case "vmctx":
            return .vmContext
        case "load":
            try expect(.dot, "expected '.' followed by type in load global value decl")
            let type = try expectType("expected load type")
            let flags = try parseMemFlags()
            let base = try expectEntity(.globalValue, "expected global value: gv«n»")
            let offset = try parseOptionalOffset32()
            if !(flags.isNotrap && flags.aligned) {
                throw ParseError(message: "global-value load must be notrap and aligned", range: range(of: kindToken))
            }
            return .load(base: base.number, offset: offset, type: type, flags: flags)
        case "iadd_imm":
            try expect(.dot, "expected '.' followed by type in iadd_imm global value decl")
            let type = try expectType("expected iadd type")
            let base = try expectEntity(.globalValue, "expected global value: gv«n»")
            try expect(.comma, "expected ',' followed by rhs in iadd_imm global value decl")
            let offset = try parseImm64("expected iadd_imm immediate")
            return .iaddImm(base: base.number, offset: offset, type: type)
        case "symbol":
            let colocated = isIdentifier("colocated") ? (advance(), true).1 : false
            let tls = isIdentifier("tls") ? (advance(), true).1 : false
            let name = try parseExternalName()
            var offset: Int64 = 0
            if kind == .integer, let first = bytes[Int(token.start)...].first, first == 43 || first == 45 {
                offset = try parseImm64("expected offset")
            }
            return .symbol(name: name, offset: offset, colocated: colocated, tls: tls)
        case "dyn_scale_target_const":
            try expect(.dot, "expected '.' followed by type in dynamic scale global value decl")
            let type = try expectType("expected load type")
            guard type.isVector else { throw error("Expected vector type") }
            return .dynScaleTargetConst(vectorType: type)
        default:
            throw ParseError(message: "Unknown global value kind '\(word)'", range: range(of: kindToken))
        }
    }
}
