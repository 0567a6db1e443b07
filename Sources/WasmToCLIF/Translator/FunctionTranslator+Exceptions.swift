import CLIF
import Wasm

/// `try_table`, `throw` and `throw_ref` (the exception arms of Wasmtime's `translate_operator`).
/// Each catch clause gets a block whose one parameter is the payload the unwinder delivers; the
/// block unpacks the exception and branches to the clause's label. While the `try_table` body is
/// translated its handlers are in `builder.exceptionHandlers`, so the environment turns calls into
/// `try_call`s that list them.
extension FunctionTranslator {
    mutating func translateTryTable(_ type: BlockType, _ catches: [Catch]) throws(TranslationFailure) {
        let (params, results) = try blockTypeSignature(type)
        guard params.count <= stack.count else { throw .invalid("operand stack underflow") }
        // Refuse before building anything, so that the placeholder recovery finds the block intact.
        for clause in catches {
            guard let tag = clause.tag else { continue }
            let info = environment.info
            guard Int(tag) < info.tags.count, let tagType = info.functionType(info.tags[Int(tag)].typeIndex) else {
                throw .invalid("unknown tag \(tag)")
            }
            if tagType.parameters.contains(where: { clifType($0) == .i128 }) {
                throw .notTranslated("a caught exception carrying a continuation reference")
            }
        }
        let body = builder.createBlock()
        let next = blockWithParams(results)
        builder.jump(body)
        builder.sealBlock(body)
        let outerHandlerCount = builder.exceptionHandlers.count
        var catchBlocks: [Block] = []
        // Innermost-first matching: the last clause is registered first, so that the reversed
        // handler list puts the first clause first.
        for clause in catches.reversed() {
            catchBlocks.append(try catchBlock(for: clause))
        }
        control.append(ControlFrame(kind: .block, destination: next, paramCount: params.count, resultCount: results.count,
                                    originalStackSize: stack.count - params.count,
                                    catchScope: CatchScope(outerHandlerCount: outerHandlerCount, catchBlocks: catchBlocks)))
        builder.switchToBlock(body)
    }

    /// The block receiving exceptions for one catch clause: it unpacks the tag's values (for
    /// `catch`/`catch_ref`), appends the exception reference (for the `_ref` kinds) and branches.
    mutating func catchBlock(for clause: Catch) throws(TranslationFailure) -> Block {
        let block = builder.createBlock()
        let payload = builder.function.appendBlockParam(block, environment.exceptionPayloadType)
        builder.switchToBlock(block)
        let exception = environment.caughtException(&builder, payload: payload)
        let tag: UInt32? = switch clause.kind {
        case .catch, .catchRef: clause.tag
        case .catchAll, .catchAllRef: nil
        }
        builder.exceptionHandlers.append(ExceptionHandler(tag: tag, block: block))
        var values: [Value] = []
        if let tag {
            values += try environment.exceptionValues(&builder, tag: tag, exception: exception)
        }
        if clause.kind == .catchRef || clause.kind == .catchAllRef {
            values.append(exception)
        }
        let index = try frameIndex(depth: clause.label)
        control[index].markBranchedTo()
        jump(to: control[index].branchDestination, with: values)
        return block
    }

    /// Leaving a `try_table`: its handlers go out of scope and its catch blocks are sealed.
    mutating func restoreCatchHandlers(_ frame: ControlFrame) {
        guard let scope = frame.catchScope else { return }
        if builder.exceptionHandlers.count > scope.outerHandlerCount {
            builder.exceptionHandlers.removeLast(builder.exceptionHandlers.count - scope.outerHandlerCount)
        }
        for block in scope.catchBlocks {
            builder.sealBlock(block)
        }
    }

    mutating func translateThrow(tag: UInt32) throws(TranslationFailure) {
        let info = environment.info
        guard Int(tag) < info.tags.count, let type = info.functionType(info.tags[Int(tag)].typeIndex) else {
            throw .invalid("unknown tag \(tag)")
        }
        let arguments = try peek(type.parameters.count)
        try environment.throwException(&builder, tag: tag, arguments: arguments)
        try popN(type.parameters.count)
        reachable = false
    }

    mutating func translateThrowReference() throws(TranslationFailure) {
        let exception = try pop()
        try environment.throwReference(&builder, exception)
        reachable = false
    }
}
