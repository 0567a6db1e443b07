import CLIF
import Wasm

/// SIMD operators whose lane shape changes (narrow, extend, extmul, conversions), the vector
/// rounding and pseudo-min/max operators, and relaxed SIMD. The source shape is read from the
/// instruction name (`i32x4.extend_low_i16x8_s` widens `i16x8`). Relaxed operators take the
/// lowerings Wasmtime picks on an x86_64 host with SSSE3, SSE 4.1 and FMA.
extension FunctionTranslator {
    /// The vector type a name part such as `i16x8` stands for.
    static func vectorType(_ name: Substring) -> CLIFType? {
        switch name {
        case "i8x16": .i8x16
        case "i16x8": .i16x8
        case "i32x4": .i32x4
        case "i64x2": .i64x2
        case "f32x4": .f32x4
        case "f64x2": .f64x2
        default: nil
        }
    }

    mutating func pop(as type: CLIFType) throws(TranslationFailure) -> Value {
        castIfNeeded(try pop(), to: type)
    }

    mutating func pop2(as type: CLIFType) throws(TranslationFailure) -> (Value, Value) {
        let (a, b) = try pop2()
        let x = castIfNeeded(a, to: type)
        return (x, castIfNeeded(b, to: type))
    }

    mutating func widen(_ value: Value, signed: Bool, high: Bool) -> Value {
        let name = (signed ? "swiden_" : "uwiden_") + (high ? "high" : "low")
        return builder.unary(Op.named(name), value)
    }

    mutating func zeroVector(_ type: CLIFType) -> Value {
        builder.vconst(type, Array(repeating: 0, count: 16))
    }

    /// Translates a shape-changing or relaxed SIMD operator; false when `suffix` is none of them.
    mutating func translateSIMDConversion(_ type: CLIFType, _ suffix: Substring) throws(TranslationFailure) -> Bool {
        let parts = suffix.split(separator: "_")
        let operation = suffix == "relaxed_min" || suffix == "relaxed_max" ? suffix : parts.first ?? suffix
        let signed = parts.last == "s" || parts.last == "zero" && parts.dropLast().last == "s"
        switch operation {
        case "narrow":
            guard parts.count == 3, let source = Self.vectorType(parts[1]) else { return false }
            let (a, b) = try pop2(as: source)
            stack.append(builder.binary(Op.named(signed ? "snarrow" : "unarrow"), a, b))
        case "extend":
            guard parts.count == 4, let source = Self.vectorType(parts[2]) else { return false }
            stack.append(widen(try pop(as: source), signed: signed, high: parts[1] == "high"))
        case "extmul":
            guard parts.count == 4, let source = Self.vectorType(parts[2]) else { return false }
            let (a, b) = try pop2(as: source)
            let high = parts[1] == "high"
            let x = widen(a, signed: signed, high: high)
            let y = widen(b, signed: signed, high: high)
            stack.append(builder.binary(Op.named("imul"), x, y))
        case "extadd":
            guard parts.count == 4, let source = Self.vectorType(parts[2]) else { return false }
            let a = try pop(as: source)
            let low = widen(a, signed: signed, high: false)
            let high = widen(a, signed: signed, high: true)
            stack.append(builder.binary(Op.named("iadd_pairwise"), low, high))
        case "dot" where suffix == "dot_i16x8_s":
            let (a, b) = try pop2(as: .i16x8)
            stack.append(dotProduct(a, b))
        case "convert":
            let low = parts.count == 4
            let a = try pop(as: .i32x4)
            let source = low ? widen(a, signed: signed, high: false) : a
            stack.append(builder.convert(Op.named(signed ? "fcvt_from_sint" : "fcvt_from_uint"), type, source))
        case "promote":
            stack.append(builder.unary(Op.named("fvpromote_low"), try pop(as: .f32x4)))
        case "demote":
            stack.append(builder.unary(Op.named("fvdemote"), try pop(as: .f64x2)))
        case "trunc" where parts.count > 1:
            try translateVectorTruncation(suffix, signed: signed, relaxed: false)
        case "relaxed" where parts.count > 1 && parts[1] == "trunc":
            try translateVectorTruncation(suffix, signed: signed, relaxed: true)
        case "ceil", "floor", "trunc", "nearest":
            stack.append(try environment.round(&builder, Op.named(String(suffix)), try pop(as: type)))
        case "pmin", "pmax", "relaxed_min", "relaxed_max":
            let (a, b) = try pop2(as: type)
            let isMin = suffix.hasSuffix("min")
            let less = isMin ? builder.fcmp(.lt, b, a) : builder.fcmp(.lt, a, b)
            let mask = castIfNeeded(less, to: type)
            stack.append(builder.ins1(Op.named("bitselect"), nil, [mask, b, a]))
        case "andnot":
            let (a, b) = try pop2(as: type)
            let inverted = builder.unary(Op.named("bnot"), b)
            stack.append(builder.binary(Op.band, a, inverted))
        case "q15mulr":
            let (a, b) = try pop2(as: .i16x8)
            stack.append(builder.binary(Op.named("sqmul_round_sat"), a, b))
        case "relaxed":
            return try translateRelaxed(type, suffix)
        default:
            return false
        }
        return true
    }

    mutating func dotProduct(_ a: Value, _ b: Value) -> Value {
        let aLow = widen(a, signed: true, high: false)
        let bLow = widen(b, signed: true, high: false)
        let low = builder.binary(Op.named("imul"), aLow, bLow)
        let aHigh = widen(a, signed: true, high: true)
        let bHigh = widen(b, signed: true, high: true)
        let high = builder.binary(Op.named("imul"), aHigh, bHigh)
        return builder.binary(Op.named("iadd_pairwise"), low, high)
    }

    /// `trunc_sat_*` and `relaxed_trunc_*` to `i32x4`.
    mutating func translateVectorTruncation(_ suffix: Substring, signed: Bool, relaxed: Bool) throws(TranslationFailure) {
        let fromF64 = suffix.contains("f64x2")
        let a = try pop(as: fromF64 ? .f64x2 : .f32x4)
        let wide: CLIFType = fromF64 ? .i64x2 : .i32x4
        let converted: Value
        if relaxed && signed {
            converted = builder.convert(Op.named("x86_cvtt2dq"), wide, a)
        } else {
            converted = builder.convert(Op.named(signed ? "fcvt_to_sint_sat" : "fcvt_to_uint_sat"), wide, a)
        }
        guard fromF64 else {
            stack.append(converted)
            return
        }
        let zero = zeroVector(.i64x2)
        stack.append(builder.binary(Op.named(signed ? "snarrow" : "uunarrow"), converted, zero))
    }

    mutating func translateRelaxed(_ type: CLIFType, _ suffix: Substring) throws(TranslationFailure) -> Bool {
        switch suffix {
        case "relaxed_swizzle":
            let (a, b) = try pop2(as: .i8x16)
            stack.append(builder.binary(Op.named("x86_pshufb"), a, b))
        case "relaxed_madd", "relaxed_nmadd":
            let (a, b, c) = try pop3()
            var x = castIfNeeded(a, to: type)
            let y = castIfNeeded(b, to: type)
            let z = castIfNeeded(c, to: type)
            if suffix == "relaxed_nmadd" { x = builder.unary(Op.named("fneg"), x) }
            stack.append(builder.ins1(Op.named("fma"), nil, [x, y, z]))
        case "relaxed_laneselect":
            let (a, b, c) = try pop3()
            let x = castIfNeeded(a, to: type)
            let y = castIfNeeded(b, to: type)
            let mask = castIfNeeded(c, to: type)
            // x86 has a variable blend for 8-, 32- and 64-bit lanes, not for 16-bit ones.
            stack.append(builder.ins1(Op.named(type == .i16x8 ? "bitselect" : "blendv"), nil, [mask, x, y]))
        case "relaxed_q15mulr_s":
            let (a, b) = try pop2(as: .i16x8)
            stack.append(builder.binary(Op.named("x86_pmulhrsw"), a, b))
        case "relaxed_dot_i8x16_i7x16_s":
            let (a, b) = try pop2(as: .i8x16)
            stack.append(builder.binary(Op.named("x86_pmaddubsw"), a, b))
        case "relaxed_dot_i8x16_i7x16_add_s":
            let c = try pop(as: .i32x4)
            let (a, b) = try pop2(as: .i8x16)
            let dot = builder.binary(Op.named("x86_pmaddubsw"), a, b)
            let low = widen(dot, signed: true, high: false)
            let high = widen(dot, signed: true, high: true)
            let sum = builder.binary(Op.named("iadd_pairwise"), low, high)
            stack.append(builder.binary(Op.iadd, sum, c))
        default:
            return false
        }
        return true
    }
}
