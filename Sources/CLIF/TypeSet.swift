/// A set of value types, as Cranelift's type constraints describe them: each mask holds bit n for
/// 2^n (lane counts, dynamic lane counts, integer widths, float widths).
public struct TypeSet: Hashable, Sendable {
    public var lanes: UInt16
    public var dynamicLanes: UInt16
    public var ints: UInt8
    public var floats: UInt8

    public init(lanes: UInt16, dynamicLanes: UInt16, ints: UInt8, floats: UInt8) {
        self.lanes = lanes
        self.dynamicLanes = dynamicLanes
        self.ints = ints
        self.floats = floats
    }

    /// The set holding exactly `type`.
    public init(single type: CLIFType) {
        let laneMask = UInt16(1) << type.log2Lanes
        lanes = type.isDynamic ? 0 : laneMask
        dynamicLanes = type.isDynamic ? laneMask : 0
        ints = type.isInt ? UInt8(1) << type.log2LaneBits : 0
        floats = type.isFloat ? UInt8(1) << type.log2LaneBits : 0
    }

    public func contains(_ type: CLIFType) -> Bool {
        if type.isInvalid { return false }
        let laneMask = UInt16(1) << type.log2Lanes
        guard (type.isDynamic ? dynamicLanes : lanes) & laneMask != 0 else { return false }
        let widthMask = UInt8(1) << type.log2LaneBits
        return (type.isFloat ? floats : ints) & widthMask != 0
    }

    /// A member to suggest in messages (`iadd.i32`): the narrowest 32-bit-or-wider scalar first.
    public var example: CLIFType {
        for width in [5, 6, 3, 4, 7] {
            let isInt = ints & UInt8(1) << width != 0
            let isFloat = floats & UInt8(1) << width != 0
            guard isInt || isFloat else { continue }
            for laneLog in 0...8 where lanes & UInt16(1) << laneLog != 0 {
                return CLIFType(isFloat: !isInt, laneBits: 1 << width, lanes: 1 << laneLog)
            }
        }
        return .i32
    }
}
