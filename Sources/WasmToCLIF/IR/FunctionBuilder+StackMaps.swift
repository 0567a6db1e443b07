import CLIF

/// Stack-map declarations (cranelift-frontend's `declare_var_needs_stack_map` and
/// `declare_value_needs_stack_map`): such values are spilled around the calls they are live
/// across when the function is finished (see `IRFunction+SafepointSpiller.swift`).
extension FunctionBuilder {
    /// Every value bound to `variable` from now on needs a stack map; call before defining it.
    mutating func declareVariableNeedsStackMap(_ variable: Variable) {
        ssa.stackMapVariables.insert(variable.index)
    }

    mutating func declareValueNeedsStackMap(_ value: Value) {
        ssa.stackMapValues.insert(value.number)
    }
}
