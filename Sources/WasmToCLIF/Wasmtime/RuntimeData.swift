import Wasm

/// Where Wasmtime keeps data segments at run time and whether the module needs a startup function:
/// both decide the tail of the `VMContext` (`startup_func_ref`, `runtime_data_bases`,
/// `runtime_data_lengths`). Active segments become one runtime-data entry per initialised memory
/// (static initialisation, when it applies) or one entry each; passive segments follow, in order.
public struct RuntimeData: Sendable, Hashable {
    /// The number of runtime-data entries.
    public var count = 0
    /// The runtime-data index of each passive data segment, by data index.
    public var passiveIndex: [UInt32: UInt32] = [:]
    /// Whether the module has a startup function (and so a `startup_func_ref`).
    public var hasStartupFunction = false

    /// The host page size of the x86_64 and aarch64 targets Wasmtime aligns memory images to.
    static let hostPageSize: UInt64 = 4096
    /// `memory_guaranteed_dense_image_size`: a sparse image up to this size is still built.
    static let denseImageSize: UInt64 = 16 << 20
    /// `MAX_FUNC_TABLE_SIZE` of lazily initialised funcref tables.
    static let maxFuncTableSize: UInt64 = 1 << 20

    /// A module without data segments or startup work.
    public init() {}

    public init(_ info: ModuleInfo, tunables: Tunables) {
        let module = info.module
        if module.start != nil { hasStartupFunction = true }
        if module.globals.contains(where: { Self.constant($0.initializer) == nil }) { hasStartupFunction = true }
        if module.elements.contains(where: { if case .passive = $0.mode { true } else { false } }) { hasStartupFunction = true }
        if Self.tablesNeedStartup(info, tunables: tunables) { hasStartupFunction = true }
        let active = module.data.filter { if case .active = $0.mode { true } else { false } }
        if tunables.memoryInitCOW, let images = Self.staticImageCount(info) {
            count = images
            if images > 0 { hasStartupFunction = true }
        } else {
            count = active.count
            if !active.isEmpty { hasStartupFunction = true }
        }
        for (index, segment) in module.data.enumerated() {
            guard case .passive = segment.mode else { continue }
            passiveIndex[UInt32(index)] = UInt32(count)
            count += 1
        }
    }

    /// The value of a one-operator constant expression (Wasmtime's `const_eval`).
    static func constant(_ expression: ConstExpr) -> Wasm.Instruction? {
        let instructions = expression.instructions
        guard instructions.count == 2, instructions[1].opcode == .end else { return nil }
        switch instructions[0].opcode {
        case .i32Const, .i64Const, .f32Const, .f64Const, .v128Const: return instructions[0]
        default: return nil
        }
    }

    /// The number of non-empty memory images when every active segment can be applied at compile
    /// time (`try_static_init`); nil when initialisation stays segment by segment.
    static func staticImageCount(_ info: ModuleInfo) -> Int? {
        struct Extent {
            var dataSize: UInt64 = 0
            var start = UInt64.max
            var end: UInt64 = 0
            var segments: [(UInt64, [UInt8])] = []
        }
        var extents = Array(repeating: Extent(), count: info.memories.count)
        for segment in info.module.data {
            guard case .active(let memory, let offset) = segment.mode else { continue }
            guard Int(memory) >= info.importedMemoryCount, Int(memory) < info.memories.count,
                  let constant = constant(offset) else { return nil }
            let limits = info.memories[Int(memory)].limits
            let start: UInt64
            switch (constant.immediates, limits.is64) {
            case (.i32(let value), false): start = UInt64(UInt32(bitPattern: value))
            case (.i64(let value), true): start = UInt64(bitPattern: value)
            default: return nil
            }
            let (end, overflow) = start.addingReportingOverflow(UInt64(segment.bytes.count))
            let pageSize: UInt64 = 1 << UInt64(limits.pageSizeLog2 ?? 16)
            let (minimum, tooLarge) = limits.min.multipliedReportingOverflow(by: pageSize)
            guard !overflow, !tooLarge, end <= minimum else { return nil }
            guard !segment.bytes.isEmpty else { continue }
            extents[Int(memory)].dataSize += UInt64(segment.bytes.count)
            extents[Int(memory)].start = min(extents[Int(memory)].start, start)
            extents[Int(memory)].end = max(extents[Int(memory)].end, end)
            extents[Int(memory)].segments.append((start, segment.bytes))
        }
        for (memory, extent) in extents.enumerated() where extent.dataSize > 0 {
            let pageSize: UInt64 = 1 << UInt64(info.memories[memory].limits.pageSizeLog2 ?? 16)
            guard pageSize >= hostPageSize else { return nil }
            let size = extent.end - extent.start
            if size < extent.dataSize.multipliedReportingOverflow(by: 2).partialValue || size < denseImageSize { continue }
            return nil
        }
        var images = 0
        for extent in extents where !extent.segments.isEmpty {
            var image = [UInt8](repeating: 0, count: Int(extent.end - extent.start))
            for (start, bytes) in extent.segments {
                let from = Int(start - extent.start)
                image.replaceSubrange(from..<(from + bytes.count), with: bytes)
            }
            if image.contains(where: { $0 != 0 }) { images += 1 }
        }
        return images
    }

    /// Whether table initialisation leaves work for the startup function (`finalize_table_init`).
    static func tablesNeedStartup(_ info: ModuleInfo, tunables: Tunables) -> Bool {
        let module = info.module
        var expressionInitialised = module.tables.map { $0.initializer != nil }
        var pending = module.elements.filter { if case .active = $0.mode { true } else { false } }
        if tunables.tableLazyInit {
            for (index, table) in module.tables.enumerated() {
                guard let initializer = table.initializer, table.type.limits.min <= maxFuncTableSize,
                      initializer.instructions.count == 2, initializer.instructions[0].opcode == .refFunc else { continue }
                expressionInitialised[index] = false
            }
            segments: while let segment = pending.first {
                guard case .active(let table, let offset) = segment.mode else { break }
                let tableIndex = Int(table ?? 0)
                guard tableIndex >= info.importedTableCount, tableIndex < info.tables.count,
                      let constant = constant(offset) else { break }
                let start: UInt64
                switch constant.immediates {
                case .i32(let value): start = UInt64(UInt32(bitPattern: value))
                case .i64(let value): start = UInt64(bitPattern: value)
                default: break segments
                }
                let (top, overflow) = start.addingReportingOverflow(UInt64(segment.count))
                let type = info.tables[tableIndex]
                guard !overflow, top <= type.limits.min, top <= maxFuncTableSize,
                      isFunctionReference(type.elementType, info),
                      case .functions = segment.items,
                      !expressionInitialised[tableIndex - info.importedTableCount] else { break }
                pending.removeFirst()
            }
        }
        return !pending.isEmpty || expressionInitialised.contains(true)
    }

    static func isFunctionReference(_ type: RefType, _ info: ModuleInfo) -> Bool {
        switch type.heapType {
        case .abstract(let abstract, _): return abstract == .func || abstract == .nofunc
        case .concrete(let index), .exact(let index):
            guard Int(index) < info.types.count, case .function = info.types[Int(index)].composite.kind else { return false }
            return true
        }
    }
}
