extension Opcode {
    /// The operand-stack effect the opcode fixes, from the validation table, written
    /// `[i32 i32] -> [i32]` (a memory address is `addr`: i32 or i64 by the memory); nil for
    /// instructions whose effect depends on the module or on their immediates (calls, locals, blocks).
    public var fixedStackEffect: String? {
        func list(_ types: TypeList) -> String {
            [types.first, types.second, types.third, types.fourth].prefix(types.count).map(\.validationName)
                .joined(separator: " ")
        }
        switch OperatorSignatures.table[Int(rawValue)] {
        case .plain(let parameters, let results): return "[\(list(parameters))] -> [\(list(results))]"
        case .load(let type): return "[addr] -> [\(type.validationName)]"
        case .store(let type): return "[addr \(type.validationName)] -> []"
        case .readModifyWrite(let type): return "[addr \(type.validationName)] -> [\(type.validationName)]"
        case .compareExchange(let type):
            return "[addr \(type.validationName) \(type.validationName)] -> [\(type.validationName)]"
        case .loadLane: return "[addr v128] -> [v128]"
        case .storeLane: return "[addr v128] -> []"
        case .extractLane(_, let type): return "[v128] -> [\(type.validationName)]"
        case .replaceLane(_, let type): return "[v128 \(type.validationName)] -> [v128]"
        case .contextual: return nil
        }
    }
}
