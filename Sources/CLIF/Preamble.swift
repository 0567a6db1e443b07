import SourceText

/// A preamble entity of a function together with where it was written (nil when built in code).
public struct Declared<Data: Sendable>: Sendable {
    public var number: UInt32
    public var data: Data
    /// The whole declaration line, without comments.
    public var range: TextRange?
    /// The entity name at the start (`gv3`).
    public var nameRange: TextRange?

    public init(number: UInt32, data: Data, range: TextRange? = nil, nameRange: TextRange? = nil) {
        self.number = number
        self.data = data
        self.range = range
        self.nameRange = nameRange
    }
}

/// The kind of a stack slot.
public enum StackSlotKind: String, Sendable {
    case explicitSlot = "explicit_slot"
    case explicitDynamicSlot = "explicit_dynamic_slot"
}

/// `ss0 = explicit_slot 16, align = 8`.
public struct StackSlotData: Hashable, Sendable, CustomStringConvertible {
    public var kind: StackSlotKind
    public var size: UInt32
    public var alignShift: UInt8
    public var key: UInt64?

    public init(kind: StackSlotKind = .explicitSlot, size: UInt32, alignShift: UInt8 = 0, key: UInt64? = nil) {
        self.kind = kind
        self.size = size
        self.alignShift = alignShift
        self.key = key
    }

    public var description: String {
        var text = "\(kind.rawValue) \(size)"
        if alignShift != 0 { text += ", align = \(UInt64(1) << UInt64(alignShift))" }
        if let key { text += ", key = \(key)" }
        return text
    }
}

/// `dss0 = explicit_dynamic_slot dt0`.
public struct DynamicStackSlotData: Hashable, Sendable {
    public var kind: StackSlotKind
    public var dynamicType: UInt32
    public init(kind: StackSlotKind, dynamicType: UInt32) {
        self.kind = kind
        self.dynamicType = dynamicType
    }
}

/// `dt0 = i32x4*gv0`.
public struct DynamicTypeData: Hashable, Sendable {
    public var baseType: CLIFType
    public var scale: UInt32
    public init(baseType: CLIFType, scale: UInt32) {
        self.baseType = baseType
        self.scale = scale
    }
}

/// The name of an external function or symbol.
public enum ExternalName: Hashable, Sendable, CustomStringConvertible {
    case user(namespace: UInt32, index: UInt32)
    /// `%name`: a test case, libcall or known symbol.
    case named(String)

    public var description: String {
        switch self {
        case .user(let namespace, let index): "u\(namespace):\(index)"
        case .named(let name): "%" + name
        }
    }
}

/// How a global value is computed.
public enum GlobalValueData: Hashable, Sendable {
    case vmContext
    case load(base: UInt32, offset: Int32, type: CLIFType, flags: MemFlags)
    case iaddImm(base: UInt32, offset: Int64, type: CLIFType)
    case symbol(name: ExternalName, offset: Int64, colocated: Bool, tls: Bool)
    case dynScaleTargetConst(vectorType: CLIFType)

    /// The base global value this one reads, if any.
    public var base: UInt32? {
        switch self {
        case .load(let base, _, _, _), .iaddImm(let base, _, _): base
        default: nil
        }
    }
}

/// `region0 = 8 "VMContext+0x8"`.
public struct AliasRegionData: Hashable, Sendable {
    public var userID: UInt32
    public var description: String
    public init(userID: UInt32, description: String) {
        self.userID = userID
        self.description = description
    }
}

/// `fn0 = colocated u0:1 sig0`.
public struct ExternalFunctionData: Hashable, Sendable {
    public var name: ExternalName
    public var signature: UInt32
    public var colocated: Bool
    public var patchable: Bool
    public init(name: ExternalName, signature: UInt32, colocated: Bool = false, patchable: Bool = false) {
        self.name = name
        self.signature = signature
        self.colocated = colocated
        self.patchable = patchable
    }
}

/// Constant bytes, stored little-endian as Cranelift's constant pool stores them.
public struct ConstantData: Hashable, Sendable, CustomStringConvertible {
    public var bytes: [UInt8]
    public init(bytes: [UInt8]) { self.bytes = bytes }
    /// `0x` and the bytes from most to least significant; empty for no bytes.
    public var description: String {
        if bytes.isEmpty { return "" }
        var text = "0x"
        for byte in bytes.reversed() {
            text += byte < 16 ? "0" + String(byte, radix: 16) : String(byte, radix: 16)
        }
        return text
    }
}
