/// A calling convention named after a function signature.
public enum CallConv: String, Sendable, CaseIterable {
    case fast, tail
    case systemV = "system_v"
    case windowsFastcall = "windows_fastcall"
    case appleAarch64 = "apple_aarch64"
    case probestack, winch
    case preserveAll = "preserve_all"
}

/// How a narrow integer parameter is extended to register width.
public enum ArgumentExtension: Sendable, Hashable {
    case none, uext, sext
}

/// What a parameter is for, beyond carrying a value.
public enum ArgumentPurpose: Hashable, Sendable, CustomStringConvertible {
    case normal
    case structArgument(UInt32)
    case structReturn
    case vmContext

    public var description: String {
        switch self {
        case .normal: "normal"
        case .structArgument(let size): "sarg(\(size))"
        case .structReturn: "sret"
        case .vmContext: "vmctx"
        }
    }
}

/// A parameter or return value of a signature: `i64 vmctx`, `i32 uext`.
public struct AbiParam: Hashable, Sendable, CustomStringConvertible {
    public var type: CLIFType
    public var purpose: ArgumentPurpose
    public var extension_: ArgumentExtension

    public init(_ type: CLIFType, purpose: ArgumentPurpose = .normal, extension: ArgumentExtension = .none) {
        self.type = type
        self.purpose = purpose
        self.extension_ = `extension`
    }

    public var description: String {
        var text = type.description
        switch extension_ {
        case .none: break
        case .uext: text += " uext"
        case .sext: text += " sext"
        }
        if purpose != .normal { text += " \(purpose)" }
        return text
    }
}

/// A function signature: parameters, returns and calling convention.
public struct Signature: Hashable, Sendable, CustomStringConvertible {
    public var params: [AbiParam]
    public var returns: [AbiParam]
    public var callConv: CallConv

    public init(params: [AbiParam] = [], returns: [AbiParam] = [], callConv: CallConv = .fast) {
        self.params = params
        self.returns = returns
        self.callConv = callConv
    }

    public var description: String {
        var text = "(" + params.map(\.description).joined(separator: ", ") + ")"
        if !returns.isEmpty { text += " -> " + returns.map(\.description).joined(separator: ", ") }
        return text + " " + callConv.rawValue
    }
}

/// A function's name: `%name` (a test case) or `u<namespace>:<index>`.
public enum FunctionName: Hashable, Sendable, CustomStringConvertible {
    case testcase(String)
    case user(namespace: UInt32, index: UInt32)

    public var description: String {
        switch self {
        case .testcase(let name): "%" + name
        case .user(let namespace, let index): "u\(namespace):\(index)"
        }
    }
}
