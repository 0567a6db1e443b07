/// How the validator types an instruction whose effect on the operand stack is fixed by its opcode.
/// Instructions that depend on the module (calls, locals, references, blocks) are `.contextual`.
enum OperatorSignature: Sendable {
    /// Pops `parameters` (last on top), pushes `results`.
    case plain(TypeList, TypeList)
    /// `[address] -> [t]` through a memory argument.
    case load(ValueType)
    /// `[address t] -> []`.
    case store(ValueType)
    /// `[address t] -> [t]` (atomic read-modify-write).
    case readModifyWrite(ValueType)
    /// `[address t t] -> [t]` (atomic compare-exchange).
    case compareExchange(ValueType)
    /// `[address v128] -> [v128]` with a lane index.
    case loadLane
    /// `[address v128] -> []` with a lane index.
    case storeLane
    /// `[v128] -> [t]` with a lane index below `lanes`.
    case extractLane(lanes: UInt8, ValueType)
    /// `[v128 t] -> [v128]` with a lane index below `lanes`.
    case replaceLane(lanes: UInt8, ValueType)
    case contextual
}

/// The validation table: one signature per row of `InstructionTable`, indexed by `Opcode.rawValue`.
enum OperatorSignatures {
    static let table: [OperatorSignature] = Opcode.allCases.map { opcode in
        switch signature(of: opcode) {
        case .plain(let parameters, let results): .plain(TypeList(parameters), TypeList(results))
        case .other(let signature): signature
        }
    }

    /// The natural alignment (log2) of memory instructions, and whether each is atomic, by opcode.
    static let alignments: [UInt32] = Opcode.allCases.map { $0.info.naturalAlignmentLog2 ?? 0 }
    static let atomic: [Bool] = Opcode.allCases.map { $0.info.proposal == .threads }

    enum Row {
        case plain([ValueType], [ValueType])
        case other(OperatorSignature)

        static func load(_ type: ValueType) -> Row { .other(.load(type)) }
        static func store(_ type: ValueType) -> Row { .other(.store(type)) }
        static func readModifyWrite(_ type: ValueType) -> Row { .other(.readModifyWrite(type)) }
        static func compareExchange(_ type: ValueType) -> Row { .other(.compareExchange(type)) }
        static func extractLane(lanes: UInt8, _ type: ValueType) -> Row { .other(.extractLane(lanes: lanes, type)) }
        static func replaceLane(lanes: UInt8, _ type: ValueType) -> Row { .other(.replaceLane(lanes: lanes, type)) }
        static let loadLane = Row.other(.loadLane)
        static let storeLane = Row.other(.storeLane)
        static let contextual = Row.other(.contextual)
    }

    static func signature(of opcode: Opcode) -> Row {
        let i32 = ValueType.i32, i64 = ValueType.i64, f32 = ValueType.f32, f64 = ValueType.f64, v128 = ValueType.v128
        switch opcode {
        case .i32Eqz: return .plain([i32], [i32])
        case .i64Eqz: return .plain([i64], [i32])
        case .i32Eq, .i32Ne, .i32LtS, .i32LtU, .i32GtS, .i32GtU, .i32LeS, .i32LeU, .i32GeS, .i32GeU:
            return .plain([i32, i32], [i32])
        case .i64Eq, .i64Ne, .i64LtS, .i64LtU, .i64GtS, .i64GtU, .i64LeS, .i64LeU, .i64GeS, .i64GeU:
            return .plain([i64, i64], [i32])
        case .f32Eq, .f32Ne, .f32Lt, .f32Gt, .f32Le, .f32Ge: return .plain([f32, f32], [i32])
        case .f64Eq, .f64Ne, .f64Lt, .f64Gt, .f64Le, .f64Ge: return .plain([f64, f64], [i32])
        case .i32Clz, .i32Ctz, .i32Popcnt, .i32Extend8S, .i32Extend16S: return .plain([i32], [i32])
        case .i64Clz, .i64Ctz, .i64Popcnt, .i64Extend8S, .i64Extend16S, .i64Extend32S: return .plain([i64], [i64])
        case .f32Abs, .f32Neg, .f32Ceil, .f32Floor, .f32Trunc, .f32Nearest, .f32Sqrt: return .plain([f32], [f32])
        case .f64Abs, .f64Neg, .f64Ceil, .f64Floor, .f64Trunc, .f64Nearest, .f64Sqrt: return .plain([f64], [f64])
        case .i32Add, .i32Sub, .i32Mul, .i32DivS, .i32DivU, .i32RemS, .i32RemU, .i32And, .i32Or, .i32Xor, .i32Shl,
            .i32ShrS, .i32ShrU, .i32Rotl, .i32Rotr:
            return .plain([i32, i32], [i32])
        case .i64Add, .i64Sub, .i64Mul, .i64DivS, .i64DivU, .i64RemS, .i64RemU, .i64And, .i64Or, .i64Xor, .i64Shl,
            .i64ShrS, .i64ShrU, .i64Rotl, .i64Rotr:
            return .plain([i64, i64], [i64])
        case .f32Add, .f32Sub, .f32Mul, .f32Div, .f32Min, .f32Max, .f32Copysign: return .plain([f32, f32], [f32])
        case .f64Add, .f64Sub, .f64Mul, .f64Div, .f64Min, .f64Max, .f64Copysign: return .plain([f64, f64], [f64])
        case .i64Add128, .i64Sub128: return .plain([i64, i64, i64, i64], [i64, i64])
        case .i64MulWideS, .i64MulWideU: return .plain([i64, i64], [i64, i64])
        case .f64PromoteF32: return .plain([f32], [f64])
        case .i32TruncF32S, .i32TruncF32U, .i32ReinterpretF32, .i32TruncSatF32S, .i32TruncSatF32U: return .plain([f32], [i32])
        case .i64TruncF32S, .i64TruncF32U, .i64TruncSatF32S, .i64TruncSatF32U: return .plain([f32], [i64])
        case .f32DemoteF64: return .plain([f64], [f32])
        case .i32TruncF64S, .i32TruncF64U, .i32TruncSatF64S, .i32TruncSatF64U: return .plain([f64], [i32])
        case .i64TruncF64S, .i64TruncF64U, .i64ReinterpretF64, .i64TruncSatF64S, .i64TruncSatF64U: return .plain([f64], [i64])
        case .f32ConvertI32S, .f32ConvertI32U, .f32ReinterpretI32: return .plain([i32], [f32])
        case .f64ConvertI32S, .f64ConvertI32U: return .plain([i32], [f64])
        case .i64ExtendI32S, .i64ExtendI32U: return .plain([i32], [i64])
        case .f32ConvertI64S, .f32ConvertI64U: return .plain([i64], [f32])
        case .f64ConvertI64S, .f64ConvertI64U, .f64ReinterpretI64: return .plain([i64], [f64])
        case .i32WrapI64: return .plain([i64], [i32])
        case .i32Const: return .plain([], [i32])
        case .i64Const: return .plain([], [i64])
        case .f32Const: return .plain([], [f32])
        case .f64Const: return .plain([], [f64])
        case .v128Const: return .plain([], [v128])

        case .f32Load: return .load(f32)
        case .f64Load: return .load(f64)
        case .i32Load, .i32Load8S, .i32Load8U, .i32Load16S, .i32Load16U, .i32AtomicLoad, .i32AtomicLoad8U,
            .i32AtomicLoad16U:
            return .load(i32)
        case .i64Load, .i64Load8S, .i64Load8U, .i64Load16S, .i64Load16U, .i64Load32S, .i64Load32U, .i64AtomicLoad,
            .i64AtomicLoad8U, .i64AtomicLoad16U, .i64AtomicLoad32U:
            return .load(i64)
        case .v128Load, .v128Load8x8S, .v128Load8x8U, .v128Load16x4S, .v128Load16x4U, .v128Load32x2S, .v128Load32x2U,
            .v128Load8Splat, .v128Load16Splat, .v128Load32Splat, .v128Load64Splat, .v128Load32Zero, .v128Load64Zero:
            return .load(v128)
        case .f32Store: return .store(f32)
        case .f64Store: return .store(f64)
        case .i32Store, .i32Store8, .i32Store16, .i32AtomicStore, .i32AtomicStore8, .i32AtomicStore16: return .store(i32)
        case .i64Store, .i64Store8, .i64Store16, .i64Store32, .i64AtomicStore, .i64AtomicStore8, .i64AtomicStore16,
            .i64AtomicStore32:
            return .store(i64)
        case .v128Store: return .store(v128)
        case .v128Load8Lane, .v128Load16Lane, .v128Load32Lane, .v128Load64Lane: return .loadLane
        case .v128Store8Lane, .v128Store16Lane, .v128Store32Lane, .v128Store64Lane: return .storeLane
        case .i32AtomicRmwCmpxchg, .i32AtomicRmw8CmpxchgU, .i32AtomicRmw16CmpxchgU: return .compareExchange(i32)
        case .i64AtomicRmwCmpxchg, .i64AtomicRmw8CmpxchgU, .i64AtomicRmw16CmpxchgU, .i64AtomicRmw32CmpxchgU:
            return .compareExchange(i64)
        case .i32AtomicRmwAdd, .i32AtomicRmw8AddU, .i32AtomicRmw16AddU, .i32AtomicRmwSub, .i32AtomicRmw8SubU,
            .i32AtomicRmw16SubU, .i32AtomicRmwAnd, .i32AtomicRmw8AndU, .i32AtomicRmw16AndU, .i32AtomicRmwOr,
            .i32AtomicRmw8OrU, .i32AtomicRmw16OrU, .i32AtomicRmwXor, .i32AtomicRmw8XorU, .i32AtomicRmw16XorU,
            .i32AtomicRmwXchg, .i32AtomicRmw8XchgU, .i32AtomicRmw16XchgU, .memoryAtomicNotify:
            return .readModifyWrite(i32)
        case .i64AtomicRmwAdd, .i64AtomicRmw8AddU, .i64AtomicRmw16AddU, .i64AtomicRmw32AddU, .i64AtomicRmwSub,
            .i64AtomicRmw8SubU, .i64AtomicRmw16SubU, .i64AtomicRmw32SubU, .i64AtomicRmwAnd, .i64AtomicRmw8AndU,
            .i64AtomicRmw16AndU, .i64AtomicRmw32AndU, .i64AtomicRmwOr, .i64AtomicRmw8OrU, .i64AtomicRmw16OrU,
            .i64AtomicRmw32OrU, .i64AtomicRmwXor, .i64AtomicRmw8XorU, .i64AtomicRmw16XorU, .i64AtomicRmw32XorU,
            .i64AtomicRmwXchg, .i64AtomicRmw8XchgU, .i64AtomicRmw16XchgU, .i64AtomicRmw32XchgU:
            return .readModifyWrite(i64)

        case .i8x16ExtractLaneS, .i8x16ExtractLaneU: return .extractLane(lanes: 16, i32)
        case .i16x8ExtractLaneS, .i16x8ExtractLaneU: return .extractLane(lanes: 8, i32)
        case .i32x4ExtractLane: return .extractLane(lanes: 4, i32)
        case .i64x2ExtractLane: return .extractLane(lanes: 2, i64)
        case .f32x4ExtractLane: return .extractLane(lanes: 4, f32)
        case .f64x2ExtractLane: return .extractLane(lanes: 2, f64)
        case .i8x16ReplaceLane: return .replaceLane(lanes: 16, i32)
        case .i16x8ReplaceLane: return .replaceLane(lanes: 8, i32)
        case .i32x4ReplaceLane: return .replaceLane(lanes: 4, i32)
        case .i64x2ReplaceLane: return .replaceLane(lanes: 2, i64)
        case .f32x4ReplaceLane: return .replaceLane(lanes: 4, f32)
        case .f64x2ReplaceLane: return .replaceLane(lanes: 2, f64)
        case .i8x16Splat, .i16x8Splat, .i32x4Splat: return .plain([i32], [v128])
        case .i64x2Splat: return .plain([i64], [v128])
        case .f32x4Splat: return .plain([f32], [v128])
        case .f64x2Splat: return .plain([f64], [v128])
        case .i8x16Shuffle: return .plain([v128, v128], [v128])
        case .i8x16AllTrue, .i16x8AllTrue, .i32x4AllTrue, .i64x2AllTrue, .v128AnyTrue, .i8x16Bitmask, .i16x8Bitmask,
            .i32x4Bitmask, .i64x2Bitmask:
            return .plain([v128], [i32])
        case .i8x16Shl, .i16x8Shl, .i32x4Shl, .i64x2Shl, .i8x16ShrS, .i16x8ShrS, .i32x4ShrS, .i64x2ShrS, .i8x16ShrU,
            .i16x8ShrU, .i32x4ShrU, .i64x2ShrU:
            return .plain([v128, i32], [v128])
        case .v128Bitselect, .i8x16RelaxedLaneselect, .i16x8RelaxedLaneselect, .i32x4RelaxedLaneselect,
            .i64x2RelaxedLaneselect, .f32x4RelaxedMadd, .f64x2RelaxedMadd, .f32x4RelaxedNmadd, .f64x2RelaxedNmadd,
            .i32x4RelaxedDotI8x16I7x16AddS:
            return .plain([v128, v128, v128], [v128])
        case .i8x16Abs, .i16x8Abs, .i32x4Abs, .i64x2Abs, .f32x4Abs, .f64x2Abs, .i8x16Neg, .i16x8Neg, .i32x4Neg,
            .i64x2Neg, .f32x4Neg, .f64x2Neg, .i8x16Popcnt, .v128Not, .f32x4Ceil, .f64x2Ceil, .f32x4Floor, .f64x2Floor,
            .f32x4Trunc, .f64x2Trunc, .f32x4Nearest, .f64x2Nearest, .f32x4Sqrt, .f64x2Sqrt, .f32x4ConvertI32x4S,
            .f32x4ConvertI32x4U, .f64x2ConvertLowI32x4S, .f64x2ConvertLowI32x4U, .f32x4DemoteF64x2Zero,
            .f64x2PromoteLowF32x4, .i32x4ExtaddPairwiseI16x8S, .i32x4ExtaddPairwiseI16x8U, .i16x8ExtaddPairwiseI8x16S,
            .i16x8ExtaddPairwiseI8x16U, .i32x4ExtendHighI16x8S, .i32x4ExtendHighI16x8U, .i64x2ExtendHighI32x4S,
            .i64x2ExtendHighI32x4U, .i16x8ExtendHighI8x16S, .i16x8ExtendHighI8x16U, .i32x4ExtendLowI16x8S,
            .i32x4ExtendLowI16x8U, .i64x2ExtendLowI32x4S, .i64x2ExtendLowI32x4U, .i16x8ExtendLowI8x16S,
            .i16x8ExtendLowI8x16U, .i32x4TruncSatF32x4S, .i32x4TruncSatF32x4U, .i32x4TruncSatF64x2SZero,
            .i32x4TruncSatF64x2UZero, .i32x4RelaxedTruncF32x4S, .i32x4RelaxedTruncF32x4U,
            .i32x4RelaxedTruncF64x2SZero, .i32x4RelaxedTruncF64x2UZero:
            return .plain([v128], [v128])
        default:
            if opcode.info.proposal == .simd || opcode.info.proposal == .relaxedSimd, opcode.info.immediates == .none {
                return .plain([v128, v128], [v128])
            }
            return .contextual
        }
    }
}

/// Up to four value types stored inline, so signatures are copied without reference counting.
struct TypeList: Sendable {
    var count: Int
    var first: ValueType
    var second: ValueType
    var third: ValueType
    var fourth: ValueType

    init(_ types: [ValueType]) {
        precondition(types.count <= 4)
        count = types.count
        first = types.count > 0 ? types[0] : .i32
        second = types.count > 1 ? types[1] : .i32
        third = types.count > 2 ? types[2] : .i32
        fourth = types.count > 3 ? types[3] : .i32
    }
}
