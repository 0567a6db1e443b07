import CLIF
import Wasm

/// The wide-arithmetic operators: 128-bit sums and differences of two halves, and full 64×64
/// products, computed in `i128` and split back into two `i64` values.
extension FunctionTranslator {
    /// Translates a wide-arithmetic operator; false for any other opcode.
    mutating func translateWideArithmetic(_ opcode: Wasm.Opcode) throws(TranslationFailure) -> Bool {
        let wide: Value
        switch opcode {
        case .i64MulWideS, .i64MulWideU:
            let (a, b) = try pop2()
            let extend = opcode == .i64MulWideS ? Op.sextend : Op.uextend
            let x = builder.convert(extend, .i128, a)
            let y = builder.convert(extend, .i128, b)
            wide = builder.binary(Op.named("imul"), x, y)
        case .i64Add128, .i64Sub128:
            let (c, d) = try pop2()
            let (a, b) = try pop2()
            let x = builder.binary(Op.named("iconcat"), a, b)
            let y = builder.binary(Op.named("iconcat"), c, d)
            wide = builder.binary(opcode == .i64Add128 ? Op.iadd : Op.isub, x, y)
        default:
            return false
        }
        stack.append(contentsOf: builder.ins(Op.named("isplit"), nil, [wide]))
        return true
    }
}
