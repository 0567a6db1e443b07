/// The facts about an opcode that code running once per instruction asks for (format, type
/// variable, results, terminator), copied out of its `OpcodeInfo` row into plain data, so that
/// reading them costs no reference counting. Derived from `OpcodeTable.all`, not a second list.
public struct OpcodeShape: Sendable {
    public let format: InstructionFormat
    public let isPolymorphic: Bool
    public let isTerminator: Bool
    public let typeFromOperand: Bool
    public let variadicResults: Bool
    public let typeVariableOperand: Int
    /// How many fixed results the opcode has (0, 1 or 2), and their constraints.
    public let resultCount: Int
    public let firstResult: OperandConstraint
    public let secondResult: OperandConstraint

    init(_ info: OpcodeInfo) {
        format = info.format
        isPolymorphic = info.isPolymorphic
        isTerminator = info.isTerminator
        typeFromOperand = info.typeFromOperand
        variadicResults = info.variadicResults
        typeVariableOperand = info.typeVariableOperand
        precondition(info.results.count <= 2, "opcode \(info.name) has more than two fixed results")
        resultCount = info.results.count
        firstResult = info.results.first ?? .same
        secondResult = info.results.count > 1 ? info.results[1] : .same
    }
}

extension OpcodeTable {
    @usableFromInline static let shapes: [OpcodeShape] = all.map(OpcodeShape.init)
}

extension Opcode {
    /// The plain-data facts of this opcode (see `OpcodeShape`).
    @inlinable public var shape: OpcodeShape { OpcodeTable.shapes[Int(index)] }
}
