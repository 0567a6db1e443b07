import CLIF
import Wasm

/// Wasmtime's trap codes as CLIF user trap codes (`Trap as u8 + 3`).
public enum WasmtimeTrap {
    public static let internalAssert = TrapCode(raw: 1)
    public static let gcHeapCorrupt = TrapCode(raw: 2)
    public static let heapMisaligned = TrapCode(raw: 5)
    public static let tableOutOfBounds = TrapCode(raw: 6)
    public static let indirectCallToNull = TrapCode(raw: 7)
    public static let badSignature = TrapCode(raw: 8)
    public static let unreachable = TrapCode(raw: 12)
    public static let interrupt = TrapCode(raw: 13)
    public static let outOfFuel = TrapCode(raw: 14)
    public static let nullReference = TrapCode(raw: 16)
    public static let castFailure = TrapCode(raw: 19)
}

/// The operator tables of the numeric instructions, built once.
enum NumericTables {
    static let binary: [Wasm.Opcode: CLIF.Opcode] = [
            .i32Add: Op.named("iadd"), .i64Add: Op.named("iadd"), .i32Sub: Op.named("isub"), .i64Sub: Op.named("isub"),
            .i32Mul: Op.named("imul"), .i64Mul: Op.named("imul"), .i32And: Op.named("band"), .i64And: Op.named("band"),
            .i32Or: Op.named("bor"), .i64Or: Op.named("bor"), .i32Xor: Op.named("bxor"), .i64Xor: Op.named("bxor"),
            .i32Shl: Op.named("ishl"), .i64Shl: Op.named("ishl"), .i32ShrS: Op.named("sshr"), .i64ShrS: Op.named("sshr"),
            .i32ShrU: Op.named("ushr"), .i64ShrU: Op.named("ushr"), .i32Rotl: Op.named("rotl"), .i64Rotl: Op.named("rotl"),
            .i32Rotr: Op.named("rotr"), .i64Rotr: Op.named("rotr"),
            .f32Add: Op.named("fadd"), .f64Add: Op.named("fadd"), .f32Sub: Op.named("fsub"), .f64Sub: Op.named("fsub"),
            .f32Mul: Op.named("fmul"), .f64Mul: Op.named("fmul"), .f32Div: Op.named("fdiv"), .f64Div: Op.named("fdiv"),
            .f32Min: Op.named("fmin"), .f64Min: Op.named("fmin"), .f32Max: Op.named("fmax"), .f64Max: Op.named("fmax"),
            .f32Copysign: Op.named("fcopysign"), .f64Copysign: Op.named("fcopysign"),
        ]

    static let unary: [Wasm.Opcode: CLIF.Opcode] = [
            .i32Clz: Op.named("clz"), .i64Clz: Op.named("clz"), .i32Ctz: Op.named("ctz"), .i64Ctz: Op.named("ctz"),
            .i32Popcnt: Op.named("popcnt"), .i64Popcnt: Op.named("popcnt"),
            .f32Sqrt: Op.named("sqrt"), .f64Sqrt: Op.named("sqrt"), .f32Abs: Op.named("fabs"), .f64Abs: Op.named("fabs"),
            .f32Neg: Op.named("fneg"), .f64Neg: Op.named("fneg"),
        ]

    static let intCompares: [Wasm.Opcode: IntCC] = [
            .i32Eq: .eq, .i64Eq: .eq, .i32Ne: .ne, .i64Ne: .ne, .i32LtS: .slt, .i64LtS: .slt, .i32LtU: .ult, .i64LtU: .ult,
            .i32GtS: .sgt, .i64GtS: .sgt, .i32GtU: .ugt, .i64GtU: .ugt, .i32LeS: .sle, .i64LeS: .sle,
            .i32LeU: .ule, .i64LeU: .ule, .i32GeS: .sge, .i64GeS: .sge, .i32GeU: .uge, .i64GeU: .uge,
        ]

    static let floatCompares: [Wasm.Opcode: FloatCC] = [
            .f32Eq: .eq, .f64Eq: .eq, .f32Ne: .ne, .f64Ne: .ne, .f32Lt: .lt, .f64Lt: .lt, .f32Gt: .gt, .f64Gt: .gt,
            .f32Le: .le, .f64Le: .le, .f32Ge: .ge, .f64Ge: .ge,
        ]

    /// Conversions that are a single CLIF instruction: opcode name and result type.
    static let conversions: [Wasm.Opcode: (String, CLIFType)] = [
            .i64ExtendI32S: ("sextend", .i64), .i64ExtendI32U: ("uextend", .i64), .i32WrapI64: ("ireduce", .i32),
            .f64ConvertI32U: ("fcvt_from_uint", .f64), .f64ConvertI64U: ("fcvt_from_uint", .f64),
            .f64ConvertI32S: ("fcvt_from_sint", .f64), .f64ConvertI64S: ("fcvt_from_sint", .f64),
            .f32ConvertI32U: ("fcvt_from_uint", .f32), .f32ConvertI64U: ("fcvt_from_uint", .f32),
            .f32ConvertI32S: ("fcvt_from_sint", .f32), .f32ConvertI64S: ("fcvt_from_sint", .f32),
            .f64PromoteF32: ("fpromote", .f64), .f32DemoteF64: ("fdemote", .f32),
            .i32TruncSatF32S: ("fcvt_to_sint_sat", .i32), .i32TruncSatF64S: ("fcvt_to_sint_sat", .i32),
            .i32TruncSatF32U: ("fcvt_to_uint_sat", .i32), .i32TruncSatF64U: ("fcvt_to_uint_sat", .i32),
            .i64TruncSatF32S: ("fcvt_to_sint_sat", .i64), .i64TruncSatF64S: ("fcvt_to_sint_sat", .i64),
            .i64TruncSatF32U: ("fcvt_to_uint_sat", .i64), .i64TruncSatF64U: ("fcvt_to_uint_sat", .i64),
        ]
}

/// Integer and float arithmetic, comparisons and conversions.
extension FunctionTranslator {
    /// Translates a numeric operator; false when `opcode` is not one.
    mutating func translateNumeric(_ opcode: Wasm.Opcode) throws(TranslationFailure) -> Bool {
        if let clif = NumericTables.binary[opcode] {
            let (a, b) = try pop2()
            stack.append(builder.binary(clif, a, b))
            return true
        }
        if let clif = NumericTables.unary[opcode] {
            stack.append(builder.unary(clif, try pop()))
            return true
        }
        if let cc = NumericTables.intCompares[opcode] {
            let (a, b) = try pop2()
            let flag = builder.icmp(cc, a, b)
            stack.append(builder.convert(Op.uextend, .i32, flag))
            return true
        }
        if let cc = NumericTables.floatCompares[opcode] {
            let (a, b) = try pop2()
            let flag = builder.fcmp(cc, a, b)
            stack.append(builder.convert(Op.uextend, .i32, flag))
            return true
        }
        if let (name, type) = NumericTables.conversions[opcode] {
            stack.append(builder.convert(Op.named(name), type, try pop()))
            return true
        }
        switch opcode {
        case .i32Eqz, .i64Eqz:
            let value = try pop()
            let zero = builder.iconst(builder.type(of: value), 0)
            let flag = builder.icmp(.eq, value, zero)
            stack.append(builder.convert(Op.uextend, .i32, flag))
        case .i32DivS, .i64DivS, .i32DivU, .i64DivU, .i32RemS, .i64RemS, .i32RemU, .i64RemU:
            let (a, b) = try pop2()
            let signed = [.i32DivS, .i64DivS, .i32RemS, .i64RemS].contains(opcode)
            let remainder = [.i32RemS, .i64RemS, .i32RemU, .i64RemU].contains(opcode)
            environment.guardDivision(&builder, signed: signed, remainder: remainder, a, b)
            let name = remainder ? (signed ? "srem" : "urem") : (signed ? "sdiv" : "udiv")
            stack.append(builder.binary(Op.named(name), a, b))
        case .i32TruncF32S, .i32TruncF64S, .i64TruncF32S, .i64TruncF64S, .i32TruncF32U, .i32TruncF64U, .i64TruncF32U, .i64TruncF64U:
            let value = try pop()
            let type: CLIFType = [.i32TruncF32S, .i32TruncF64S, .i32TruncF32U, .i32TruncF64U].contains(opcode) ? .i32 : .i64
            let signed = [.i32TruncF32S, .i32TruncF64S, .i64TruncF32S, .i64TruncF64S].contains(opcode)
            try environment.guardFloatToInt(&builder, type, value, signed: signed)
            stack.append(builder.convert(Op.named(signed ? "fcvt_to_sint" : "fcvt_to_uint"), type, value))
        case .f32Ceil, .f64Ceil, .f32Floor, .f64Floor, .f32Trunc, .f64Trunc, .f32Nearest, .f64Nearest:
            let value = try pop()
            let name: String = switch opcode {
            case .f32Ceil, .f64Ceil: "ceil"
            case .f32Floor, .f64Floor: "floor"
            case .f32Trunc, .f64Trunc: "trunc"
            default: "nearest"
            }
            stack.append(try environment.round(&builder, Op.named(name), value))
        case .f32ReinterpretI32, .f64ReinterpretI64, .i32ReinterpretF32, .i64ReinterpretF64:
            let value = try pop()
            let type: CLIFType = switch opcode {
            case .f32ReinterpretI32: .f32
            case .f64ReinterpretI64: .f64
            case .i32ReinterpretF32: .i32
            default: .i64
            }
            stack.append(builder.ins1(Op.bitcast, type, [value], immediates: .memory(MemFlags(), offset: 0)))
        case .i32Extend8S, .i32Extend16S, .i64Extend8S, .i64Extend16S, .i64Extend32S:
            let value = try pop()
            let (narrow, wide): (CLIFType, CLIFType) = switch opcode {
            case .i32Extend8S: (.i8, .i32)
            case .i32Extend16S: (.i16, .i32)
            case .i64Extend8S: (.i8, .i64)
            case .i64Extend16S: (.i16, .i64)
            default: (.i32, .i64)
            }
            let reduced = builder.convert(Op.ireduce, narrow, value)
            stack.append(builder.convert(Op.sextend, wide, reduced))
        default:
            return false
        }
        return true
    }
}

