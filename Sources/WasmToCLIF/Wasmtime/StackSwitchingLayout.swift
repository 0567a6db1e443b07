import CLIF

/// Field offsets of the runtime structures behind Wasmtime's stack switching on a 64-bit target
/// (`VMContRef`, its inline `VMCommonStackInformation`, `VMStackLimits` and `VMHostArray`s, and the
/// stack fields of `VMStoreContext`), with the discriminants stored in them.
enum StackSwitchingLayout {
    // VMStackLimits
    static let limitsStackLimit: Int32 = 0
    static let limitsLastWasmEntryFP: Int32 = 8
    static let limitsLastWasmEntrySP: Int32 = 16
    static let limitsLastWasmEntryTrapHandler: Int32 = 24

    // VMHostArray: a u32 length, a u32 capacity, then the data pointer.
    static let arrayLength: Int32 = 0
    static let arrayCapacity: Int32 = 4
    static let arrayData: Int32 = 8

    // VMCommonStackInformation
    static let commonLimits: Int64 = 0
    static let commonState: Int64 = 32
    static let commonHandlers: Int64 = 40
    static let commonFirstSwitchHandlerIndex: Int32 = 56

    // VMContRef
    static let contRefCommonStackInformation: Int64 = 0
    static let contRefParentChain: Int32 = 64
    static let contRefLastAncestor: Int32 = 80
    static let contRefRevision: Int32 = 88
    static let contRefStack: Int64 = 96
    static let contRefArgs: Int64 = 120
    static let contRefValues: Int64 = 136

    // VMStoreContext
    static let storeStackLimit: UInt32 = 0x18
    static let storeLastWasmEntrySP: UInt32 = 0x40
    static let storeLastWasmEntryFP: UInt32 = 0x48
    static let storeLastWasmEntryTrapHandler: UInt32 = 0x50
    static let storeStackChain: UInt32 = 0x58

    /// A payload slot holds any Wasm value (`maximum_value_size`).
    static let payloadSlotSize: Int32 = 16
    /// The control context `stack_switch` reads and writes lies this far below a stack's top.
    static let controlContextBelowTop: Int64 = -24
    /// The size of that control context on x86_64 Linux (the only supported target).
    static let controlContextSize: Int32 = 24
    /// The size of a `VMTagImport`, whose first field points at the tag's definition.
    static let tagImportSize: Int32 = 24
    /// The size of a defined tag's `VMTagDefinition`.
    static let tagDefinitionSize: Int32 = 4

    // VMStackChain discriminants
    static let chainAbsent: Int64 = 0
    static let chainInitialStack: Int64 = 1
    static let chainContinuation: Int64 = 2

    // VMStackState discriminants
    static let stateFresh: Int64 = 0
    static let stateRunning: Int64 = 1
    static let stateParent: Int64 = 2
    static let stateSuspended: Int64 = 3
    static let stateReturned: Int64 = 4
    static let stateTrapped: Int64 = 5

    // Control effects passed through `stack_switch`: the discriminant sits in the upper 32 bits.
    static let effectResume: Int64 = 1
    static let effectSuspend: Int64 = 2
    static let effectSwitch: Int64 = 3
    static let effectTrap: Int64 = 4
    static let effectResumeThrow: Int64 = 5
}

extension WasmtimeTrap {
    /// A `suspend` or `switch` found no handler for its tag.
    public static let unhandledTag = TrapCode(raw: 22)
    /// A continuation was resumed, bound or switched to a second time.
    public static let continuationAlreadyConsumed = TrapCode(raw: 23)
}
