import CLIF
import Wasm

/// Wasmtime's inline translation of stack switching (`cont.new`, `cont.bind`, `suspend`, `switch`,
/// null continuations and continuation tables; `resume` is in `+Resume`): continuation objects
/// are `i128` fat pointers (revision << 64 | `VMContRef*`), the active stack chain lives in
/// `VMStoreContext`, and control moves with the `stack_switch` instruction.
extension WasmtimeEnvironment {
    typealias Layout = StackSwitchingLayout

    // MARK: Types

    /// The function type a continuation type wraps.
    func continuationFunction(_ typeIndex: UInt32) throws(TranslationFailure) -> FunctionType {
        guard let type = info.continuationFunctionType(typeIndex) else { throw .invalid("type \(typeIndex) is not a continuation type") }
        return type
    }

    /// The function type of a tag's signature.
    func tagFunction(_ tag: UInt32) throws(TranslationFailure) -> FunctionType {
        guard let type = info.tagFunctionType(tag) else { throw .invalid("tag \(tag) out of range") }
        return type
    }

    // MARK: Runtime fields

    mutating func storeContext(_ builder: inout FunctionBuilder) -> Value {
        load(&builder, Field(region: .vm(.vmContext, offset: 8), offset: 8, readonly: true, canMove: true), from: vmctx)
    }

    func storeContextField(_ offset: UInt32) -> Field {
        Field(region: .vm(.vmStoreContext, offset: offset), offset: Int32(offset))
    }

    mutating func storeToStoreContext(_ builder: inout FunctionBuilder, _ offset: UInt32, _ value: Value, _ base: Value) {
        let field = storeContextField(offset)
        builder.store(Op.store, flags(field, region: builder.function.region(field.region)), value, base, field.offset)
    }

    /// The active stack chain, saved in `VMStoreContext`.
    mutating func loadStackChain(_ builder: inout FunctionBuilder) -> StackChain {
        let context = storeContext(&builder)
        let field = storeContextField(Layout.storeStackChain)
        return builder.loadChain(context, at: field.offset, flags(field, region: builder.function.region(field.region)))
    }

    mutating func storeStackChain(_ builder: inout FunctionBuilder, _ chain: StackChain) {
        let context = storeContext(&builder)
        let field = storeContextField(Layout.storeStackChain)
        builder.storeChain(chain, to: context, at: field.offset, flags(field, region: builder.function.region(field.region)))
    }

    mutating func setActiveContinuation(_ builder: inout FunctionBuilder, _ contRef: Value) {
        let discriminant = builder.iconst(.i64, Layout.chainContinuation)
        storeStackChain(&builder, StackChain(discriminant: discriminant, payload: contRef))
    }

    /// Copies a stack's `VMStackLimits` into `VMStoreContext` (stack limit and Wasm entry fields).
    mutating func writeLimitsToStoreContext(_ builder: inout FunctionBuilder, _ information: Value, _ context: Value) {
        let limits = builder.addImmediate(information, Layout.commonLimits)
        let pairs: [(Int32, UInt32)] = [(Layout.limitsStackLimit, Layout.storeStackLimit),
                                        (Layout.limitsLastWasmEntryFP, Layout.storeLastWasmEntryFP),
                                        (Layout.limitsLastWasmEntrySP, Layout.storeLastWasmEntrySP),
                                        (Layout.limitsLastWasmEntryTrapHandler, Layout.storeLastWasmEntryTrapHandler)]
        for (from, to) in pairs {
            let value = builder.load(Op.load, .i64, builder.flags(.contRef), limits, from)
            storeToStoreContext(&builder, to, value, context)
        }
    }

    /// Saves the Wasm entry fields of `VMStoreContext` (and its stack limit when asked) into a
    /// stack's `VMStackLimits`.
    mutating func loadLimitsFromStoreContext(_ builder: inout FunctionBuilder, _ information: Value, _ context: Value,
                                             includingStackLimit: Bool) {
        let limits = builder.addImmediate(information, Layout.commonLimits)
        let entryFields = [Layout.storeLastWasmEntryFP, Layout.storeLastWasmEntrySP, Layout.storeLastWasmEntryTrapHandler]
        let values = entryFields.map { load(&builder, storeContextField($0), from: context) }
        let flags = builder.flags(.contRef)
        for (value, offset) in zip(values, [Layout.limitsLastWasmEntryFP, Layout.limitsLastWasmEntrySP,
                                            Layout.limitsLastWasmEntryTrapHandler]) {
            builder.store(Op.store, flags, value, limits, offset)
        }
        guard includingStackLimit else { return }
        let limit = load(&builder, storeContextField(Layout.storeStackLimit), from: context)
        builder.store(Op.store, flags, limit, limits, Layout.limitsStackLimit)
    }

    /// The address of a tag's `VMTagDefinition`.
    mutating func tagAddress(_ builder: inout FunctionBuilder, _ tag: UInt32) throws(TranslationFailure) -> Value {
        guard Int(tag) < info.tags.count else { throw .invalid("tag \(tag) out of range") }
        if Int(tag) >= info.importedTagCount {
            let offset = Int32(offsets.tags) + Int32(Int(tag) - info.importedTagCount) * Layout.tagDefinitionSize
            return builder.addImmediate(vmctx, Int64(offset))
        }
        var flags = builder.flags(.vm(.vmTagImport, offset: 0))
        flags.readonly = true
        flags.canMove = true
        let offset = Int32(offsets.importedTags) + Int32(tag) * Layout.tagImportSize
        return builder.load(Op.load, .i64, flags, vmctx, offset)
    }

    /// Calls a builtin that always throws (`throw_ref`, `raise`) as a `try_call` to the catch
    /// handlers in scope, whose normal return is unreachable.
    mutating func callThrowingBuiltin(_ builder: inout FunctionBuilder, _ which: Builtin, _ arguments: [Value]) {
        let callee = builtin(&builder, which)
        let signature = builder.function.functionRefs[Int(callee)].signature
        let continuation = builder.createBlock()
        if let current = builder.currentBlock { builder.insertBlock(continuation, after: current) }
        buildTryCall(&builder, indirect: false, function: callee, signature: signature, [vmctx] + arguments,
                     normal: BlockCall(continuation))
        builder.switchToBlock(continuation)
        builder.sealBlock(continuation)
        trap(&builder, WasmtimeTrap.unreachable)
    }

    // MARK: Payloads

    /// Stores values for a continuation: into its arguments before it first runs, into its
    /// values buffer afterwards.
    mutating func storePayloads(_ builder: inout FunctionBuilder, _ values: [Value], _ contRef: Value) {
        guard !values.isEmpty else { return }
        let useArguments = builder.createBlock()
        let useValues = builder.createBlock()
        let storeData = builder.createBlock()
        let pointer = builder.function.appendBlockParam(storeData, .i64)
        let information = builder.commonStackInformation(contRef)
        let invoked = builder.wasInvoked(information)
        builder.brif(invoked, useValues, useArguments)

        builder.switchToBlock(useArguments)
        builder.sealBlock(useArguments)
        let arguments = builder.argumentsArray(contRef)
        builder.jump(storeData, [builder.occupyNextSlots(arguments, count: values.count, .payload)])

        builder.switchToBlock(useValues)
        builder.sealBlock(useValues)
        let buffer = builder.valuesArray(contRef)
        builder.jump(storeData, [builder.occupyNextSlots(buffer, count: values.count, .payload)])

        builder.switchToBlock(storeData)
        builder.sealBlock(storeData)
        let memory = builder.flags(.continuationStackMemory)
        for (position, value) in values.enumerated() {
            builder.store(Op.store, memory, value, pointer, Int32(position) * Layout.payloadSlotSize)
        }
    }

    /// After a `stack_switch` back to a suspended stack: throw the exception a
    /// `resume_throw_ref` injected, or return the values the resumer passed.
    mutating func resumedValuesOrThrow(_ builder: inout FunctionBuilder, _ effect: Value, _ contRef: Value,
                                       _ types: [CLIFType]) -> [Value] {
        let throwBlock = builder.createBlock()
        let valuesBlock = builder.createBlock()
        let isThrow = builder.isControlEffect(effect, Layout.effectResumeThrow)
        builder.brif(isThrow, throwBlock, valuesBlock)

        builder.switchToBlock(throwBlock)
        builder.sealBlock(throwBlock)
        builder.setCold(throwBlock)
        let thrown = builder.valuesArray(contRef)
        let exception = builder.loadArrayEntries(thrown, [.i32], .payload)[0]
        builder.clearArray(thrown, discardBuffer: true)
        callThrowingBuiltin(&builder, .throwRef, [exception])

        builder.switchToBlock(valuesBlock)
        builder.sealBlock(valuesBlock)
        let buffer = builder.valuesArray(contRef)
        let results = builder.loadArrayEntries(buffer, types, .payload)
        builder.clearArray(buffer, discardBuffer: true)
        return results
    }

    // MARK: Handler search

    /// Walks the chain of continuations from `start` looking for a handler of `tag` (suspend
    /// handlers, or switch handlers); traps when there is none. Returns the chain link of the
    /// stack that installed the handler, the continuation whose parent it is, and the handler's
    /// index.
    mutating func searchHandler(_ builder: inout FunctionBuilder, from start: StackChain, tag: Value,
                                suspendHandlers: Bool) -> (StackChain, Value, Value) {
        let handleLink = builder.createBlock()
        let beginSearch = builder.createBlock()
        let tryIndex = builder.createBlock()
        let compareTags = builder.createBlock()
        let onMatch = builder.createBlock()
        let onNoMatch = builder.createBlock()
        builder.jump(handleLink, [start.discriminant, start.payload])

        let link = StackChain(discriminant: builder.function.appendBlockParam(handleLink, .i64),
                              payload: builder.function.appendBlockParam(handleLink, .i64))
        builder.switchToBlock(handleLink)
        let initial = builder.iconst(.i64, Layout.chainInitialStack)
        let isInitial = builder.icmp(.eq, link.discriminant, initial)
        builder.brif(isInitial, onNoMatch, beginSearch)

        builder.switchToBlock(beginSearch)
        let contRef = link.payload
        let parent = builder.parentChain(contRef)
        let parentInformation = parent.payload
        let handlers = builder.handlerList(parentInformation)
        let data = builder.arrayData(handlers)
        let firstSwitch = builder.firstSwitchHandlerIndex(parentInformation)
        let begin: Value
        let end: Value
        if suspendHandlers {
            begin = builder.iconst(.i32, 0)
            end = firstSwitch
        } else {
            begin = firstSwitch
            end = builder.arrayLength(handlers)
        }
        builder.jump(tryIndex, [begin])

        let index = builder.function.appendBlockParam(tryIndex, .i32)
        builder.switchToBlock(tryIndex)
        let inBounds = builder.icmp(.ult, index, end)
        builder.brif(inBounds, compareTags, [], handleLink, [parent.discriminant, parent.payload])

        builder.switchToBlock(compareTags)
        let scaled = builder.binaryImmediate(Op.named("imul"), index, 8)
        let byteOffset = builder.convert(Op.uextend, .i64, scaled)
        let entry = builder.binary(Op.iadd, data, byteOffset)
        let handled = builder.load(Op.load, .i64, builder.flags(.continuationStackMemory), entry)
        let matches = builder.icmp(.eq, handled, tag)
        let next = builder.addImmediate(index, 1)
        builder.brif(matches, onMatch, [], tryIndex, [next])

        builder.switchToBlock(onNoMatch)
        builder.setCold(onNoMatch)
        trap(&builder, WasmtimeTrap.unhandledTag)

        for block in [handleLink, beginSearch, tryIndex, compareTags, onMatch, onNoMatch] { builder.sealBlock(block) }
        builder.switchToBlock(onMatch)
        return (parent, contRef, index)
    }

    /// Checks a continuation object (not null, not consumed) and consumes it; returns its `VMContRef`.
    mutating func consumeContinuation(_ builder: inout FunctionBuilder, _ object: Value) -> (contRef: Value, revision: Value) {
        let (witness, contRef) = builder.deconstructContinuation(object)
        builder.trapIf(zero: true, contRef, WasmtimeTrap.nullReference)
        let revision = builder.contRefRevision(contRef)
        let evidence = builder.icmp(.eq, revision, witness)
        builder.trapIf(zero: true, evidence, WasmtimeTrap.continuationAlreadyConsumed)
        return (contRef, revision)
    }

    // MARK: Tables

    /// The bytes of one table element: a funcref pointer, a continuation fat pointer, or a
    /// 32-bit GC reference.
    func tableElementBytes(_ type: RefType) -> Int64 {
        switch referenceType(type) {
        case .i64: 8
        case .i128: 16
        default: 4
        }
    }

    /// `table.get` of a continuation table: the fat pointer as stored.
    mutating func tableGetContinuation(_ builder: inout FunctionBuilder, _ table: TableAccess, tableIndex: UInt32,
                                       index: Value) -> Value {
        let (address, flags) = tableElementAddress(&builder, table, tableIndex: tableIndex, index: index)
        return builder.load(Op.load, .i128, flags, address)
    }

    // MARK: Instructions

    public mutating func continuationNull(_ builder: inout FunctionBuilder) throws(TranslationFailure) -> Value {
        let zero = builder.iconst(.i64, 0)
        return builder.constructContinuation(revision: zero, contRef: zero)
    }

    public mutating func continuationIsNull(_ builder: inout FunctionBuilder, _ value: Value) throws(TranslationFailure) -> Value {
        let contRef = builder.deconstructContinuation(value).contRef
        let zero = builder.iconst(.i64, 0)
        return builder.icmp(.eq, contRef, zero)
    }

    public mutating func continuationNew(_ builder: inout FunctionBuilder, function: Value,
                                         type: UInt32) throws(TranslationFailure) -> Value {
        let signature = try continuationFunction(type)
        builder.trapIf(zero: true, function, WasmtimeTrap.nullReference)
        let parameterCount = builder.iconst(.i32, Int64(signature.parameters.count))
        let resultCount = builder.iconst(.i32, Int64(signature.results.count))
        let callee = builtin(&builder, .contNew)
        let contRef = builder.ins(Op.call, nil, [vmctx, function, parameterCount, resultCount], immediates: .functionRef(callee))[0]
        let revision = builder.contRefRevision(contRef)
        return builder.constructContinuation(revision: revision, contRef: contRef)
    }

    public mutating func continuationBind(_ builder: inout FunctionBuilder, continuation: Value,
                                          arguments: [Value]) throws(TranslationFailure) -> Value {
        let (witness, contRef) = builder.deconstructContinuation(continuation)
        builder.trapIf(zero: true, contRef, WasmtimeTrap.nullReference)
        let revision = builder.contRefRevision(contRef)
        let evidence = builder.icmp(.eq, witness, revision)
        builder.trapIf(zero: true, evidence, WasmtimeTrap.continuationAlreadyConsumed)
        storePayloads(&builder, arguments, contRef)
        let next = builder.incrementRevision(contRef, revision)
        return builder.constructContinuation(revision: next, contRef: contRef)
    }

    public mutating func suspend(_ builder: inout FunctionBuilder, tag: UInt32,
                                 arguments: [Value]) throws(TranslationFailure) -> [Value] {
        let returnTypes = try tagFunction(tag).results.map(clifType)
        let tagAddress = try tagAddress(&builder, tag)
        let active = loadStackChain(&builder)
        let (_, endOfChain, handlerIndex) = searchHandler(&builder, from: active, tag: tagAddress, suspendHandlers: true)
        let activeContRef = active.payload
        builder.setLastAncestor(activeContRef, endOfChain)
        let values = builder.valuesArray(activeContRef)
        let capacity = max(1, arguments.count, returnTypes.count)
        stackSwitchingSlots.values = builder.useStackSlot(for: values, capacity: capacity, .payload,
                                                          existing: stackSwitchingSlots.values)
        if !arguments.isEmpty { builder.storeArrayEntries(values, arguments, .payload) }
        let information = builder.commonStackInformation(activeContRef)
        builder.setStackState(information, Layout.stateSuspended)
        builder.setParentChain(endOfChain, builder.absentChain())
        let shifted = builder.controlEffect(Layout.effectSuspend)
        let wideIndex = builder.convert(Op.uextend, .i64, handlerIndex)
        let effect = builder.binary(Op.named("bor"), shifted, wideIndex)
        let context = builder.controlContext(endOfChain)
        let result = builder.ins1(Op.named("stack_switch"), nil, [context, context, effect])
        return resumedValuesOrThrow(&builder, result, activeContRef, returnTypes)
    }

    public mutating func switchTo(_ builder: inout FunctionBuilder, type: UInt32, tag: UInt32, continuation: Value,
                                  arguments: [Value]) throws(TranslationFailure) -> [Value] {
        guard tunables.target == .x86_64 else { throw .notTranslated("switch on \(tunables.target) (Wasmtime supports x86_64 Linux only)") }
        let parameters = try continuationFunction(type).parameters
        guard case .ref(let switcherType)? = parameters.last,
              case .concrete(let switcherIndex) = switcherType.heapType else {
            throw .invalid("switch: the continuation's last parameter is not a continuation reference")
        }
        let returnTypes = try continuationFunction(switcherIndex).parameters.map(clifType)

        let (switchee, revision) = consumeContinuation(&builder, continuation)
        builder.incrementRevision(switchee, revision)

        let tagAddress = try tagAddress(&builder, tag)
        let active = loadStackChain(&builder)
        let (handlerChain, lastAncestor, _) = searchHandler(&builder, from: active, tag: tagAddress, suspendHandlers: false)
        let switcher = active.payload
        builder.setLastAncestor(switcher, lastAncestor)
        let values = builder.valuesArray(switcher)
        stackSwitchingSlots.values = builder.useStackSlot(for: values, capacity: max(1, returnTypes.count), .payload,
                                                          existing: stackSwitchingSlots.values)
        let switcherInformation = builder.commonStackInformation(switcher)
        builder.setStackState(switcherInformation, Layout.stateSuspended)
        builder.setParentChain(lastAncestor, builder.absentChain())
        let context = storeContext(&builder)
        loadLimitsFromStoreContext(&builder, switcherInformation, context, includingStackLimit: false)
        let switcherRevision = builder.contRefRevision(switcher)
        let switcherObject = builder.constructContinuation(revision: switcherRevision, contRef: switcher)

        storePayloads(&builder, arguments + [switcherObject], switchee)
        let switcheeInformation = builder.commonStackInformation(switchee)
        builder.setStackState(switcheeInformation, Layout.stateRunning)
        let switcheeLastAncestor = builder.lastAncestor(switchee)
        builder.setParentChain(switcheeLastAncestor, handlerChain)

        setActiveContinuation(&builder, switchee)
        writeLimitsToStoreContext(&builder, switcheeInformation, context)

        let switcherContext = builder.controlContext(lastAncestor)
        let switcheeContext = builder.controlContext(switcheeLastAncestor)
        let slot = builder.function.createStackSlot(StackSlotData(kind: .explicitSlot, size: UInt32(Layout.controlContextSize),
                                                                  alignShift: 8))
        let temporary = builder.stackAddress(slot)
        let memory = builder.flags(.continuationStackMemory)
        let slotFlags = builder.flags(.stack(slot: slot))
        for offset in stride(from: Int32(0), to: Layout.controlContextSize, by: 8) {
            let saved = builder.load(Op.load, .i64, memory, switcheeContext, offset)
            builder.store(Op.store, slotFlags, saved, temporary, offset)
            let moved = builder.load(Op.load, .i64, memory, switcherContext, offset)
            builder.store(Op.store, memory, moved, switcheeContext, offset)
        }
        let effect = builder.controlEffect(Layout.effectSwitch)
        let result = builder.ins1(Op.named("stack_switch"), nil, [switcherContext, temporary, effect])
        return resumedValuesOrThrow(&builder, result, switcher, returnTypes)
    }
}
