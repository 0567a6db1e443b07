import CLIF
import Wasm

/// Which values Wasmtime 49 puts in stack maps: GC references (32-bit indices into the GC heap)
/// other than `i31ref`, which is never a pointer (`heap_ty_needs_stack_map`,
/// `param_needs_stack_map`). Function references live outside the GC heap and need none.
extension WasmtimeEnvironment {
    /// `parameter`: a function parameter or call result, for which Wasmtime also counts the
    /// bottom types (`none`, `noextern`, `noexn`); locals and block values skip them.
    public func needsStackMap(_ type: RefType, parameter: Bool) -> Bool {
        guard isGCReference(type) else { return false }
        if case .abstract(let heapType, _) = type.heapType {
            switch heapType {
            case .i31: return false
            case .none, .noextern, .noexn: return parameter
            default: return true
            }
        }
        return true
    }

    /// The alias region of a stack-map spill slot (`AliasRegions::stack_map_region`).
    static let stackMapRegion: @Sendable (UInt32) -> AliasRegionKey = { .stack(slot: $0) }
}
