import SourceText
import Wasm

extension Lowerer {
    /// The label depth a `$label` or number names.
    mutating func label(_ index: IndexSyntax, _ context: BodyContext) -> UInt32 {
        switch index.reference {
        case .number(let number):
            return number
        case .name(let name):
            var depth: UInt32 = 0
            for label in context.labels.reversed() {
                if let label, label.name == name {
                    resolution.references.append(NameReference(use: index.range, definition: label.range, space: .label))
                    return depth
                }
                depth += 1
            }
            error("unknown label `$\(name)`", at: index.range)
            failed = true
            return 0
        }
    }

    mutating func local(_ index: IndexSyntax, _ context: BodyContext) -> UInt32 {
        resolve(index, in: context.locals, .local) ?? 0
    }

    mutating func blockType(_ block: BlockSyntax) -> BlockType {
        if block.type.index != nil { return .type(typeIndex(of: block.type)) }
        guard let inline = block.type.inline else { return .empty }
        if inline.params.isEmpty && inline.results.count <= 1 {
            return inline.results.first.map { .value(lower($0)) } ?? .empty
        }
        return .type(scope.functionTypeIndex[FunctionKey(inline)] ?? 0)
    }

    mutating func openBlock(_ block: BlockSyntax, _ context: inout BodyContext) {
        context.labels.append(block.label)
        if let name = block.nameAnnotation ?? block.label?.name {
            context.labelNames.append((context.blockCount, name))
        }
        context.blockCount += 1
    }

    /// Checks the optional label after `end`/`else` against the open block's label.
    mutating func checkEndLabel(_ immediates: ImmediateSyntax, _ context: BodyContext) {
        guard case .endLabel(let written?) = immediates else { return }
        if let open = context.labels.last, let label = open, label.name == written.name {
            resolution.references.append(NameReference(use: written.range, definition: label.range, space: .label))
            return
        }
        error("mismatching labels between end and block", at: written.range)
    }

    mutating func memArg(_ syntax: MemArgSyntax, natural: UInt32) -> MemArg {
        let align = syntax.align ?? UInt64(natural)
        return MemArg(memory: syntax.memory.map { index($0, .memory) } ?? 0,
                      alignLog2: UInt32(align.trailingZeroBitCount), offset: syntax.offset)
    }

    func optionalIndex(_ immediates: ImmediateSyntax) -> IndexSyntax? {
        if case .index(let index) = immediates { return index }
        return nil
    }

    mutating func lower(_ instruction: InstructionSyntax, _ context: inout BodyContext) -> Instruction {
        let opcode = instruction.opcode
        let immediates = instruction.immediates
        switch opcode {
        case .end:
            checkEndLabel(immediates, context)
            if !context.labels.isEmpty { context.labels.removeLast() }
            return Instruction(.end)
        case .else:
            checkEndLabel(immediates, context)
            return Instruction(.else)
        case .delegate:
            if !context.labels.isEmpty { context.labels.removeLast() }
        default:
            break
        }
        switch (opcode.info.immediates, immediates) {
        case (.blockType, .block(let block)):
            let type = blockType(block)
            openBlock(block, &context)
            return Instruction(opcode, .blockType(type))
        case (.tryTable, .tryTable(let block, let catches)):
            let type = blockType(block)
            var lowered: [Catch] = []
            for clause in catches {
                let tag = clause.tag.map { index($0, .tag) }
                lowered.append(Catch(kind: clause.kind, tag: tag, label: label(clause.label, context)))
            }
            openBlock(block, &context)
            return Instruction(opcode, .tryTable(type, lowered))
        case (.label, .index(let index?)):
            return Instruction(opcode, .index(label(index, context)))
        case (.function, .index(let index?)):
            return Instruction(opcode, .index(self.index(index, .function)))
        case (.type, .index(let index?)):
            return Instruction(opcode, .index(self.index(index, .type)))
        case (.local, .index(let index?)):
            return Instruction(opcode, .index(local(index, context)))
        case (.global, .index(let index?)):
            return Instruction(opcode, .index(self.index(index, .global)))
        case (.tag, .index(let index?)):
            return Instruction(opcode, .index(self.index(index, .tag)))
        case (.data, .index(let index?)):
            return Instruction(opcode, .index(self.index(index, .data)))
        case (.element, .index(let index?)):
            return Instruction(opcode, .index(self.index(index, .element)))
        case (.table, .index(let index)):
            return Instruction(opcode, .index(index.map { self.index($0, .table) } ?? 0))
        case (.memory, .index(let index)):
            return Instruction(opcode, .index(index.map { self.index($0, .memory) } ?? 0))
        case (.labelTable, .labelTable(let labels)):
            let depths = labels.map { label($0, context) }
            return Instruction(opcode, .labelTable(Array(depths.dropLast()), default: depths.last ?? 0))
        case (.typeAndTable, .callIndirect(let use, let table)):
            let tableIndex = table.map { index($0, .table) } ?? 0
            return Instruction(opcode, .indexPair(typeIndex(of: use), tableIndex))
        case (.memoryPair, .indexPair(let first, let second)):
            return Instruction(opcode, .indexPair(first.map { index($0, .memory) } ?? 0, second.map { index($0, .memory) } ?? 0))
        case (.tablePair, .indexPair(let first, let second)):
            return Instruction(opcode, .indexPair(first.map { index($0, .table) } ?? 0, second.map { index($0, .table) } ?? 0))
        case (.dataAndMemory, .indexPair(let data?, let memory)):
            return Instruction(opcode, .indexPair(index(data, .data), memory.map { index($0, .memory) } ?? 0))
        case (.elementAndTable, .indexPair(let element?, let table)):
            return Instruction(opcode, .indexPair(index(element, .element), table.map { index($0, .table) } ?? 0))
        case (.typeAndField, .indexPair(let type?, let field?)):
            let typeIndex = index(type, .type)
            let fieldIndex = resolve(field, in: scope.fieldNames[typeIndex] ?? Namespace(), .field) ?? 0
            return Instruction(opcode, .indexPair(typeIndex, fieldIndex))
        case (.typeAndData, .indexPair(let type?, let data?)):
            return Instruction(opcode, .indexPair(index(type, .type), index(data, .data)))
        case (.typeAndElement, .indexPair(let type?, let element?)):
            return Instruction(opcode, .indexPair(index(type, .type), index(element, .element)))
        case (.typeAndTag, .indexPair(let type?, let tag?)):
            return Instruction(opcode, .indexPair(index(type, .type), index(tag, .tag)))
        case (.resumeTable, .resume(let type, nil, let handlers)), (.resumeThrowTable, .resume(let type, _?, let handlers)):
            guard case .resume(_, let tag, _) = immediates else { return Instruction(opcode) }
            var lowered: [ResumeHandler] = []
            for handler in handlers {
                let handlerTag = index(handler.tag, .tag)
                lowered.append(ResumeHandler(tag: handlerTag, label: handler.label.map { label($0, context) }))
            }
            return Instruction(opcode, .resume(type: index(type, .type), tag: tag.map { index($0, .tag) }, handlers: lowered))
        case (.typePair, .indexPair(let first?, let second?)):
            return Instruction(opcode, .indexPair(index(first, .type), index(second, .type)))
        case (.typeAndCount, .count(let type, let count)):
            return Instruction(opcode, .indexPair(index(type, .type), count))
        case (.memArg(let natural), .memArg(let syntax)):
            return Instruction(opcode, .memArg(memArg(syntax, natural: natural)))
        case (.memArgLane(let natural), .memArgLane(let syntax, let lane)):
            return Instruction(opcode, .memArgLane(memArg(syntax, natural: natural), lane: lane))
        case (.lane, .lane(let lane)):
            return Instruction(opcode, .index(UInt32(lane)))
        case (.i32, .i32(let value)):
            return Instruction(opcode, .i32(Int32(bitPattern: value)))
        case (.i64, .i64(let value)):
            return Instruction(opcode, .i64(Int64(bitPattern: value)))
        case (.f32, .f32(let bits)):
            return Instruction(opcode, .f32(bits))
        case (.f64, .f64(let bits)):
            return Instruction(opcode, .f64(bits))
        case (.v128, .v128(let value)), (.shuffle, .v128(let value)):
            return Instruction(opcode, .v128(value))
        case (.heapType, .heapType(let heap)):
            return Instruction(opcode, .heapType(lower(heap)))
        case (.castType, .refType(let type)):
            return Instruction(opcode, .refType(lower(type)))
        case (.branchOnCast, .branchOnCast(let target, let from, let to)):
            return Instruction(opcode, .branchOnCast(label: label(target, context), from: lower(from), to: lower(to)))
        case (.selectTypes, .selectTypes(let types)):
            return Instruction(opcode, .selectTypes(types.map { $0.map { lower($0) } }))
        case (.none, _), (.zeroByte, _):
            return Instruction(opcode)
        default:
            error("malformed immediates for `\(opcode.name)`", at: instruction.range)
            failed = true
            return Instruction(opcode)
        }
    }
}
