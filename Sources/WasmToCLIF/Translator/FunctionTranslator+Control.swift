import CLIF
import Wasm

/// Block structure, branches, calls and returns (the control arms of `translate_operator` and
/// `translate_unreachable_operator`).
extension FunctionTranslator {
    static var noBlock: Block { Block(UInt32.max) }

    mutating func translateBlock(_ type: BlockType) throws(TranslationFailure) {
        let (params, results) = try blockTypeSignature(type)
        guard params.count <= stack.count else { throw .invalid("operand stack underflow") }
        let next = blockWithParams(results)
        control.append(ControlFrame(kind: .block, destination: next, paramCount: params.count,
                                    resultCount: results.count, originalStackSize: stack.count - params.count))
    }

    mutating func translateLoop(_ type: BlockType) throws(TranslationFailure) {
        let (params, results) = try blockTypeSignature(type)
        let header = blockWithParams(params)
        let next = blockWithParams(results)
        jump(to: header, with: try peek(params.count))
        control.append(ControlFrame(kind: .loop(header: header), destination: next, paramCount: params.count,
                                    resultCount: results.count, originalStackSize: stack.count - params.count))
        try popN(params.count)
        builder.switchToBlock(header)
        pushBlockParams(header)
        try environment.loopHeader(&builder)
    }

    mutating func translateIf(_ type: BlockType) throws(TranslationFailure) {
        let condition = try pop()
        let next = builder.createBlock()
        let (params, results) = try blockTypeSignature(type)
        guard params.count <= stack.count else { throw .invalid("operand stack underflow") }
        let destination = blockWithParams(results)
        let kind: ControlFrame.Kind
        if params == results {
            setBlockParams(destination, try peek(params.count))
            let branch = builder.brif(condition, next, destination)
            kind = .if(branch: branch, placeholder: destination, elseBlock: nil, headIsReachable: reachable,
                       consequentEndsReachable: nil, params: params.count)
        } else {
            let elseBlock = builder.createBlock()
            _ = builder.brif(condition, next, elseBlock)
            builder.sealBlock(elseBlock)
            kind = .if(branch: nil, placeholder: nil, elseBlock: elseBlock, headIsReachable: reachable,
                       consequentEndsReachable: nil, params: params.count)
        }
        builder.sealBlock(next)
        builder.switchToBlock(next)
        stack.append(contentsOf: stack[(stack.count - params.count)...])
        control.append(ControlFrame(kind: kind, destination: destination, paramCount: params.count,
                                    resultCount: results.count, originalStackSize: stack.count - params.count))
    }

    mutating func translateElse() throws(TranslationFailure) {
        guard let last = control.indices.last,
              case .if(let branch, let placeholder, let eagerElse, let headIsReachable, _, let params) = control[last].kind
        else { throw .invalid("else outside of if") }
        let wasReachable = reachable
        control[last].kind = .if(branch: branch, placeholder: placeholder, elseBlock: eagerElse,
                                 headIsReachable: headIsReachable, consequentEndsReachable: wasReachable, params: params)
        guard headIsReachable else { return }
        reachable = true
        let frame = control[last]
        let elseBlock: Block
        if let eagerElse {
            if wasReachable {
                jump(to: frame.destination, with: try peek(frame.resultCount))
                try popN(frame.resultCount)
            } else {
                truncateToElseParams(frame)
            }
            elseBlock = eagerElse
        } else {
            elseBlock = builder.createBlock()
            if wasReachable {
                jump(to: frame.destination, with: try peek(params))
                try popN(params)
            } else {
                truncateToElseParams(frame)
            }
            if let branch, let placeholder {
                builder.changeJumpDestination(branch, from: placeholder, to: elseBlock)
            }
            builder.sealBlock(elseBlock)
        }
        builder.switchToBlock(elseBlock)
    }

    mutating func truncateToElseParams(_ frame: ControlFrame) {
        if stack.count > frame.originalStackSize { stack.removeLast(stack.count - frame.originalStackSize) }
    }

    mutating func truncateToOriginalSize(_ frame: ControlFrame) {
        var size = frame.originalStackSize
        if case .if(_, _, _, _, _, let params) = frame.kind { size -= params }
        size = max(0, size)
        if stack.count > size { stack.removeLast(stack.count - size) }
    }

    mutating func translateEnd() throws(TranslationFailure) {
        guard let frame = control.popLast() else { throw .invalid("end without a block") }
        let next = frame.destination
        jump(to: next, with: try peek(frame.resultCount))
        builder.switchToBlock(next)
        builder.sealBlock(next)
        if case .loop(let header) = frame.kind { builder.sealBlock(header) }
        truncateToOriginalSize(frame)
        pushBlockParams(next)
    }

    mutating func translateBranch(depth: UInt32) throws(TranslationFailure) {
        let index = try frameIndex(depth: depth)
        control[index].markBranchedTo()
        let frame = control[index]
        jump(to: frame.branchDestination, with: try peek(frame.branchArgumentCount))
        try popN(frame.branchArgumentCount)
        reachable = false
    }

    mutating func translateBranchIf(depth: UInt32) throws(TranslationFailure) {
        let condition = try pop()
        let index = try frameIndex(depth: depth)
        control[index].markBranchedTo()
        let frame = control[index]
        let inputs = try peek(frame.branchArgumentCount)
        let next = builder.createBlock()
        setBlockParams(frame.branchDestination, inputs)
        _ = builder.brif(condition, frame.branchDestination, next)
        builder.sealBlock(next)
        builder.switchToBlock(next)
    }

    mutating func translateBranchTable(_ targets: [UInt32], default defaultDepth: UInt32) throws(TranslationFailure) {
        var minDepth = defaultDepth
        for depth in targets where depth < minDepth { minDepth = depth }
        let argumentCount = control[try frameIndex(depth: minDepth)].branchArgumentCount
        let index = try pop()
        if argumentCount == 0 {
            var table: [Block] = []
            table.reserveCapacity(targets.count)
            for depth in targets {
                let frame = try frameIndex(depth: depth)
                control[frame].markBranchedTo()
                table.append(control[frame].branchDestination)
            }
            let defaultFrame = try frameIndex(depth: defaultDepth)
            control[defaultFrame].markBranchedTo()
            builder.brTable(index, default: control[defaultFrame].branchDestination, table)
        } else {
            var sequence: [(depth: UInt32, block: Block)] = []
            var blockForDepth: [UInt32: Block] = [:]
            func edgeBlock(_ depth: UInt32) -> Block {
                if let block = blockForDepth[depth] { return block }
                let block = builder.createBlock()
                blockForDepth[depth] = block
                sequence.append((depth, block))
                return block
            }
            var table: [Block] = []
            for depth in targets {
                _ = try frameIndex(depth: depth)
                table.append(edgeBlock(depth))
            }
            _ = try frameIndex(depth: defaultDepth)
            let defaultBlock = edgeBlock(defaultDepth)
            builder.brTable(index, default: defaultBlock, table)
            let arguments = try peek(argumentCount)
            for (depth, block) in sequence {
                builder.switchToBlock(block)
                builder.sealBlock(block)
                let frame = try frameIndex(depth: depth)
                control[frame].markBranchedTo()
                jump(to: control[frame].branchDestination, with: arguments)
            }
            try popN(argumentCount)
        }
        reachable = false
    }

    mutating func translateReturn() throws(TranslationFailure) {
        let count = control[0].resultCount
        var values = try peek(count)
        try environment.beforeReturn(&builder)
        let returns = builder.function.signature.returns
        for (index, value) in values.enumerated() where index < returns.count && returns[index].type.isVector {
            values[index] = castIfNeeded(value, to: returns[index].type)
        }
        builder.returnValues(values)
        try popN(count)
        reachable = false
    }

    mutating func translateCall(_ function: UInt32, tail: Bool) throws(TranslationFailure) {
        let info = environment.info
        guard Int(function) < info.functionTypes.count, let type = info.functionType(info.functionTypes[Int(function)]) else {
            throw .invalid("call to unknown function \(function)")
        }
        var arguments = try peek(type.parameters.count)
        for (index, parameter) in type.parameters.enumerated() where clifType(parameter).isVector {
            arguments[index] = castIfNeeded(arguments[index], to: clifType(parameter))
        }
        guard let results = try environment.call(&builder, function: function, arguments: arguments, tail: tail) else {
            reachable = false
            return
        }
        try popN(type.parameters.count)
        if tail {
            reachable = false
        } else {
            declareResultsNeedStackMaps(results, type)
            stack.append(contentsOf: results)
        }
    }

    mutating func translateCallIndirect(type typeIndex: UInt32, table: UInt32, tail: Bool) throws(TranslationFailure) {
        guard let type = environment.info.functionType(typeIndex) else { throw .invalid("type \(typeIndex) is not a function type") }
        let callee = try pop()
        var arguments = try peek(type.parameters.count)
        for (index, parameter) in type.parameters.enumerated() where clifType(parameter).isVector {
            arguments[index] = castIfNeeded(arguments[index], to: clifType(parameter))
        }
        guard let results = try environment.callIndirect(&builder, table: table, type: typeIndex, callee: callee,
                                                         arguments: arguments, tail: tail) else {
            reachable = false
            return
        }
        try popN(type.parameters.count)
        if tail {
            reachable = false
        } else {
            declareResultsNeedStackMaps(results, type)
            stack.append(contentsOf: results)
        }
    }

    /// Call results that are GC references must appear in stack maps (`handle_call_result_stackmap`).
    mutating func declareResultsNeedStackMaps(_ results: [Value], _ type: FunctionType) {
        for (value, resultType) in zip(results, type.results) where environment.needsStackMap(resultType, includingBottom: true) {
            builder.declareValueNeedsStackMap(value)
        }
    }

    /// Operators in unreachable code only track the control stack.
    mutating func translateUnreachableOperator(_ instruction: Wasm.Instruction) throws(TranslationFailure) {
        switch instruction.opcode {
        case .if:
            control.append(ControlFrame(kind: .if(branch: nil, placeholder: nil, elseBlock: nil, headIsReachable: false,
                                                  consequentEndsReachable: nil, params: 0),
                                        destination: Self.noBlock, paramCount: 0, resultCount: 0, originalStackSize: stack.count))
        case .block, .loop, .tryTable:
            control.append(ControlFrame(kind: .block, destination: Self.noBlock, paramCount: 0, resultCount: 0,
                                        originalStackSize: stack.count))
        case .else:
            try translateElse()
        case .end:
            guard let frame = control.popLast() else { throw .invalid("end without a block") }
            truncateToOriginalSize(frame)
            let reachableAnyway: Bool
            switch frame.kind {
            case .loop(let header):
                builder.sealBlock(header)
                reachableAnyway = false
            case .if(_, _, _, let headIsReachable, let consequentEndsReachable, _):
                if let consequentEndsReachable {
                    reachableAnyway = headIsReachable && consequentEndsReachable
                } else {
                    reachableAnyway = headIsReachable
                }
            case .block:
                reachableAnyway = false
            }
            if frame.exitIsBranchedTo || reachableAnyway {
                let next = frame.destination
                builder.switchToBlock(next)
                builder.sealBlock(next)
                pushBlockParams(next)
                reachable = true
            }
        default:
            break
        }
    }
}
