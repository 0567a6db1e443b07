import CLIF
import Wasm

/// Wasmtime 49's translation environment: its calling convention, `VMContext` layout, alias
/// regions, bounds checks, calls and traps, selected by `Tunables`.
public struct WasmtimeEnvironment: TranslationEnvironment, Sendable {
    public let info: ModuleInfo
    public let tunables: Tunables
    public let offsets: VMOffsets
    public let runtimeData: RuntimeData

    /// Per function: the heaps created so far, by memory index.
    var heaps: [UInt32: Heap] = [:]
    var tables: [UInt32: TableAccess] = [:]
    /// Signature references by interned type index.
    var signatureRefs: [UInt32: UInt32] = [:]
    var definedFunctionRefs: [UInt32: UInt32] = [:]
    var builtinRefs: [Builtin: UInt32] = [:]
    /// Per function: the stack slots reused by stack-switching handler lists and payload buffers.
    var stackSwitchingSlots = StackSwitchingSlots()

    public init(info: ModuleInfo, tunables: Tunables = Tunables()) {
        self.info = info
        self.tunables = tunables
        self.runtimeData = RuntimeData(info, tunables: tunables)
        self.offsets = VMOffsets(info, runtimeData: runtimeData)
    }

    /// The caller's `VMContext`: the entry block's first parameter, always `v0`.
    var vmctx: Value { Value(0) }

    public func signature(of type: FunctionType) -> Signature {
        var params = [AbiParam(.i64, purpose: .vmContext), AbiParam(.i64)]
        params += type.parameters.map { AbiParam(clifType($0)) }
        return Signature(params: params, returns: type.results.map { AbiParam(clifType($0)) }, callConv: .tail)
    }

    public func functionName(definedIndex: Int) -> FunctionName {
        .user(namespace: 0, index: UInt32(definedIndex))
    }

    public func referenceType(_ type: RefType) -> CLIFType {
        switch type.heapType {
        case .abstract(let abstract, _):
            switch abstract {
            case .func, .nofunc: return .i64
            case .cont, .nocont: return .i128
            default: return .i32
            }
        case .concrete(let index), .exact(let index):
            guard Int(index) < info.types.count else { return .i32 }
            switch info.types[Int(index)].composite.kind {
            case .function: return .i64
            case .continuation: return .i128
            default: return .i32
            }
        }
    }

    func clifType(_ type: ValueType) -> CLIFType {
        switch type {
        case .i32: .i32
        case .i64: .i64
        case .f32: .f32
        case .f64: .f64
        case .v128: .i8x16
        case .ref(let ref): referenceType(ref)
        }
    }

    // MARK: Fields of runtime structures

    /// A pointer-sized or smaller field read through `notrap aligned` loads.
    struct Field: Sendable, Hashable {
        var region: AliasRegionKey
        var offset: Int32
        var type: CLIFType = .i64
        var readonly = false
        var canMove = false
    }

    func flags(_ field: Field, region: UInt32) -> MemFlags {
        var flags = MemFlags.trusted
        flags.readonly = field.readonly
        flags.canMove = field.canMove
        flags.region = region
        return flags
    }

    mutating func load(_ builder: inout FunctionBuilder, _ field: Field, from base: Value, at extra: Int32 = 0) -> Value {
        let region = builder.function.region(field.region)
        return builder.load(Op.load, field.type, flags(field, region: region), base, field.offset + extra)
    }

    // MARK: Function boundaries

    public mutating func beginFunction(_ builder: inout FunctionBuilder) {
        heaps = [:]
        tables = [:]
        signatureRefs = [:]
        definedFunctionRefs = [:]
        builtinRefs = [:]
        stackSwitchingSlots = StackSwitchingSlots()
        builder.stackMapRegion = Self.stackMapRegion
        let vmctxGV = builder.function.createGlobalValue(.vmContext)
        let storeRegion = builder.function.region(AliasRegionKey.vm(.vmContext, offset: 8))
        var storeFlags = MemFlags.trusted
        storeFlags.readonly = true
        storeFlags.canMove = true
        storeFlags.region = storeRegion
        let store = builder.function.createGlobalValue(.load(base: vmctxGV, offset: 8, type: .i64, flags: storeFlags))
        let limitRegion = builder.function.region(AliasRegionKey.vm(.vmStoreContext, offset: 24))
        var limitFlags = MemFlags.trusted
        limitFlags.region = limitRegion
        let limit = builder.function.createGlobalValue(.load(base: store, offset: 24, type: .i64, flags: limitFlags))
        builder.function.stackLimit = limit
    }

    public mutating func beforeBody(_ builder: inout FunctionBuilder) throws(TranslationFailure) {
        if !tunables.signalsBasedTraps { throw .notTranslated("traps through builtin calls (-O signals-based-traps=n)") }
        if tunables.consumeFuel { throw .notTranslated("fuel metering (-W fuel)") }
        if tunables.epochInterruption { throw .notTranslated("epoch interruption (-W epoch-interruption)") }
    }

    public mutating func loopHeader(_ builder: inout FunctionBuilder) throws(TranslationFailure) {}

    public mutating func beforeReturn(_ builder: inout FunctionBuilder) throws(TranslationFailure) {}

    // MARK: Traps and guarded arithmetic

    public mutating func trap(_ builder: inout FunctionBuilder, _ code: TrapCode) {
        builder.trap(code)
    }

    public mutating func guardDivision(_ builder: inout FunctionBuilder, signed: Bool, remainder: Bool, _ lhs: Value, _ rhs: Value) {
        guard !tunables.signalsBasedTraps else { return }
        builder.trapIf(zero: true, rhs, .integerDivisionByZero)
        if signed && !remainder {
            let type = builder.type(of: rhs)
            let minusOne = builder.iconst(type, -1)
            let rhsIsMinusOne = builder.icmp(.eq, rhs, minusOne)
            let intMin = builder.iconst(type, type == .i32 ? Int64(Int32.min) : Int64.min)
            let lhsIsIntMin = builder.icmp(.eq, lhs, intMin)
            let overflow = builder.binary(Op.band, rhsIsMinusOne, lhsIsIntMin)
            builder.trapIf(zero: false, overflow, .integerOverflow)
        }
    }

    public mutating func guardFloatToInt(_ builder: inout FunctionBuilder, _ type: CLIFType, _ value: Value, signed: Bool) throws(TranslationFailure) {
        guard tunables.signalsBasedTraps else { throw .notTranslated("float-to-int guards without signals-based traps") }
    }

    public mutating func round(_ builder: inout FunctionBuilder, _ opcode: CLIF.Opcode, _ value: Value) throws(TranslationFailure) -> Value {
        guard tunables.target != .x86_64 || tunables.hasSSE41 else {
            throw .notTranslated("\(opcode.name) without SSE 4.1 (builtin call)")
        }
        return builder.unary(opcode, value)
    }

    // MARK: Globals

    func constantValue(ofGlobal index: UInt32) -> Wasm.Instruction? {
        let type = info.globals[Int(index)]
        guard !type.mutable, let initializer = info.globalInitializers[Int(index)] else { return nil }
        if case .ref = type.valueType { return nil }
        let instructions = initializer.instructions
        guard instructions.count == 2, instructions[1].opcode == .end else { return nil }
        switch instructions[0].opcode {
        case .i32Const, .i64Const, .f32Const, .f64Const, .v128Const: return instructions[0]
        default: return nil
        }
    }

    func globalRegion(_ index: UInt32) -> AliasRegionKey {
        if Int(index) < info.importedGlobalCount || info.exportedGlobals.contains(index) { return .publicGlobal }
        return .definedGlobal(index: index - UInt32(info.importedGlobalCount))
    }

    mutating func globalLocation(_ builder: inout FunctionBuilder, _ index: UInt32) -> (Value, Int32) {
        if Int(index) >= info.importedGlobalCount {
            return (vmctx, offsets.definedGlobal(Int(index) - info.importedGlobalCount))
        }
        let from = Field(region: .vm(.vmGlobalImport, offset: 0), offset: offsets.importedGlobal(Int(index)),
                         readonly: true, canMove: true)
        return (load(&builder, from, from: vmctx), 0)
    }

    public mutating func globalGet(_ builder: inout FunctionBuilder, _ index: UInt32) throws(TranslationFailure) -> Value {
        guard Int(index) < info.globals.count else { throw .invalid("global \(index) out of range") }
        if let constant = constantValue(ofGlobal: index) {
            switch constant.immediates {
            case .i32(let value): return builder.iconst(.i32, Int64(UInt32(bitPattern: value)))
            case .i64(let value): return builder.iconst(.i64, value)
            case .f32(let bits): return builder.f32const(bits)
            case .f64(let bits): return builder.f64const(bits)
            case .v128(let value): return builder.vconst(.i8x16, value.bytes)
            default: break
            }
        }
        let type = info.globals[Int(index)].valueType
        // GC references go through the collector; continuation references are plain i128 loads.
        if case .ref(let ref) = type, referenceType(ref) != .i64, isGCReference(ref) {
            return globalGetGCReference(&builder, index, ref)
        }
        let clif = clifType(type)
        let (base, offset) = globalLocation(&builder, index)
        var flags = MemFlags.trusted
        if clif.isVector { flags.littleEndian = true }
        flags.region = builder.function.region(globalRegion(index))
        return builder.load(Op.load, clif, flags, base, offset)
    }

    public mutating func globalSet(_ builder: inout FunctionBuilder, _ index: UInt32, _ value: Value) throws(TranslationFailure) {
        guard Int(index) < info.globals.count else { throw .invalid("global \(index) out of range") }
        let type = info.globals[Int(index)].valueType
        if case .ref(let ref) = type, referenceType(ref) != .i64, isGCReference(ref) {
            globalSetGCReference(&builder, index, value)
            return
        }
        let (base, offset) = globalLocation(&builder, index)
        var flags = MemFlags.trusted
        if builder.type(of: value).isVector { flags.littleEndian = true }
        flags.region = builder.function.region(globalRegion(index))
        builder.store(Op.store, flags, value, base, offset)
    }

    // MARK: Calls

    mutating func signatureRef(_ builder: inout FunctionBuilder, type typeIndex: UInt32) throws(TranslationFailure) -> UInt32 {
        guard let type = info.functionType(typeIndex) else { throw .invalid("type \(typeIndex) is not a function type") }
        let interned = info.internedTypeIndex(typeIndex)
        if let existing = signatureRefs[interned] { return existing }
        let reference = builder.function.importSignature(signature(of: type))
        signatureRefs[interned] = reference
        return reference
    }

    public mutating func call(_ builder: inout FunctionBuilder, function: UInt32, arguments: [Value], tail: Bool) throws(TranslationFailure) -> [Value]? {
        let sig = try signatureRef(&builder, type: info.functionTypes[Int(function)])
        if info.isImportedFunction(function) {
            let base = offsets.importedFunction(Int(function))
            let calleeVMContext = load(&builder, Field(region: .vm(.vmFunctionImport, offset: 24), offset: base + 24,
                                                       readonly: true, canMove: true), from: vmctx)
            let address = load(&builder, Field(region: .vm(.vmFunctionImport, offset: 8), offset: base + 8,
                                               readonly: true, canMove: true), from: vmctx)
            let all = [address, calleeVMContext, vmctx] + arguments
            if tail {
                builder.ins(Op.returnCallIndirect, nil, all, immediates: .signatureRef(sig))
                return []
            }
            return wasmCall(&builder, indirect: true, function: nil, signature: sig, all)
        }
        let defined = function - UInt32(info.importedFunctionCount)
        let reference: UInt32
        if let existing = definedFunctionRefs[defined] {
            reference = existing
        } else {
            reference = builder.function.importFunction(ExternalFunctionData(name: .user(namespace: 0, index: defined),
                                                                              signature: sig, colocated: true))
            definedFunctionRefs[defined] = reference
        }
        let all = [vmctx, vmctx] + arguments
        if tail {
            builder.ins(Op.returnCall, nil, all, immediates: .functionRef(reference))
            return []
        }
        return wasmCall(&builder, indirect: false, function: reference, signature: sig, all)
    }
}
