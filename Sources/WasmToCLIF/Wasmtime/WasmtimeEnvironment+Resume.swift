import CLIF
import Wasm

/// `resume`, `resume_throw` and `resume_throw_ref` (Wasmtime's `translate_resume_impl`): splice the resumed
/// chain onto the active one, install the handler list, `stack_switch`, then branch on the control
/// effect: a return yields the continuation's results, a suspension dispatches through a
/// `br_table` to the handler clause's label, a trap re-raises in the parent.
extension WasmtimeEnvironment {
    public mutating func resume(_ builder: inout FunctionBuilder, type: UInt32, continuation: Value, payload: ResumePayload,
                                handlers: [ResumeHandlerTarget]) throws(TranslationFailure) -> [Value] {
        let returnTypes = try continuationFunction(type).results.map(clifType)
        let isValues = if case .values = payload { true } else { false }
        let suspendHandlers = handlers.filter { $0.target != nil }
        let switchTags = handlers.filter { $0.target == nil }.map(\.tag)
        var handlerParameterTypes: [[CLIFType]] = []
        for handler in suspendHandlers { handlerParameterTypes.append(try tagFunction(handler.tag).parameters.map(clifType)) }

        let resumeBlock = builder.createBlock()
        let returnBlock = builder.createBlock()
        let suspendBlock = builder.createBlock()
        let trapBlock = builder.createBlock()
        let nonReturnBlock = builder.createBlock()
        let dispatchBlock = builder.createBlock()
        var throwBlocks: (invoked: Block, fresh: Block)?
        if !isValues { throwBlocks = (builder.createBlock(), builder.createBlock()) }
        builder.jump(resumeBlock)

        builder.switchToBlock(resumeBlock)
        builder.sealBlock(resumeBlock)
        let (witness, contRef) = builder.deconstructContinuation(continuation)
        builder.trapIf(zero: true, contRef, WasmtimeTrap.nullReference)
        let revision = builder.contRefRevision(contRef)
        let evidence = builder.icmp(.eq, revision, witness)
        builder.trapIf(zero: true, evidence, WasmtimeTrap.continuationAlreadyConsumed)
        // An exception is made (and may fail) after the checks, before the continuation is consumed.
        var exception: Value?
        switch payload {
        case .values(let arguments):
            builder.incrementRevision(contRef, revision)
            storePayloads(&builder, arguments, contRef)
        case .throwTag(let tag, let arguments):
            exception = try newException(&builder, tag: tag, arguments: arguments)
        case .throwRef(let reference):
            builder.trapIf(zero: true, reference, WasmtimeTrap.nullReference)
            exception = reference
        }
        if let exception, let (invokedBlock, freshBlock) = throwBlocks {
            let information = builder.commonStackInformation(contRef)
            let invoked = builder.wasInvoked(information)
            builder.incrementRevision(contRef, revision)
            builder.brif(invoked, invokedBlock, freshBlock)
            builder.switchToBlock(freshBlock)
            builder.sealBlock(freshBlock)
            builder.setCold(freshBlock)
            builder.setStackState(information, StackSwitchingLayout.stateTrapped)
            let arguments = builder.argumentsArray(contRef)
            builder.clearArray(arguments, discardBuffer: true)
            let values = builder.valuesArray(contRef)
            builder.clearArray(values, discardBuffer: true)
            callThrowingBuiltin(&builder, .throwRef, [exception])
            builder.switchToBlock(invokedBlock)
            builder.sealBlock(invokedBlock)
            let buffer = builder.valuesArray(contRef)
            builder.storeArrayEntries(buffer, [exception], .payload)
        }

        let lastAncestor = builder.lastAncestor(contRef)
        let original = loadStackChain(&builder)
        builder.setParentChain(lastAncestor, original)
        let zero = builder.iconst(.i64, 0)
        builder.setLastAncestor(contRef, zero)
        setActiveContinuation(&builder, contRef)
        let resumedInformation = builder.commonStackInformation(contRef)
        let parentInformation = original.payload
        builder.setStackState(resumedInformation, StackSwitchingLayout.stateRunning)
        builder.setStackState(parentInformation, StackSwitchingLayout.stateParent)
        let context = storeContext(&builder)
        loadLimitsFromStoreContext(&builder, parentInformation, context, includingStackLimit: true)
        writeLimitsToStoreContext(&builder, resumedInformation, context)

        let handlerList = builder.handlerList(parentInformation)
        if !handlers.isEmpty {
            stackSwitchingSlots.handlerList = builder.useStackSlot(for: handlerList, capacity: handlers.count, .pointer,
                                                                   existing: stackSwitchingSlots.handlerList)
            var tagAddresses: [Value] = []
            for tag in suspendHandlers.map(\.tag) + switchTags { tagAddresses.append(try tagAddress(&builder, tag)) }
            builder.storeArrayEntries(handlerList, tagAddresses, .pointer)
            let firstSwitch = builder.iconst(.i32, Int64(suspendHandlers.count))
            builder.setFirstSwitchHandlerIndex(parentInformation, firstSwitch)
        }

        let effect = builder.controlEffect(isValues ? StackSwitchingLayout.effectResume : StackSwitchingLayout.effectResumeThrow)
        let controlContext = builder.controlContext(lastAncestor)
        let result = builder.ins1(Op.named("stack_switch"), nil, [controlContext, controlContext, effect])

        let newChain = loadStackChain(&builder)
        storeStackChain(&builder, original)
        builder.setStackState(parentInformation, StackSwitchingLayout.stateRunning)
        builder.clearArray(handlerList, discardBuffer: true)
        builder.setFirstSwitchHandlerIndex(parentInformation, zero)
        builder.brif(result, nonReturnBlock, returnBlock)

        builder.switchToBlock(nonReturnBlock)
        builder.sealBlock(nonReturnBlock)
        let isTrap = builder.isControlEffect(result, StackSwitchingLayout.effectTrap)
        builder.brif(isTrap, trapBlock, suspendBlock)

        // A trap ends the child; the parent's entry handler raises it again.
        builder.switchToBlock(trapBlock)
        builder.sealBlock(trapBlock)
        builder.setCold(trapBlock)
        let trapped = newChain.payload
        builder.setStackState(builder.commonStackInformation(trapped), StackSwitchingLayout.stateTrapped)
        writeLimitsToStoreContext(&builder, parentInformation, context)
        builder.clearArray(builder.argumentsArray(trapped), discardBuffer: true)
        builder.clearArray(builder.valuesArray(trapped), discardBuffer: true)
        callThrowingBuiltin(&builder, .raise, [])

        builder.switchToBlock(suspendBlock)
        builder.sealBlock(suspendBlock)
        let suspended = newChain.payload
        let suspendedInformation = builder.commonStackInformation(suspended)
        loadLimitsFromStoreContext(&builder, suspendedInformation, context, includingStackLimit: false)
        writeLimitsToStoreContext(&builder, parentInformation, context)
        let handlerIndex = builder.convert(Op.ireduce, .i32, result)
        let suspendedRevision = builder.contRefRevision(suspended)
        let suspendedObject = builder.constructContinuation(revision: suspendedRevision, contRef: suspended)
        builder.jump(dispatchBlock)

        let defaultBlock = builder.createBlock()
        builder.switchToBlock(defaultBlock)
        builder.setCold(defaultBlock)
        trap(&builder, WasmtimeTrap.unreachable)

        var preambles: [Block] = []
        for (handler, types) in zip(suspendHandlers, handlerParameterTypes) {
            guard let target = handler.target else { continue }
            let preamble = builder.createBlock()
            preambles.append(preamble)
            builder.switchToBlock(preamble)
            let values = builder.valuesArray(suspended)
            var arguments = builder.loadArrayEntries(values, types, .payload)
            arguments.append(suspendedObject)
            builder.clearArray(values, discardBuffer: false)
            for (variable, value) in zip(handler.variables, arguments) { builder.defineVariable(variable, value) }
            builder.jump(target)
        }

        builder.switchToBlock(dispatchBlock)
        builder.sealBlock(dispatchBlock)
        builder.brTable(handlerIndex, default: defaultBlock, preambles)
        for preamble in preambles { builder.sealBlock(preamble) }
        builder.sealBlock(defaultBlock)

        builder.switchToBlock(returnBlock)
        builder.sealBlock(returnBlock)
        let returned = newChain.payload
        writeLimitsToStoreContext(&builder, parentInformation, context)
        builder.setStackState(builder.commonStackInformation(returned), StackSwitchingLayout.stateReturned)
        let payloads = builder.argumentsArray(returned)
        let results = builder.loadArrayEntries(payloads, returnTypes, .payload)
        builder.clearArray(payloads, discardBuffer: true)
        return results
    }
}
