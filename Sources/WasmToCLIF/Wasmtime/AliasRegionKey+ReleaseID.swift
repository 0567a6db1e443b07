/// The alias-region identity of the released Wasmtime 49.0.3 binary (the differential oracle).
/// Its `insert_region` hashes the `AliasRegionKey` with `FxHasher` (the derived `Hash`: the
/// variant's tag, then its fields) and XOR-folds the eight hash bytes into an 8-bit user id; two
/// keys with the same id share one region, so a function may use one region for, say,
/// `VMContext+0x58` and `VMStoreContext+0x18`. Read from the binary's machine code and checked
/// against the ids it prints for 87 keys; the disas goldens come from a later Wasmtime whose ids
/// do not collide.
extension AliasRegionKey {
    /// The 8-bit id the released binary gives this key; nil for the runtime types whose place in
    /// the released binary's enum is unknown, which are then never merged.
    var releaseID: UInt8? {
        switch self {
        case .vm(let type, let offset): type.releaseIndex.map { Self.foldedHash(tag: 0, fields: [$0, UInt64(offset)]) }
        case .publicMemory: Self.foldedHash(tag: 1, fields: [])
        case .definedMemory(let index): Self.foldedHash(tag: 2, fields: [0, UInt64(index)])
        case .publicTable: Self.foldedHash(tag: 3, fields: [])
        case .definedTable(let index): Self.foldedHash(tag: 4, fields: [0, UInt64(index)])
        case .publicGlobal: Self.foldedHash(tag: 5, fields: [])
        case .definedGlobal(let index): Self.foldedHash(tag: 6, fields: [0, UInt64(index)])
        case .gcHeap: Self.foldedHash(tag: 7, fields: [])
        case .stack(let slot): Self.foldedHash(tag: 8, fields: [UInt64(slot)])
        case .elementSegment: Self.foldedHash(tag: 10, fields: [])
        case .dataSegment: Self.foldedHash(tag: 11, fields: [])
        }
    }

    /// The key a user id of `AliasRegionKey.userID` was made from, if it is one.
    init?(userID: UInt32) {
        let low = userID & 0x3FF_FFFF
        switch userID >> 26 {
        case 2: self = .publicMemory
        case 3: self = .definedMemory(index: low & 0x3FFFF)
        case 4: self = .publicTable
        case 5: self = .definedTable(index: low & 0x3FFFF)
        case 6: self = .publicGlobal
        case 7: self = .definedGlobal(index: low & 0x3FFFF)
        case 23: self = .stack(slot: low)
        case 31: self = .elementSegment
        case 32: self = .dataSegment
        case 8: self = .gcHeap
        case let kind:
            guard let type = VMType.all.first(where: { $0.kind == kind }) else { return nil }
            self = .vm(type, offset: low)
        }
    }

    private static let fxMultiplier: UInt64 = 0x517C_C1B7_2722_0A95
    /// The hasher state after the hashing that precedes the variant tag (read from the binary).
    private static let fxTagOffset: UInt64 = 0x7876_3FFB_E7BD_C720

    static func foldedHash(tag: UInt64, fields: [UInt64]) -> UInt8 {
        var hash = tag &* fxMultiplier &+ fxTagOffset
        for field in fields {
            hash = ((hash << 5) | (hash >> 59)) ^ field
            hash = hash &* fxMultiplier
        }
        var folded: UInt64 = 0
        for byte in 0..<8 { folded ^= hash >> (8 * UInt64(byte)) }
        return UInt8(truncatingIfNeeded: folded)
    }
}

extension VMType {
    static let all: [VMType] = [.vmContext, .vmStoreContext, .vmMemoryDefinition, .vmTableDefinition, .vmFunctionImport,
                                .vmMemoryImport, .vmTableImport, .vmGlobalImport, .vmFuncRef, .typeIDsArray,
                                .epochCounter, .builtinFunctionsArray, .vmCopyingHeapData]

    /// The type's position in the released binary's `VmType` enum, where it was read.
    var releaseIndex: UInt64? {
        switch self {
        case .vmContext: 0
        case .vmStoreContext: 1
        case .vmMemoryDefinition: 2
        case .vmTableDefinition: 3
        case .vmCopyingHeapData: 8
        case .vmFunctionImport: 17
        case .vmMemoryImport: 18
        case .vmTableImport: 19
        case .vmGlobalImport: 21
        case .vmFuncRef: 22
        case .typeIDsArray: 23
        case .epochCounter: 24
        case .builtinFunctionsArray: 25
        case .vmTagImport, .vmContRef, .continuationStackMemory: nil
        }
    }
}
