/// The layout of Wasmtime's `VMContext` for one module on a 64-bit target (`VMOffsets`): a fixed
/// header, then arrays for imported and defined entities in a fixed order.
public struct VMOffsets: Sendable, Hashable {
    public static let magic: Int32 = 0
    public static let storeContext: Int32 = 8
    public static let builtinFunctions: Int32 = 16
    public static let epochPointer: Int32 = 24
    public static let gcHeapData: Int32 = 32
    public static let typeIDs: Int32 = 40

    public let importedMemories: UInt32
    public let memories: UInt32
    public let ownedMemories: UInt32
    public let importedFunctions: UInt32
    public let importedTables: UInt32
    public let importedGlobals: UInt32
    public let importedTags: UInt32
    public let tables: UInt32
    public let globals: UInt32
    public let tags: UInt32
    public let funcRefs: UInt32
    /// The `VMFuncRef` of the startup function, when the module has one.
    public let startupFuncRef: UInt32?
    public let runtimeDataBases: UInt32
    public let runtimeDataLengths: UInt32
    public let size: UInt32

    public init(_ info: ModuleInfo, runtimeData: RuntimeData = RuntimeData()) {
        let definedMemories = info.memories[info.importedMemoryCount...]
        let owned = UInt32(definedMemories.filter { !$0.limits.shared }.count)
        var offset: UInt32 = 48
        func array(_ count: Int, _ size: UInt32) -> UInt32 {
            let start = offset
            offset += UInt32(count) * size
            return start
        }
        importedMemories = array(info.importedMemoryCount, 24)
        memories = array(definedMemories.count, 8)
        ownedMemories = array(Int(owned), 16)
        importedFunctions = array(info.importedFunctionCount, 32)
        importedTables = array(info.importedTableCount, 24)
        importedGlobals = array(info.importedGlobalCount, 24)
        importedTags = array(info.importedTagCount, 24)
        tables = array(info.tables.count - info.importedTableCount, 16)
        offset = (offset + 15) & ~15
        globals = array(info.globals.count - info.importedGlobalCount, 16)
        tags = array(info.tags.count - info.importedTagCount, 4)
        offset = (offset + 7) & ~7
        funcRefs = array(info.escapedFunctionIndex.count, 32)
        startupFuncRef = runtimeData.hasStartupFunction ? array(1, 32) : nil
        runtimeDataBases = array(runtimeData.count, 8)
        runtimeDataLengths = array(runtimeData.count, 4)
        size = offset
    }

    public func importedMemory(_ index: Int) -> Int32 { Int32(importedMemories) + Int32(index) * 24 }
    public func definedMemoryPointer(_ index: Int) -> Int32 { Int32(memories) + Int32(index) * 8 }
    public func ownedMemory(_ index: Int) -> Int32 { Int32(ownedMemories) + Int32(index) * 16 }
    public func importedFunction(_ index: Int) -> Int32 { Int32(importedFunctions) + Int32(index) * 32 }
    public func importedTable(_ index: Int) -> Int32 { Int32(importedTables) + Int32(index) * 24 }
    public func importedGlobal(_ index: Int) -> Int32 { Int32(importedGlobals) + Int32(index) * 24 }
    public func definedTable(_ index: Int) -> Int32 { Int32(tables) + Int32(index) * 16 }
    public func definedGlobal(_ index: Int) -> Int32 { Int32(globals) + Int32(index) * 16 }
    public func funcRef(_ index: Int) -> Int32 { Int32(funcRefs) + Int32(index) * 32 }
    public func runtimeDataBase(_ index: UInt32) -> Int32 { Int32(runtimeDataBases) + Int32(index) * 8 }
    public func runtimeDataLength(_ index: UInt32) -> Int32 { Int32(runtimeDataLengths) + Int32(index) * 4 }
}
