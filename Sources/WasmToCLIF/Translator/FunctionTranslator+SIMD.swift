import CLIF
import Wasm

/// Lane-wise SIMD operators. The lane shape comes from the instruction's name in the Wasm
/// instruction table (`i32x4.add` works on `i32x4`, `v128.*` on `i8x16`), so this file lists only
/// the operation suffixes.
enum SIMDOperation {
    case binary(int: String?, float: String?)
    case unary(int: String?, float: String?)
    case shift(String)
    case compare(IntCC?, FloatCC?)

    static let bySuffix: [String: SIMDOperation] = [
        "add": .binary(int: "iadd", float: "fadd"), "sub": .binary(int: "isub", float: "fsub"),
        "mul": .binary(int: "imul", float: "fmul"), "div": .binary(int: nil, float: "fdiv"),
        "min": .binary(int: nil, float: "fmin"), "max": .binary(int: nil, float: "fmax"),
        "min_s": .binary(int: "smin", float: nil), "min_u": .binary(int: "umin", float: nil),
        "max_s": .binary(int: "smax", float: nil), "max_u": .binary(int: "umax", float: nil),
        "add_sat_s": .binary(int: "sadd_sat", float: nil), "add_sat_u": .binary(int: "uadd_sat", float: nil),
        "sub_sat_s": .binary(int: "ssub_sat", float: nil), "sub_sat_u": .binary(int: "usub_sat", float: nil),
        "avgr_u": .binary(int: "avg_round", float: nil),
        "and": .binary(int: "band", float: nil), "or": .binary(int: "bor", float: nil), "xor": .binary(int: "bxor", float: nil),
        "neg": .unary(int: "ineg", float: "fneg"), "abs": .unary(int: "iabs", float: "fabs"),
        "sqrt": .unary(int: nil, float: "sqrt"), "popcnt": .unary(int: "popcnt", float: nil),
        "shl": .shift("ishl"), "shr_s": .shift("sshr"), "shr_u": .shift("ushr"),
        "eq": .compare(.eq, .eq), "ne": .compare(.ne, .ne),
        "lt_s": .compare(.slt, nil), "lt_u": .compare(.ult, nil), "gt_s": .compare(.sgt, nil), "gt_u": .compare(.ugt, nil),
        "le_s": .compare(.sle, nil), "le_u": .compare(.ule, nil), "ge_s": .compare(.sge, nil), "ge_u": .compare(.uge, nil),
        "lt": .compare(nil, .lt), "gt": .compare(nil, .gt), "le": .compare(nil, .le), "ge": .compare(nil, .ge),
    ]
}

extension FunctionTranslator {
    /// The vector type an instruction name starts with, or nil for a scalar instruction.
    static func vectorShape(_ name: String) -> (type: CLIFType, suffix: Substring)? {
        guard let dot = name.firstIndex(of: ".") else { return nil }
        let type: CLIFType
        switch name[..<dot] {
        case "v128": type = .i8x16
        case "i8x16": type = .i8x16
        case "i16x8": type = .i16x8
        case "i32x4": type = .i32x4
        case "i64x2": type = .i64x2
        case "f32x4": type = .f32x4
        case "f64x2": type = .f64x2
        default: return nil
        }
        return (type, name[name.index(after: dot)...])
    }

    func lane(_ instruction: Wasm.Instruction) throws(TranslationFailure) -> UInt8 {
        guard case .index(let lane) = instruction.immediates, lane < 64 else { throw .invalid("missing lane") }
        return UInt8(lane)
    }

    /// Translates a SIMD operator; false when the instruction is not one this file handles.
    mutating func translateSIMD(_ instruction: Wasm.Instruction) throws(TranslationFailure) -> Bool {
        let name = instruction.opcode.info.name
        guard let (type, suffix) = Self.vectorShape(name) else { return false }
        if name == "v128.const" {
            guard case .v128(let value) = instruction.immediates else { throw .invalid("v128.const immediate") }
            stack.append(builder.vconst(.i8x16, value.bytes))
            return true
        }
        if let operation = SIMDOperation.bySuffix[String(suffix)] {
            switch operation {
            case .binary(let int, let float):
                guard let clif = type.isFloat ? float : int else { return false }
                let (a, b) = try pop2()
                let x = castIfNeeded(a, to: type)
                let y = castIfNeeded(b, to: type)
                stack.append(builder.binary(Op.named(clif), x, y))
            case .unary(let int, let float):
                guard let clif = type.isFloat ? float : int else { return false }
                stack.append(builder.unary(Op.named(clif), castIfNeeded(try pop(), to: type)))
            case .shift(let clif):
                let (a, b) = try pop2()
                stack.append(builder.binary(Op.named(clif), castIfNeeded(a, to: type), b))
            case .compare(let intCC, let floatCC):
                let (a, b) = try pop2()
                let x = castIfNeeded(a, to: type)
                let y = castIfNeeded(b, to: type)
                if type.isFloat {
                    guard let floatCC else { return false }
                    stack.append(builder.fcmp(floatCC, x, y))
                } else {
                    guard let intCC else { return false }
                    stack.append(builder.icmp(intCC, x, y))
                }
            }
            return true
        }
        switch suffix {
        case "splat":
            var scalar = try pop()
            if type.laneBits < 32 { scalar = builder.convert(Op.ireduce, type.laneType, scalar) }
            stack.append(builder.convert(Op.named("splat"), type, scalar))
        case "not":
            stack.append(builder.unary(Op.named("bnot"), try pop()))
        case "extract_lane_s", "extract_lane_u", "extract_lane":
            let vector = castIfNeeded(try pop(), to: type)
            let lane = try lane(instruction)
            let extracted = builder.ins1(Op.named("extractlane"), nil, [vector], immediates: .uimm8(lane))
            switch suffix {
            case "extract_lane_s": stack.append(builder.convert(Op.sextend, .i32, extracted))
            case "extract_lane_u": stack.append(builder.convert(Op.uextend, .i32, extracted))
            default: stack.append(extracted)
            }
        case "replace_lane":
            var (vector, replacement) = try pop2()
            if type.laneBits < 32 && !type.isFloat { replacement = builder.convert(Op.ireduce, type.laneType, replacement) }
            vector = castIfNeeded(vector, to: type)
            stack.append(builder.ins1(Op.named("insertlane"), nil, [vector, replacement], immediates: .uimm8(try lane(instruction))))
        case "bitselect":
            let (a, b, c) = try pop3()
            let x = castIfNeeded(a, to: .i8x16)
            let y = castIfNeeded(b, to: .i8x16)
            let mask = castIfNeeded(c, to: .i8x16)
            stack.append(builder.ins1(Op.named("bitselect"), nil, [mask, x, y]))
        case "any_true", "all_true":
            let vector = castIfNeeded(try pop(), to: type)
            let flag = builder.unary(Op.named(suffix == "any_true" ? "vany_true" : "vall_true"), vector)
            stack.append(builder.convert(Op.uextend, .i32, flag))
        case "shuffle":
            guard case .v128(let lanes) = instruction.immediates else { throw .invalid("i8x16.shuffle lanes") }
            let (a, b) = try pop2()
            let x = castIfNeeded(a, to: .i8x16)
            let y = castIfNeeded(b, to: .i8x16)
            stack.append(builder.ins1(Op.named("shuffle"), nil, [x, y], immediates: .shuffleMask(ShuffleMask(bytes: lanes.bytes))))
        case "swizzle":
            let (a, b) = try pop2()
            let x = castIfNeeded(a, to: .i8x16)
            let y = castIfNeeded(b, to: .i8x16)
            stack.append(builder.binary(Op.named("swizzle"), x, y))
        case "bitmask":
            let vector = castIfNeeded(try pop(), to: type)
            stack.append(builder.convert(Op.named("vhigh_bits"), .i32, vector))
        default:
            return try translateSIMDConversion(type, suffix)
        }
        return true
    }
}
