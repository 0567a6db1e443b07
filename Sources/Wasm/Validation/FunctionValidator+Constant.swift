extension FunctionValidator {
    /// Rejects instructions that are not allowed in a constant expression.
    func checkConstant(_ instruction: Instruction) throws(ValidationError) {
        switch instruction.opcode {
        case .i32Const, .i64Const, .f32Const, .f64Const, .v128Const, .refNull, .refFunc, .globalGet, .end,
            .i32Add, .i32Sub, .i32Mul, .i64Add, .i64Sub, .i64Mul, .structNew, .structNewDefault, .arrayNew,
            .arrayNewDefault, .arrayNewFixed, .refI31, .anyConvertExtern, .externConvertAny, .structNewDesc,
            .structNewDefaultDesc:
            return
        default:
            throw fail("constant expression required: \(instruction.opcode.name) is not a constant instruction")
        }
    }
}
