import CLIF

/// The runtime data structures Wasmtime's alias regions name by field offset.
public enum VMType: String, Sendable, Hashable {
    case vmContext = "VMContext"
    case vmStoreContext = "VMStoreContext"
    case vmMemoryDefinition = "VMMemoryDefinition"
    case vmTableDefinition = "VMTableDefinition"
    case vmFunctionImport = "VMFunctionImport"
    case vmMemoryImport = "VMMemoryImport"
    case vmTableImport = "VMTableImport"
    case vmGlobalImport = "VMGlobalImport"
    case vmFuncRef = "VMFuncRef"
    case typeIDsArray = "TypeIdsArray"
    case epochCounter = "EpochCounter"
    case builtinFunctionsArray = "BuiltinFunctionsArray"
    case vmCopyingHeapData = "VMCopyingHeapData"
    case vmTagImport = "VMTagImport"
    /// A continuation object, with its inline stack information, limits and payload arrays.
    case vmContRef = "VMContRef"
    /// Continuation stack memory: payload buffers, handler lists and control contexts.
    case continuationStackMemory = "ContinuationStackMemory"

    /// The region kind number, the top six bits of the user id.
    var kind: UInt32 {
        switch self {
        case .vmContext: 0
        case .vmStoreContext: 1
        case .vmMemoryDefinition: 9
        case .vmTableDefinition: 10
        case .vmFunctionImport: 18
        case .vmMemoryImport: 19
        case .vmTableImport: 20
        case .vmGlobalImport: 22
        case .vmFuncRef: 24
        case .typeIDsArray: 25
        case .epochCounter: 26
        case .builtinFunctionsArray: 27
        case .vmCopyingHeapData: 13
        case .vmTagImport: 21
        case .vmContRef: 16
        case .continuationStackMemory: 17
        }
    }
}

/// What an alias region stands for (Wasmtime's `AliasRegionKey`): its user id packs a kind in the
/// top six bits and a field offset or a module and entity index below; its description is the
/// key's debug text.
public enum AliasRegionKey: Sendable, Hashable {
    case vm(VMType, offset: UInt32)
    case publicMemory
    case definedMemory(index: UInt32)
    case publicTable
    case definedTable(index: UInt32)
    case publicGlobal
    case definedGlobal(index: UInt32)
    /// The runtime storage of passive element segments (`table.init`).
    case elementSegment
    /// The bytes of data segments (`memory.init`).
    case dataSegment
    /// The objects of the GC heap.
    case gcHeap
    /// A stack slot, such as the spill slot of a GC reference live across a call.
    case stack(slot: UInt32)

    public var userID: UInt32 {
        switch self {
        case .vm(let type, let offset): type.kind << 26 | offset
        case .publicMemory: 2 << 26
        case .definedMemory(let index): 3 << 26 | index
        case .publicTable: 4 << 26
        case .definedTable(let index): 5 << 26 | index
        case .publicGlobal: 6 << 26
        case .definedGlobal(let index): 7 << 26 | index
        case .elementSegment: 31 << 26
        case .dataSegment: 32 << 26
        case .gcHeap: 8 << 26
        case .stack(let slot): 23 << 26 | slot
        }
    }

    public var description: String {
        switch self {
        case .vm(let type, let offset): "\(type.rawValue)+0x\(String(offset, radix: 16))"
        case .publicMemory: "PublicMemory"
        case .definedMemory(let index): "DefinedMemory(StaticModuleIndex(0), DefinedMemoryIndex(\(index)))"
        case .publicTable: "PublicTable"
        case .definedTable(let index): "DefinedTable(StaticModuleIndex(0), DefinedTableIndex(\(index)))"
        case .publicGlobal: "PublicGlobal"
        case .definedGlobal(let index): "DefinedGlobal(StaticModuleIndex(0), DefinedGlobalIndex(\(index)))"
        case .elementSegment: "ElementSegment"
        case .dataSegment: "DataSegment"
        case .gcHeap: "GcHeap"
        case .stack(let slot): "Stack(ss\(slot))"
        }
    }

    var data: AliasRegionData { AliasRegionData(userID: userID, description: description) }
}
