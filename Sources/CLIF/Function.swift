import SourceText

/// A CLIF function: name, signature, preamble entities, blocks in layout order, and the types of
/// its values. The parser fills the ranges; code that builds functions may leave them nil.
public struct Function: Sendable {
    public var name: FunctionName
    public var signature: Signature
    public var dynamicTypes: [Declared<DynamicTypeData>] = []
    public var dynamicStackSlots: [Declared<DynamicStackSlotData>] = []
    public var stackSlots: [Declared<StackSlotData>] = []
    public var regions: [Declared<AliasRegionData>] = []
    public var globalValues: [Declared<GlobalValueData>] = []
    public var signatures: [Declared<Signature>] = []
    public var functionRefs: [Declared<ExternalFunctionData>] = []
    public var constants: [Declared<ConstantData>] = []
    public var stackLimit: Declared<UInt32>?
    public var blocks: [BlockData] = []
    /// Value aliases in the order they were written.
    public var aliases: [ValueAlias] = []
    /// The type of each value, indexed by value number (`.invalid` where no value is defined).
    public var valueTypes: [CLIFType] = []
    /// Every entity definition and use in the text, in text order.
    public var mentions: [EntityMention] = []
    /// From `function` to the closing brace.
    public var range: TextRange?
    public var nameRange: TextRange?

    public init(name: FunctionName, signature: Signature) {
        self.name = name
        self.signature = signature
    }

    public func type(of value: Value) -> CLIFType {
        let index = Int(value.number)
        return index < valueTypes.count ? valueTypes[index] : .invalid
    }

    public mutating func setType(_ type: CLIFType, of value: Value) {
        let index = Int(value.number)
        if index >= valueTypes.count {
            valueTypes.append(contentsOf: repeatElement(.invalid, count: index + 1 - valueTypes.count))
        }
        valueTypes[index] = type
    }

    public func signature(numbered number: UInt32) -> Signature? {
        signatures.first { $0.number == number }?.data
    }

    public func functionRef(numbered number: UInt32) -> ExternalFunctionData? {
        functionRefs.first { $0.number == number }?.data
    }

    public func globalValue(numbered number: UInt32) -> GlobalValueData? {
        globalValues.first { $0.number == number }?.data
    }

    /// The signature an instruction calls, if it is a call of any kind.
    public func calledSignature(of instruction: Instruction) -> Signature? {
        switch instruction.immediates {
        case .functionRef(let ref) where instruction.opcode.format == .call:
            guard let function = functionRef(numbered: ref) else { return nil }
            return signature(numbered: function.signature)
        case .signatureRef(let sig):
            return signature(numbered: sig)
        case .exceptionTable(_, let sig):
            return signature(numbered: sig)
        default:
            return nil
        }
    }

    /// The types of an instruction's results, derived from the opcode table and, for calls, the
    /// callee's signature; nil entries where a constraint cannot be resolved.
    public func resultTypes(of instruction: Instruction) -> [CLIFType] {
        let info = instruction.opcode.info
        if info.variadicResults {
            return calledSignature(of: instruction)?.returns.map(\.type) ?? []
        }
        return info.results.map { $0.resolve(controllingType: instruction.controllingType) ?? .invalid }
    }

    /// The value behind a chain of aliases.
    public func resolveAlias(_ value: Value) -> Value {
        if aliases.isEmpty { return value }
        var current = value
        var steps = 0
        while let alias = aliases.last(where: { $0.alias == current })?.target, steps <= aliases.count {
            current = alias
            steps += 1
        }
        return current
    }

    var aliasTargets: [Value: Value] {
        var map: [Value: Value] = [:]
        for alias in aliases { map[alias.alias] = alias.target }
        return map
    }
}

extension OperandConstraint {
    /// The single type this constraint allows for `controllingType`, or nil (free, narrower,
    /// wider, or no such derived type).
    public func resolve(controllingType ctrl: CLIFType) -> CLIFType? {
        switch self {
        case .same: return ctrl
        case .concrete(let type): return type
        case .free, .narrower, .wider: return nil
        case .laneOf: return ctrl.laneType
        case .asTruthy: return ctrl.asTruthy
        case .halfWidth: return ctrl.halfWidth
        case .doubleWidth: return ctrl.doubleWidth
        case .splitLanes: return ctrl.splitLanes
        case .mergeLanes: return ctrl.mergeLanes
        case .dynamicToVector: return ctrl.dynamicToVector
        }
    }
}
