import CLIF

/// Wasmtime's builtin functions that translated code calls, numbered as in its
/// `foreach_builtin_function!` list; each is reached through a `WasmToBuiltinTrampoline`.
public enum Builtin: UInt32, Sendable, Hashable {
    case memoryGrow = 0
    case memoryCopy = 1
    case memoryFill = 2
    case passiveElemSegmentLen = 3
    case passiveElemSegmentBase = 4
    case passiveElemSegmentDrop = 5
    case refFunc = 6
    case tableGetLazyInitFuncRef = 7
    case tableGrow = 8
    case memoryAtomicNotify = 9
    case memoryAtomicWait32 = 10
    case memoryAtomicWait64 = 11
    case outOfGas = 12
    case newEpoch = 13
    case gcAllocRaw = 24
    case internFuncRefForGCHeap = 25
    case getInternedFuncRef = 26
    case raise = 41
    case contNew = 42
    case getInstanceID = 43
    case throwRef = 44
    case isSubtype = 27

    /// The namespace of `WasmToBuiltinTrampoline` function keys.
    public static let namespace: UInt32 = 0x3000_0000

    public var signature: Signature {
        let vmctx = AbiParam(.i64, purpose: .vmContext)
        let (params, returns): ([CLIFType], [CLIFType]) = switch self {
        case .memoryGrow: ([.i64, .i32], [.i64])
        case .memoryCopy: ([.i64, .i64, .i64], [])
        case .memoryFill: ([.i64, .i32, .i64], [])
        case .passiveElemSegmentLen, .passiveElemSegmentBase: ([.i32], [.i64])
        case .passiveElemSegmentDrop: ([.i32], [.i8])
        case .refFunc: ([.i32], [.i64])
        case .tableGetLazyInitFuncRef: ([.i32, .i64], [.i64])
        case .tableGrow: ([.i32, .i64], [.i64])
        case .memoryAtomicNotify: ([.i32, .i64, .i32], [.i64])
        case .memoryAtomicWait32: ([.i32, .i64, .i32, .i64], [.i64])
        case .memoryAtomicWait64: ([.i32, .i64, .i64, .i64], [.i64])
        case .outOfGas: ([], [.i8])
        case .newEpoch: ([], [.i64])
        case .gcAllocRaw: ([.i32, .i32, .i32, .i32], [.i32])
        case .internFuncRefForGCHeap: ([.i64], [.i64])
        case .getInternedFuncRef: ([.i32, .i32], [.i64])
        case .raise: ([], [])
        case .contNew: ([.i64, .i32, .i32], [.i64])
        case .getInstanceID: ([], [.i32])
        case .throwRef: ([.i32], [.i8])
        case .isSubtype: ([.i32, .i32], [.i32])
        }
        return Signature(params: [vmctx] + params.map { AbiParam($0) }, returns: returns.map { AbiParam($0) }, callConv: .tail)
    }
}

extension WasmtimeEnvironment {
    /// The function reference of a builtin, declared on first use (signature, then function).
    mutating func builtin(_ builder: inout FunctionBuilder, _ builtin: Builtin) -> UInt32 {
        if let existing = builtinRefs[builtin] { return existing }
        let sig = builder.function.importSignature(builtin.signature)
        let reference = builder.function.importFunction(ExternalFunctionData(
            name: .user(namespace: Builtin.namespace, index: builtin.rawValue), signature: sig, colocated: true))
        builtinRefs[builtin] = reference
        return reference
    }
}
