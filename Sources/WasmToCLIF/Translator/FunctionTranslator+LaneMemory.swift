import CLIF
import Wasm

/// SIMD loads and stores that touch one lane or splat one value (`v128.load8_lane`, `v128.load32_zero`, ...).
extension FunctionTranslator {
    /// The vector type and lane access of the lane-wise memory operators.
    static func laneMemoryShape(_ opcode: Wasm.Opcode) -> (type: CLIFType, kind: LaneMemoryKind)? {
        switch opcode {
        case .v128Load8Splat: (.i8x16, .splat)
        case .v128Load16Splat: (.i16x8, .splat)
        case .v128Load32Splat: (.i32x4, .splat)
        case .v128Load64Splat: (.i64x2, .splat)
        case .v128Load32Zero: (.i32x4, .zero)
        case .v128Load64Zero: (.i64x2, .zero)
        case .v128Load8Lane: (.i8x16, .loadLane)
        case .v128Load16Lane: (.i16x8, .loadLane)
        case .v128Load32Lane: (.i32x4, .loadLane)
        case .v128Load64Lane: (.i64x2, .loadLane)
        case .v128Store8Lane: (.i8x16, .storeLane)
        case .v128Store16Lane: (.i16x8, .storeLane)
        case .v128Store32Lane: (.i32x4, .storeLane)
        case .v128Store64Lane: (.i64x2, .storeLane)
        default: nil
        }
    }

    mutating func translateLaneMemory(_ instruction: Wasm.Instruction, type: CLIFType, kind: LaneMemoryKind) throws(TranslationFailure) {
        let memarg: MemArg
        var lane: UInt8 = 0
        switch instruction.immediates {
        case .memArg(let argument): memarg = argument
        case .memArgLane(let argument, let index): memarg = argument; lane = index
        default: throw .invalid("missing memory argument")
        }
        let laneType = type.laneType
        let load = MemoryAccess(isStore: false, opcode: Op.load, type: laneType, size: UInt8(laneType.bytes))
        let plain = Wasm.Instruction(instruction.opcode, .memArg(memarg))
        switch kind {
        case .splat, .zero:
            try translateMemoryAccess(load, plain)
            guard reachable else { return }
            let scalar = try pop()
            stack.append(builder.convert(Op.named(kind == .splat ? "splat" : "scalar_to_vector"), type, scalar))
        case .loadLane:
            let vector = castIfNeeded(try pop(), to: type)
            try translateMemoryAccess(load, plain)
            guard reachable else { return }
            let replacement = try pop()
            stack.append(builder.ins1(Op.named("insertlane"), nil, [vector, replacement], immediates: .uimm8(lane)))
        case .storeLane:
            let vector = castIfNeeded(try pop(), to: type)
            stack.append(builder.ins1(Op.named("extractlane"), nil, [vector], immediates: .uimm8(lane)))
            let store = MemoryAccess(isStore: true, opcode: Op.store, type: laneType, size: UInt8(laneType.bytes))
            try translateMemoryAccess(store, plain)
        }
    }
}

/// What a lane-wise memory operator does with the loaded or stored lane.
enum LaneMemoryKind: Sendable {
    case splat, zero, loadLane, storeLane
}
