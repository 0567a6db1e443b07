import SourceText
import Wasm

/// One open folded form while parsing an expression; kept on an explicit stack.
struct FoldedFrame {
    enum Kind {
        /// `(i32.add …)`: the instruction is emitted at the closing parenthesis.
        case plain
        /// `(block …)`, `(loop …)`, `(try_table …)`: `end` is emitted at the closing parenthesis.
        case block
        case ifCondition
        case ifThen
        case ifAfterThen
        case ifElse
        case ifAfterElse
        case tryStart
        case tryBody
        case tryAfterBody
        case tryHandler
        case tryDelegated
    }

    var kind: Kind
    var instruction: InstructionSyntax
    var hint: BranchHintSyntax?
    /// `depth` before the frame's opening parenthesis.
    var depth: Int
    /// For legacy `try`: a handler was written (no `delegate` any more), `catch_all` was written
    /// (no handler any more).
    var hasHandler = false
    var hasCatchAll = false
}

extension Parser {
    /// Instructions until the `)` that closes the enclosing form (not consumed) or the end of
    /// the file. Syntax errors are recorded, the failing instruction is skipped and parsing goes
    /// on; `hasErrors` is set on the expression.
    mutating func parseExpression(start: Int, singleFolded: Bool = false) -> ExpressionSyntax {
        // Instructions are appended to a buffer the parser reuses, and the body keeps an exact-size
        // copy: bodies live as long as the module (the source map shares them), and arrays grown
        // by appending would keep up to half their room unused, plus the freed smaller buffers.
        var scratch = instructionScratch
        instructionScratch = []
        var expression = parseExpression(start: start, singleFolded: singleFolded, into: scratch)
        scratch = expression.instructions
        expression.instructions = [InstructionSyntax](unsafeUninitializedCapacity: scratch.count) { buffer, count in
            count = buffer.initialize(fromContentsOf: scratch)
        }
        scratch.removeAll(keepingCapacity: true)
        instructionScratch = scratch
        return expression
    }

    private mutating func parseExpression(
        start: Int, singleFolded: Bool, into scratch: [InstructionSyntax]
    ) -> ExpressionSyntax {
        var expression = ExpressionSyntax(instructions: scratch, range: TextRange(at: start))
        var frames: [FoldedFrame] = []
        var pendingHint: BranchHintSyntax?
        let baseDepth = depth

        func emit(_ instruction: InstructionSyntax, hint: BranchHintSyntax?, into expression: inout ExpressionSyntax) {
            if var hint {
                hint.instructionIndex = expression.instructions.count
                expression.branchHints.append(hint)
            }
            expression.instructions.append(instruction)
        }

        while true {
            let instructionDepth = depth
            let instructionStart = token.range.start
            do throws(SyntaxError) {
                switch token.kind {
                case .rightParen:
                    guard var frame = frames.popLast() else {
                        expression.range = TextRange(start: start, end: max(start, previousEnd))
                        return expression
                    }
                    let close = advance()
                    switch frame.kind {
                    case .plain:
                        frame.instruction.range = TextRange(start: frame.instruction.range.start, end: close.range.end)
                        emit(frame.instruction, hint: frame.hint, into: &expression)
                    case .block, .ifAfterThen, .ifAfterElse, .tryAfterBody:
                        emit(InstructionSyntax(opcode: .end, immediates: .endLabel(nil), range: close.range),
                             hint: nil, into: &expression)
                    case .ifThen:
                        frame.kind = .ifAfterThen
                        frames.append(frame)
                    case .ifElse:
                        frame.kind = .ifAfterElse
                        frames.append(frame)
                    case .tryBody, .tryHandler:
                        frame.kind = .tryAfterBody
                        frames.append(frame)
                    case .tryDelegated:
                        break
                    case .ifCondition:
                        throw error("expected `(then …)` in `if`", at: close.range)
                    case .tryStart:
                        throw error("expected `(do …)` in `try`", at: close.range)
                    }
                    if singleFolded && frames.isEmpty {
                        expression.range = TextRange(start: start, end: previousEnd)
                        return expression
                    }
                case .leftParen:
                    if let top = frames.last, try handleArm(top, &frames, &expression, &pendingHint) {
                        continue
                    }
                    let open = advance()
                    guard token.kind == .keyword, let opcode = instructionOpcode(token) else {
                        throw unexpected("an instruction")
                    }
                    switch opcode {
                    case .end, .else, .catch, .catchAll, .delegate:
                        throw error("unexpected token: `\(opcode.name)` cannot be folded", at: token.range)
                    default:
                        break
                    }
                    let nameToken = advance()
                    var instruction = InstructionSyntax(opcode: opcode, immediates: .none, range: nameToken.range)
                    instruction.immediates = try parseImmediates(opcode)
                    instruction.range = TextRange(start: open.range.start, end: previousEnd)
                    let hint = pendingHint
                    pendingHint = nil
                    switch opcode {
                    case .block, .loop, .tryTable:
                        emit(instruction, hint: hint, into: &expression)
                        frames.append(FoldedFrame(kind: .block, instruction: instruction, depth: instructionDepth))
                    case .if:
                        frames.append(FoldedFrame(kind: .ifCondition, instruction: instruction, hint: hint,
                                                  depth: instructionDepth))
                    case .try:
                        frames.append(FoldedFrame(kind: .tryStart, instruction: instruction, depth: instructionDepth))
                    default:
                        frames.append(FoldedFrame(kind: .plain, instruction: instruction, hint: hint,
                                                  depth: instructionDepth))
                    }
                case .annotationStart:
                    guard isAnnotation(token, "metadata.code.branch_hint") else {
                        throw error("misplaced annotation", at: token.range)
                    }
                    let open = advance()
                    let value = try expectString()
                    try expectRightParen()
                    let range = TextRange(start: open.range.start, end: previousEnd)
                    guard value.bytes.count == 1, value.bytes[0] <= 1 else {
                        throw error("invalid value for branch hint", at: value.range)
                    }
                    if pendingHint != nil {
                        throw error("duplicate branch hint annotation", at: range)
                    }
                    pendingHint = BranchHintSyntax(instructionIndex: 0, value: value.bytes[0], range: range)
                case .keyword:
                    if singleFolded && frames.isEmpty { throw unexpected("`(`") }
                    if let top = frames.last, top.kind == .ifCondition || top.kind == .tryStart {
                        throw unexpected("`(`")
                    }
                    guard let opcode = instructionOpcode(token) else { throw unexpected("an instruction") }
                    let nameToken = advance()
                    let immediates = try parseImmediates(opcode)
                    let instruction = InstructionSyntax(opcode: opcode, immediates: immediates,
                                                        range: TextRange(start: nameToken.range.start, end: previousEnd))
                    emit(instruction, hint: pendingHint, into: &expression)
                    pendingHint = nil
                case .endOfFile:
                    if !frames.isEmpty { throw unexpected("`)`") }
                    expression.range = TextRange(start: start, end: max(start, previousEnd))
                    return expression
                default:
                    throw unexpected("an instruction")
                }
            } catch {
                record(error)
                expression.hasErrors = true
                pendingHint = nil
                // Always make progress: an error before anything was consumed skips the token
                // (or the whole parenthesised form) it was found at.
                if token.range.start == instructionStart && token.kind == .leftParen {
                    advance()
                } else if token.range.start == instructionStart && token.kind != .rightParen && token.kind != .endOfFile {
                    advance()
                }
                // Close what the failing instruction opened, then drop the frames it was in
                // only when the error reached past them.
                skip(toDepth: instructionDepth)
                while let top = frames.last, top.depth >= depth { frames.removeLast() }
                if token.kind == .endOfFile || depth < baseDepth || (singleFolded && frames.isEmpty) {
                    expression.range = TextRange(start: start, end: max(start, previousEnd))
                    return expression
                }
                if token.kind != .leftParen && token.kind != .rightParen {
                    // A flat instruction failed: skip to the next instruction name or parenthesis.
                    while token.kind != .leftParen && token.kind != .rightParen && token.kind != .endOfFile
                            && !(token.kind == .keyword && instructionOpcode(token) != nil) {
                        advance()
                    }
                }
            }
        }
    }

    /// `(then …)`, `(else …)`, `(do …)`, `(catch …)`, `(catch_all …)`, `(delegate …)` inside folded
    /// `if` and `try`. Returns false when the parenthesis opens an ordinary instruction.
    mutating func handleArm(_ top: FoldedFrame, _ frames: inout [FoldedFrame], _ expression: inout ExpressionSyntax,
                            _ pendingHint: inout BranchHintSyntax?) throws(SyntaxError) -> Bool {
        let next = peek2()
        var frame = top
        switch top.kind {
        case .ifCondition:
            guard isKeyword(next, "then") else { return false }
            advance()
            advance()
            if var hint = frame.hint {
                hint.instructionIndex = expression.instructions.count
                expression.branchHints.append(hint)
            }
            expression.instructions.append(frame.instruction)
            frame.kind = .ifThen
        case .ifAfterThen:
            guard isKeyword(next, "else") else { throw error("expected `(else …)` or `)`", at: next.range) }
            advance()
            let keyword = advance()
            expression.instructions.append(InstructionSyntax(opcode: .else, immediates: .endLabel(nil), range: keyword.range))
            frame.kind = .ifElse
        case .ifAfterElse:
            throw error("too many arms in `if`", at: next.range)
        case .tryStart:
            guard isKeyword(next, "do") else { return false }
            advance()
            advance()
            expression.instructions.append(frame.instruction)
            frame.kind = .tryBody
        case .tryAfterBody:
            if frame.hasCatchAll && (isKeyword(next, "catch") || isKeyword(next, "catch_all")) {
                throw error("unexpected token: no handler can follow `catch_all`", at: next.range)
            }
            if frame.hasHandler && isKeyword(next, "delegate") {
                throw error("unexpected token: `delegate` cannot follow a handler", at: next.range)
            }
            let open = advance()
            if consumeKeyword("catch") {
                frame.hasHandler = true
                let tag = try expectIndex("a tag")
                expression.instructions.append(InstructionSyntax(opcode: .catch, immediates: .index(tag),
                                                                 range: TextRange(start: open.range.start, end: previousEnd)))
                frame.kind = .tryHandler
            } else if consumeKeyword("catch_all") {
                frame.hasHandler = true
                frame.hasCatchAll = true
                expression.instructions.append(InstructionSyntax(opcode: .catchAll, immediates: .none,
                                                                 range: TextRange(start: open.range.start, end: previousEnd)))
                frame.kind = .tryHandler
            } else if consumeKeyword("delegate") {
                let label = try expectIndex("a label")
                try expectRightParen()
                expression.instructions.append(InstructionSyntax(opcode: .delegate, immediates: .index(label),
                                                                 range: TextRange(start: open.range.start, end: previousEnd)))
                frame.kind = .tryDelegated
            } else {
                throw unexpected("`catch`, `catch_all` or `delegate`")
            }
        default:
            return false
        }
        frames[frames.count - 1] = frame
        return true
    }

    /// The instruction a keyword names, from the instruction table.
    func instructionOpcode(_ token: Token) -> Opcode? {
        InstructionNames.shared.lookup(bytes, token.range)
    }

    // MARK: Immediates

    mutating func parseImmediates(_ opcode: Opcode) throws(SyntaxError) -> ImmediateSyntax {
        switch opcode {
        case .end, .else:
            return .endLabel(try optionalIdentifier())
        case .catchAll:
            return .none
        default:
            break
        }
        switch opcode.info.immediates {
        case .none, .zeroByte:
            return .none
        case .blockType:
            return .block(try parseBlockHeader())
        case .label, .function, .type, .local, .global, .tag, .data, .element:
            return .index(try expectIndex())
        case .table, .memory:
            return .index(try optionalIndex())
        case .labelTable:
            var labels: [IndexSyntax] = [try expectIndex("a label")]
            while let label = try optionalIndex() { labels.append(label) }
            return .labelTable(labels)
        case .typeAndTable:
            let table = try optionalIndex()
            let type = try parseTypeUse(allowNames: false)
            return .callIndirect(type, table: table)
        case .memoryPair, .tablePair:
            guard let destination = try optionalIndex() else { return .indexPair(nil, nil) }
            return .indexPair(destination, try expectIndex())
        case .dataAndMemory, .elementAndTable:
            // Text order: `memory? data` / `table? elem`; binary order: segment, then memory/table.
            let first = try expectIndex()
            if let second = try optionalIndex() { return .indexPair(second, first) }
            return .indexPair(first, nil)
        case .typeAndField, .typeAndData, .typeAndElement, .typePair:
            let type = try expectIndex("a type index")
            return .indexPair(type, try expectIndex())
        case .typeAndCount:
            let type = try expectIndex("a type index")
            return .count(type, try expectU32())
        case .memArg(let natural):
            return .memArg(try parseMemArg(natural: natural))
        case .memArgLane(let natural):
            var hasMemArg = true
            if token.kind == .integer {
                let next = peek2()
                if next.kind == .integer {
                    hasMemArg = true
                } else if next.kind == .keyword,
                          text(next).starts(with: "offset=".utf8) || text(next).starts(with: "align=".utf8) {
                    hasMemArg = true
                } else {
                    hasMemArg = false
                }
            }
            let memArg = hasMemArg ? try parseMemArg(natural: natural) : MemArgSyntax()
            return .memArgLane(memArg, lane: try expectLane())
        case .lane:
            return .lane(try expectLane())
        case .i32:
            return .i32(UInt32(truncatingIfNeeded: try expectInteger(bits: 32)))
        case .i64:
            return .i64(try expectInteger(bits: 64))
        case .f32:
            return .f32(try expectFloat32())
        case .f64:
            return .f64(try expectFloat64())
        case .v128:
            return .v128(try parseV128Constant())
        case .shuffle:
            var lanes: [UInt8] = []
            for _ in 0..<16 { lanes.append(try expectLane()) }
            return .v128(V128(bytes: lanes))
        case .heapType:
            return .heapType(try parseHeapType())
        case .castType:
            return .refType(try parseRefType())
        case .branchOnCast:
            let label = try expectIndex("a label")
            let from = try parseRefType()
            let to = try parseRefType()
            return .branchOnCast(label, from: from, to: to)
        case .selectTypes:
            var types: [ValueTypeSyntax]?
            while atField("result") {
                advance()
                advance()
                var list = types ?? []
                while token.kind != .rightParen { list.append(try parseValueType()) }
                advance()
                types = list
            }
            return .selectTypes(types)
        case .tryTable:
            let header = try parseBlockHeader(catchesFollow: true)
            var catches: [CatchSyntax] = []
            while token.kind == .leftParen {
                let next = peek2()
                let kind: Catch.Kind
                if isKeyword(next, "catch") { kind = .catch }
                else if isKeyword(next, "catch_ref") { kind = .catchRef }
                else if isKeyword(next, "catch_all") { kind = .catchAll }
                else if isKeyword(next, "catch_all_ref") { kind = .catchAllRef }
                else { break }
                let open = advance()
                advance()
                var tag: IndexSyntax?
                if kind == .catch || kind == .catchRef { tag = try expectIndex("a tag") }
                let label = try expectIndex("a label")
                try expectRightParen()
                catches.append(CatchSyntax(kind: kind, tag: tag, label: label,
                                           range: TextRange(start: open.range.start, end: previousEnd)))
            }
            return .tryTable(header, catches)
        }
    }

    mutating func parseBlockHeader(catchesFollow: Bool = false) throws(SyntaxError) -> BlockSyntax {
        let label = try optionalIdentifier()
        let annotation = try optionalNameAnnotation()
        let type = try parseTypeUse(allowNames: false)
        return BlockSyntax(label: label, nameAnnotation: annotation, type: type)
    }

    mutating func expectLane() throws(SyntaxError) -> UInt8 {
        let range = token.range
        if token.kind == .integer && (bytes[range.start] == UInt8(ascii: "+") || bytes[range.start] == UInt8(ascii: "-")) {
            throw error("unexpected token: a lane index has no sign", at: range)
        }
        let value = try expectU32()
        guard value <= 255 else { throw error("lane index out of range", at: range) }
        return UInt8(value)
    }

    /// `$mem? offset=N? align=N?`.
    mutating func parseMemArg(natural: UInt32) throws(SyntaxError) -> MemArgSyntax {
        var memArg = MemArgSyntax()
        memArg.memory = try optionalIndex()
        if let offset = try optionalKeywordValue("offset=") { memArg.offset = offset }
        let alignRange = token.range
        if let align = try optionalKeywordValue("align=") {
            guard align != 0, align & (align - 1) == 0 else {
                throw error("alignment must be a power of two", at: alignRange)
            }
            memArg.align = align
        }
        return memArg
    }

    /// The number of a keyword such as `offset=16`, when the cursor is at one.
    mutating func optionalKeywordValue(_ prefix: String) throws(SyntaxError) -> UInt64? {
        guard token.kind == .keyword, text(token).starts(with: prefix.utf8) else { return nil }
        let start = token.range.start + prefix.utf8.count
        let end = token.range.end
        guard start < end, NumberSyntax.classify(bytes, start, end) == .integer,
              bytes[start] != UInt8(ascii: "+"), bytes[start] != UInt8(ascii: "-") else {
            throw error("expected an integer after `\(prefix)`", at: token.range)
        }
        guard let value = NumberSyntax.integer(bytes, start, end).magnitude else {
            throw error("constant out of range", at: token.range)
        }
        advance()
        return value
    }

    /// `i32x4 1 2 3 4` and the other shapes of `v128.const`.
    mutating func parseV128Constant() throws(SyntaxError) -> V128 {
        var bytes: [UInt8] = []
        func append(_ value: UInt64, _ width: Int) {
            for index in 0..<width { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * UInt64(index)))) }
        }
        if consumeKeyword("i8x16") {
            for _ in 0..<16 { append(try expectInteger(bits: 8), 1) }
        } else if consumeKeyword("i16x8") {
            for _ in 0..<8 { append(try expectInteger(bits: 16), 2) }
        } else if consumeKeyword("i32x4") {
            for _ in 0..<4 { append(try expectInteger(bits: 32), 4) }
        } else if consumeKeyword("i64x2") {
            for _ in 0..<2 { append(try expectInteger(bits: 64), 8) }
        } else if consumeKeyword("f32x4") {
            for _ in 0..<4 { append(UInt64(try expectFloat32()), 4) }
        } else if consumeKeyword("f64x2") {
            for _ in 0..<2 { append(try expectFloat64(), 8) }
        } else {
            throw unexpected("a vector shape (`i8x16`, `i16x8`, `i32x4`, `i64x2`, `f32x4`, `f64x2`)")
        }
        return V128(bytes: bytes)
    }
}
