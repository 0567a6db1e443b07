import SourceText

extension Parser {
    /// Whether the current token can begin an instruction line.
    var atInstructionStart: Bool {
        switch kind {
        case .identifier, .sourceLoc, .langle, .lbracket: return true
        case .entity: return token.entityKind == .value
        default: return false
        }
    }

    mutating func parseBody() {
        while kind != .rbrace && kind != .eof && !isIdentifier("function") {
            if kind == .entity && token.entityKind == .block {
                parseBlock()
            } else {
                report(error("expected block header"))
                skipLine()
            }
        }
    }

    mutating func parseBlock() {
        let header = token
        let blockIndex = function.blocks.count
        anchor(.entity(EntityRef(.block, header.number)))
        advance()
        mention(.block, header, definition: true)
        var data = BlockData(block: Block(header.number), nameRange: range(of: header))
        if !declared.insert(EntityRef(.block, header.number)).inserted {
            report(ParseError(message: "duplicate entity: block\(header.number)", range: range(of: header)))
        }
        do {
            if optional(.lparen) {
                if kind != .rparen {
                    repeat {
                        let valueToken = try expectEntity(.value, "block argument must be a value")
                        try checkDefinable(valueToken)
                        function.mentions[function.mentions.count - 1].isDefinition = true
                        try expect(.colon, "expected ':' after block argument")
                        let type = try expectType("expected block argument type")
                        let value = Value(valueToken.number)
                        if isDefined(value) {
                            report(ParseError(message: "duplicate entity: \(value)", range: range(of: valueToken)))
                        }
                        markDefined(value)
                        function.setType(type, of: value)
                        data.params.append(BlockParam(value: value, type: type, range: TextRange(start: Int(valueToken.start), end: Int(tokens[position - 1].end))))
                    } while optional(.comma)
                }
                try expect(.rparen, "expected ')' after block parameters")
            }
            if optional(.cold) { data.isCold = true }
            try expect(.colon, "expected ':' after block parameters")
        } catch let failure as ParseError {
            report(failure)
            skipLine()
        } catch {}
        data.headerRange = TextRange(start: Int(header.start), end: Int(tokens[max(position - 1, 0)].end))
        function.blocks.append(data)
        while atInstructionStart && !isIdentifier("function") {
            let start = position
            do {
                try parseLine(blockIndex: blockIndex)
                if kind != .eof && !token.startsLine && kind != .rbrace {
                    throw error("unexpected token after instruction")
                }
            } catch let failure as ParseError {
                report(failure)
                recover(from: start)
            } catch {}
        }
    }

    /// One line in a block: `[<tags>] [@loc] results = inst`, a bare instruction, or `v1 -> v2`.
    mutating func parseLine(blockIndex: Int) throws {
        let lineStart = position
        let instructionIndex = function.blocks[blockIndex].instructions.count
        anchor(.instruction(block: blockIndex, index: instructionIndex))
        let mentionStart = function.mentions.count
        var tags: [DebugTag] = []
        if optional(.langle) {
            while !optional(.rangle) {
                if kind == .integer, let value = UInt32(string(token)) {
                    advance()
                    tags.append(.user(value))
                } else if kind == .entity && token.entityKind == .stackSlot {
                    let t = advance()
                    mention(.stackSlot, t)
                    tags.append(.stackSlot(t.number))
                } else {
                    throw error("expected integer user value or stack slot in debug tags")
                }
                if !optional(.comma) {
                    try expect(.rangle, "expected `,` or `>`")
                    break
                }
            }
        }
        var sourceLocation: UInt32?
        if kind == .sourceLoc {
            let t = advance()
            guard let location = UInt32(String(decoding: bytes[Int(t.start) + 1..<Int(t.end)], as: UTF8.self), radix: 16) else {
                throw error("invalid source location", at: t)
            }
            sourceLocation = location
        }
        let firstToken = token
        var results: [(Value, Token)] = []
        if kind == .entity && token.entityKind == .value {
            let t = advance()
            try checkDefinable(t)
            mention(.value, t, definition: true)
            results.append((Value(t.number), t))
            while optional(.comma) {
                let r = try expectEntity(.value, "expected result value")
                try checkDefinable(r)
                function.mentions[function.mentions.count - 1].isDefinition = true
                results.append((Value(r.number), r))
            }
        }
        if kind == .arrow {
            advance()
            guard results.count == 1 else { throw error("wrong number of aliases") }
            let target = try expectValue("expected value alias")
            let alias = results[0].0
            if isDefined(alias) {
                if let existing = function.aliases.first(where: { $0.alias == alias }) {
                    guard existing.target == target else {
                        throw ParseError(message: "value \(alias) is already defined as an alias with destination \(existing.target)",
                                         range: range(of: results[0].1))
                    }
                    anchors.removeLast()
                    anchor(.entity(EntityRef(.value, alias.number)), at: lineStart)
                    return
                }
                throw ParseError(message: "value \(alias) is already defined", range: range(of: results[0].1))
            }
            guard isDefined(target) else { throw ParseError(message: "value \(target) is not yet defined", range: range(of: tokens[position - 1])) }
            markDefined(alias)
            function.setType(function.type(of: target), of: alias)
            function.aliases.append(ValueAlias(alias: alias, target: target, range: TextRange(start: Int(firstToken.start), end: Int(tokens[position - 1].end))))
            anchors.removeLast()
            anchor(.entity(EntityRef(.value, alias.number)), at: lineStart)
            return
        }
        if !results.isEmpty { try expect(.equal, "expected -> or =") }
        for (value, t) in results {
            if isDefined(value) {
                throw ParseError(message: "duplicate entity: \(value)", range: range(of: t))
            }
        }
        var instruction = try parseInstruction()
        instruction.sourceLocation = sourceLocation
        instruction.debugTags = tags
        instruction.results = ValueList(results.lazy.map(\.0))
        instruction.range = TextRange(start: Int(firstToken.start), end: Int(tokens[position - 1].end))
        let info = instruction.opcode.info
        if info.variadicResults {
            let returns = function.calledSignature(of: instruction)?.returns
            if let returns, returns.count != results.count {
                throw ParseError(message: "instruction produces \(returns.count) result values, \(results.count) given",
                                 range: instruction.opcodeRange ?? instruction.range!)
            }
            for (index, (value, _)) in results.enumerated() {
                markDefined(value)
                function.setType(returns.map { $0[index].type } ?? .invalid, of: value)
            }
        } else {
            if info.results.count != results.count {
                throw ParseError(message: "instruction produces \(info.results.count) result values, \(results.count) given",
                                 range: instruction.opcodeRange ?? instruction.range!)
            }
            for (index, (value, _)) in results.enumerated() {
                markDefined(value)
                function.setType(info.results[index].resolve(controllingType: instruction.controllingType) ?? .invalid, of: value)
            }
        }
        instruction.mentions = mentionStart..<function.mentions.count
        function.blocks[blockIndex].instructions.append(instruction)
    }

    mutating func parseInstruction() throws -> Instruction {
        guard kind == .identifier else { throw error("expected instruction opcode") }
        let opcodeToken = token
        let opcode = bytes.withUnsafeBufferPointer {
            Opcode(utf8: UnsafeBufferPointer(rebasing: $0[Int(opcodeToken.start)..<Int(opcodeToken.end)]))
        }
        guard let opcode else { throw error("unknown opcode: '\(string(opcodeToken))'") }
        advance()
        var explicitType: CLIFType?
        if optional(.dot) {
            if kind == .type {
                explicitType = advance().type
            } else if kind == .entity && token.entityKind == .dynamicType {
                let dt = advance()
                mention(.dynamicType, dt)
                guard let declared = function.dynamicTypes.first(where: { $0.number == dt.number }) else {
                    throw error("undefined dynamic type dt\(dt.number)", at: dt)
                }
                let base = declared.data.baseType
                explicitType = CLIFType(isFloat: base.isFloat, laneBits: base.laneBits, lanes: base.laneCount, dynamic: true)
            } else {
                throw error("expected type after 'opcode.'")
            }
        }
        var instruction = Instruction(opcode: opcode)
        instruction.opcodeRange = range(of: opcodeToken)
        try parseOperands(&instruction, explicitType: explicitType)
        instruction.controllingType = try inferControllingType(instruction, explicitType: explicitType, opcodeToken: opcodeToken)
        if instruction.opcode.format == .unaryImm, case .imm64(let raw) = instruction.immediates {
            instruction.immediates = .imm64(raw)
        }
        if optional(.comma) {
            guard isIdentifier("stack_map") else { throw error("expected `stack_map = [...]`") }
            advance()
            let info = opcode.info
            if !info.properties.contains(.call) || info.properties.contains(.return) {
                throw error("stack map can only be attached to a (non-tail) call")
            }
            try expect(.equal, "expected `= [...]`")
            try expect(.lbracket, "expected `[...]`")
            while !optional(.rbracket) {
                let type = try expectType("expected `<type> @ <slot> + <offset>`")
                try expect(.at, "expected `@ <slot> + <offset>`")
                let slot = try expectEntity(.stackSlot, "expected `<slot> + <offset>`")
                if !(kind == .integer && bytes[Int(token.start)] == 43) {
                    try expect(.plus, "expected `+ <offset>`")
                }
                guard kind == .integer, let offset = NumberFormat.parseUInt64(string(token).drop(while: { $0 == "+" })),
                      offset <= UInt64(UInt32.max) else { throw error("expected a u32 offset") }
                advance()
                instruction.stackMap.append(StackMapEntry(type: type, slot: slot.number, offset: UInt32(offset)))
                if !optional(.comma) {
                    try expect(.rbracket, "expected `,` or `]`")
                    break
                }
            }
        }
        return instruction
    }

    func inferControllingType(_ instruction: Instruction, explicitType: CLIFType?, opcodeToken: Token) throws -> CLIFType {
        let info = instruction.opcode.info
        let ctrl: CLIFType
        if let explicitType {
            ctrl = explicitType
        } else if info.typeFromOperand {
            let operandIndex = info.typeVariableOperand
            guard operandIndex < instruction.arguments.count else { return .invalid }
            let source = instruction.arguments[operandIndex]
            guard isDefined(source) else {
                let example = "\(info.name).\(info.controllingTypes?.example ?? .i32)"
                throw ParseError(message: "type variable required for polymorphic opcode, e.g. '\(example)'; can't infer from \(source) which is not yet defined",
                                 range: range(of: opcodeToken))
            }
            ctrl = function.type(of: source)
        } else if let set = info.controllingTypes {
            throw ParseError(message: "type variable required for polymorphic opcode, e.g. '\(info.name).\(set.example)'",
                             range: range(of: opcodeToken))
        } else {
            return .invalid
        }
        if let set = info.controllingTypes {
            if !set.contains(ctrl) {
                throw ParseError(message: "\(ctrl) is not a valid typevar for \(info.name)", range: range(of: opcodeToken))
            }
        } else if !ctrl.isInvalid {
            throw ParseError(message: "\(info.name) does not take a typevar", range: range(of: opcodeToken))
        }
        return ctrl
    }
}
