import CLIF

/// Per function: the stack slots that stack-switching instructions reuse (Wasmtime's
/// `stack_switching_handler_list_buffer` and `stack_switching_values_buffer`).
struct StackSwitchingSlots: Sendable, Hashable {
    var handlerList: UInt32?
    var values: UInt32?
}

extension AliasRegionKey {
    /// Wasmtime covers a whole `VMContRef` with one region.
    static let contRef = AliasRegionKey.vm(.vmContRef, offset: 0)
    static let continuationStackMemory = AliasRegionKey.vm(.continuationStackMemory, offset: 0)
}

/// A `VMStackChain` held in two pointer-sized values: a discriminant and a payload (the
/// `VMContRef` or the initial stack's `VMCommonStackInformation`).
struct StackChain: Sendable, Hashable {
    var discriminant: Value
    var payload: Value
}

/// The element layout of a `VMHostArray`: its stack-slot alignment (as Wasmtime passes it) and
/// entry size.
enum HostArrayEntry {
    /// 16-byte payload slots (`u128`).
    case payload
    /// Tag-definition pointers of a handler list.
    case pointer

    var size: Int32 { self == .payload ? 16 : 8 }
    var alignShift: UInt8 { self == .payload ? 16 : 8 }
}

/// The loads and stores on stack-switching runtime objects (`VMContRef`, `VMHostArray`,
/// `VMCommonStackInformation`, `VMStackChain`), in the order Wasmtime's helpers emit them.
extension FunctionBuilder {
    typealias Layout = StackSwitchingLayout

    /// `notrap aligned` flags in the region of `key`.
    mutating func flags(_ key: AliasRegionKey) -> MemFlags {
        var flags = MemFlags.trusted
        flags.region = function.region(key)
        return flags
    }

    mutating func addImmediate(_ value: Value, _ immediate: Int64) -> Value {
        binaryImmediate(Op.iadd, value, immediate)
    }

    /// An `i64` constant widened to `i128`, the shift amount of a fat-pointer operation.
    mutating func wideConstant(_ value: Int64) -> Value {
        convert(Op.uextend, .i128, iconst(.i64, value))
    }

    // MARK: Continuation objects (fat pointers)

    /// Splits an `i128` continuation object into its revision and `VMContRef` pointer.
    mutating func deconstructContinuation(_ object: Value) -> (revision: Value, contRef: Value) {
        let contRef = convert(Op.ireduce, .i64, object)
        let shifted = binary(Op.ushr, object, wideConstant(64))
        return (convert(Op.ireduce, .i64, shifted), contRef)
    }

    mutating func constructContinuation(revision: Value, contRef: Value) -> Value {
        let address = convert(Op.uextend, .i128, contRef)
        let wideRevision = convert(Op.uextend, .i128, revision)
        let shifted = binary(Op.ishl, wideRevision, wideConstant(64))
        return binary(Op.named("bor"), shifted, address)
    }

    // MARK: VMContRef

    mutating func contRefRevision(_ contRef: Value) -> Value {
        load(Op.load, .i64, flags(.contRef), contRef, Layout.contRefRevision)
    }

    @discardableResult
    mutating func incrementRevision(_ contRef: Value, _ revision: Value) -> Value {
        let flags = flags(.contRef)
        let next = addImmediate(revision, 1)
        store(Op.store, flags, next, contRef, Layout.contRefRevision)
        return next
    }

    mutating func lastAncestor(_ contRef: Value) -> Value {
        load(Op.load, .i64, flags(.contRef), contRef, Layout.contRefLastAncestor)
    }

    mutating func setLastAncestor(_ contRef: Value, _ ancestor: Value) {
        store(Op.store, flags(.contRef), ancestor, contRef, Layout.contRefLastAncestor)
    }

    mutating func parentChain(_ contRef: Value) -> StackChain {
        loadChain(contRef, at: Layout.contRefParentChain, flags(.contRef))
    }

    mutating func setParentChain(_ contRef: Value, _ chain: StackChain) {
        storeChain(chain, to: contRef, at: Layout.contRefParentChain, flags(.contRef))
    }

    mutating func commonStackInformation(_ contRef: Value) -> Value {
        addImmediate(contRef, Layout.contRefCommonStackInformation)
    }

    mutating func argumentsArray(_ contRef: Value) -> Value {
        addImmediate(contRef, Layout.contRefArgs)
    }

    mutating func valuesArray(_ contRef: Value) -> Value {
        addImmediate(contRef, Layout.contRefValues)
    }

    /// The control context `stack_switch` uses, 24 bytes below the top of the continuation's stack.
    mutating func controlContext(_ contRef: Value) -> Value {
        let topPointer = addImmediate(contRef, Layout.contRefStack)
        let top = load(Op.load, .i64, flags(.contRef), topPointer)
        return addImmediate(top, Layout.controlContextBelowTop)
    }

    // MARK: VMStackChain

    mutating func loadChain(_ base: Value, at offset: Int32, _ flags: MemFlags) -> StackChain {
        let discriminant = load(Op.load, .i64, flags, base, offset)
        return StackChain(discriminant: discriminant, payload: load(Op.load, .i64, flags, base, offset + 8))
    }

    mutating func storeChain(_ chain: StackChain, to base: Value, at offset: Int32, _ flags: MemFlags) {
        store(Op.store, flags, chain.discriminant, base, offset)
        store(Op.store, flags, chain.payload, base, offset + 8)
    }

    mutating func absentChain() -> StackChain {
        let discriminant = iconst(.i64, Layout.chainAbsent)
        return StackChain(discriminant: discriminant, payload: iconst(.i64, 0))
    }

    // MARK: VMCommonStackInformation

    mutating func setStackState(_ information: Value, _ state: Int64) {
        let discriminant = iconst(.i32, state)
        let flags = flags(.contRef)
        let pointer = addImmediate(information, Layout.commonState)
        store(Op.store, flags, discriminant, pointer)
    }

    /// Whether the stack has ever run (its state is not `Fresh`).
    mutating func wasInvoked(_ information: Value) -> Value {
        let flags = flags(.contRef)
        let pointer = addImmediate(information, Layout.commonState)
        let state = load(Op.load, .i32, flags, pointer)
        let fresh = iconst(.i32, Layout.stateFresh)
        return icmp(.ne, state, fresh)
    }

    mutating func handlerList(_ information: Value) -> Value {
        addImmediate(information, Layout.commonHandlers)
    }

    mutating func firstSwitchHandlerIndex(_ information: Value) -> Value {
        load(Op.load, .i32, flags(.contRef), information, Layout.commonFirstSwitchHandlerIndex)
    }

    mutating func setFirstSwitchHandlerIndex(_ information: Value, _ index: Value) {
        store(Op.store, flags(.contRef), index, information, Layout.commonFirstSwitchHandlerIndex)
    }

    // MARK: VMHostArray

    mutating func arrayData(_ array: Value) -> Value {
        load(Op.load, .i64, flags(.contRef), array, Layout.arrayData)
    }

    mutating func arrayLength(_ array: Value) -> Value {
        load(Op.load, .i32, flags(.contRef), array, Layout.arrayLength)
    }

    mutating func setArrayField(_ array: Value, _ offset: Int32, _ value: Value) {
        store(Op.store, flags(.contRef), value, array, offset)
    }

    /// The address of the array's next free entry; the following `count` entries become used.
    mutating func occupyNextSlots(_ array: Value, count: Int, _ entry: HostArrayEntry) -> Value {
        let data = arrayData(array)
        let length = arrayLength(array)
        let newLength = addImmediate(length, Int64(count))
        setArrayField(array, Layout.arrayLength, newLength)
        let wide = convert(Op.uextend, .i64, length)
        let byteOffset = binaryImmediate(Op.named("imul"), wide, Int64(entry.size))
        return binary(Op.iadd, data, byteOffset)
    }

    /// Points the array at a stack slot of at least `capacity` entries, reusing `existing` when
    /// it is large enough; returns the slot used.
    mutating func useStackSlot(for array: Value, capacity: Int, _ entry: HostArrayEntry, existing: UInt32?) -> UInt32 {
        let required = UInt32(capacity) * UInt32(entry.size)
        let slot: UInt32
        let capacityValue: Value
        if let existing, function.stackSlots[Int(existing)].size >= required {
            slot = existing
            capacityValue = iconst(.i32, Int64(function.stackSlots[Int(existing)].size / UInt32(entry.size)))
        } else {
            capacityValue = iconst(.i32, Int64(capacity))
            slot = function.createStackSlot(StackSlotData(kind: .explicitSlot, size: required, alignShift: entry.alignShift))
        }
        let address = stackAddress(slot)
        setArrayField(array, Layout.arrayCapacity, capacityValue)
        setArrayField(array, Layout.arrayData, address)
        return slot
    }

    mutating func stackAddress(_ slot: UInt32) -> Value {
        insert1(Op.named("stack_addr"), .i64, ValueList(), immediates: .stackSlot(slot, offset: 0))
    }

    mutating func loadArrayEntries(_ array: Value, _ types: [CLIFType], _ entry: HostArrayEntry) -> [Value] {
        let memory = flags(.continuationStackMemory)
        let data = arrayData(array)
        return types.enumerated().map { load(Op.load, $0.element, memory, data, Int32($0.offset) * entry.size) }
    }

    mutating func storeArrayEntries(_ array: Value, _ values: [Value], _ entry: HostArrayEntry) {
        let count = iconst(.i32, Int64(values.count))
        let memory = flags(.continuationStackMemory)
        let data = arrayData(array)
        for (position, value) in values.enumerated() {
            store(Op.store, memory, value, data, Int32(position) * entry.size)
        }
        setArrayField(array, Layout.arrayLength, count)
    }

    mutating func clearArray(_ array: Value, discardBuffer: Bool) {
        setArrayField(array, Layout.arrayLength, iconst(.i32, 0))
        guard discardBuffer else { return }
        setArrayField(array, Layout.arrayCapacity, iconst(.i32, 0))
        setArrayField(array, Layout.arrayData, iconst(.i64, 0))
    }

    // MARK: Control effects

    /// A control effect: `discriminant << 32`.
    mutating func controlEffect(_ discriminant: Int64) -> Value {
        let value = iconst(.i64, discriminant)
        return binaryImmediate(Op.ishl, value, 32)
    }

    /// Whether the effect returned by `stack_switch` carries `discriminant`.
    mutating func isControlEffect(_ effect: Value, _ discriminant: Int64) -> Value {
        let signal = binaryImmediate(Op.ushr, effect, 32)
        let expected = iconst(.i64, discriminant)
        return icmp(.eq, signal, expected)
    }
}
