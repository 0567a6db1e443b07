import CLIF
import Testing
@testable import WasmToCLIF

/// The released Wasmtime 49.0.3 identifies alias regions by an 8-bit fold of the key's hash, so
/// some keys share a region; the ids below are the ones that binary prints.
@Suite struct AliasRegionReleaseIDTests {
    @Test func idsMatchTheReleasedBinary() {
        #expect(AliasRegionKey.vm(.vmContext, offset: 8).releaseID == 123)
        #expect(AliasRegionKey.vm(.vmStoreContext, offset: 0x18).releaseID == 160)
        #expect(AliasRegionKey.vm(.vmContext, offset: 0x20).releaseID == 65)
        #expect(AliasRegionKey.vm(.vmCopyingHeapData, offset: 0).releaseID == 177)
        #expect(AliasRegionKey.vm(.typeIDsArray, offset: 4).releaseID == 191)
        #expect(AliasRegionKey.vm(.vmMemoryImport, offset: 0).releaseID == 13)
        #expect(AliasRegionKey.definedGlobal(index: 0).releaseID == 250)
        #expect(AliasRegionKey.gcHeap.releaseID == 108)
        #expect(AliasRegionKey.stack(slot: 0).releaseID == 232)
        #expect(AliasRegionKey.publicMemory.releaseID == 61)
    }

    @Test func userIDsDecodeToTheirKeys() {
        for key in [AliasRegionKey.vm(.vmFuncRef, offset: 0x18), .definedTable(index: 2), .gcHeap, .stack(slot: 3), .dataSegment] {
            #expect(AliasRegionKey(userID: key.userID) == key)
        }
    }

    @Test func collidingKeysShareARegion() {
        var function = IRFunction(name: .user(namespace: 0, index: 0), signature: Signature(params: [], returns: [], callConv: .tail))
        let stackLimit = function.region(AliasRegionKey.vm(.vmStoreContext, offset: 0x18))
        let other = function.region(AliasRegionKey.vm(.vmContext, offset: 0x20))
        // VMContext+0x58 (a data segment's length in a module without memories) folds to the
        // stack limit's id, and the element segments to the second type id's.
        #expect(function.region(AliasRegionKey.vm(.vmContext, offset: 0x58)) == stackLimit)
        #expect(function.region(AliasRegionKey.vm(.vmContext, offset: 0x58).data) == stackLimit)
        #expect(other != stackLimit)
        let typeID = function.region(AliasRegionKey.vm(.typeIDsArray, offset: 4))
        #expect(function.region(AliasRegionKey.elementSegment) == typeID)
        #expect(function.regions.count == 3)
    }
}
