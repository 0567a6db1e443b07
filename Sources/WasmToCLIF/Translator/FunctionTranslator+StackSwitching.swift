import CLIF
import Wasm

/// The stack-switching operators: operands and results on the Wasm stack, handler clauses
/// resolved against the control stack; everything else is the environment's.
extension FunctionTranslator {
    mutating func translateStackSwitching(_ instruction: Wasm.Instruction) throws(TranslationFailure) {
        switch instruction.opcode {
        case .contNew:
            let type = try index(instruction)
            let function = try pop()
            stack.append(try environment.continuationNew(&builder, function: function, type: type))
        case .contBind:
            guard case .indexPair(let source, let target) = instruction.immediates else { throw .invalid("cont.bind immediates") }
            let sourceCount = try continuationFunction(source).parameters.count
            let targetCount = try continuationFunction(target).parameters.count
            guard sourceCount >= targetCount else { throw .invalid("cont.bind to a continuation with more parameters") }
            let operands = try peek(sourceCount - targetCount + 1)
            let bound = try environment.continuationBind(&builder, continuation: operands[operands.count - 1],
                                                         arguments: Array(operands.dropLast()))
            try popN(operands.count)
            stack.append(bound)
        case .suspend:
            let tag = try index(instruction)
            let arguments = try peek(try tagFunction(tag).parameters.count)
            let results = try environment.suspend(&builder, tag: tag, arguments: arguments)
            try popN(arguments.count)
            stack.append(contentsOf: results)
        case .resume, .resumeThrow, .resumeThrowRef:
            guard case .resume(let type, let tag, let clauses) = instruction.immediates else { throw .invalid("resume immediates") }
            let handlers = try resumeHandlers(clauses)
            let operands: [Value]
            let payload: ResumePayload
            if let tag {
                operands = try peek(try tagFunction(tag).parameters.count + 1)
                payload = .throwTag(tag, Array(operands.dropLast()))
            } else if instruction.opcode == .resume {
                operands = try peek(try continuationFunction(type).parameters.count + 1)
                payload = .values(Array(operands.dropLast()))
            } else {
                // The validator leaves the continuation above the exception reference.
                operands = try peek(2)
                payload = .throwRef(operands[0])
            }
            let results = try environment.resume(&builder, type: type, continuation: operands[operands.count - 1],
                                                 payload: payload, handlers: handlers)
            try popN(operands.count)
            stack.append(contentsOf: results)
        case .switch:
            guard case .indexPair(let type, let tag) = instruction.immediates else { throw .invalid("switch immediates") }
            let operands = try peek(try continuationFunction(type).parameters.count)
            guard let continuation = operands.last else { throw .invalid("switch to a continuation without parameters") }
            let results = try environment.switchTo(&builder, type: type, tag: tag, continuation: continuation,
                                                   arguments: Array(operands.dropLast()))
            try popN(operands.count)
            stack.append(contentsOf: results)
        default:
            throw .notTranslated(instruction.opcode.info.name)
        }
    }

    func tagFunction(_ tag: UInt32) throws(TranslationFailure) -> FunctionType {
        guard let type = environment.info.tagFunctionType(tag) else { throw .invalid("tag \(tag) out of range") }
        return type
    }

    func continuationFunction(_ typeIndex: UInt32) throws(TranslationFailure) -> FunctionType {
        guard let type = environment.info.continuationFunctionType(typeIndex) else {
            throw .invalid("type \(typeIndex) is not a continuation type")
        }
        return type
    }

    /// The handler clauses of a `resume`: `(on $tag $label)` branches to the label's frame, which
    /// is marked as branched to; `(on $tag switch)` has no target.
    mutating func resumeHandlers(_ clauses: [ResumeHandler]) throws(TranslationFailure) -> [ResumeHandlerTarget] {
        var handlers: [ResumeHandlerTarget] = []
        handlers.reserveCapacity(clauses.count)
        for clause in clauses {
            guard let label = clause.label else {
                handlers.append(ResumeHandlerTarget(tag: clause.tag, target: nil, variables: []))
                continue
            }
            let frame = try frameIndex(depth: label)
            control[frame].markBranchedTo()
            let target = control[frame].branchDestination
            handlers.append(ResumeHandlerTarget(tag: clause.tag, target: target, variables: variables(of: target)))
        }
        return handlers
    }
}
