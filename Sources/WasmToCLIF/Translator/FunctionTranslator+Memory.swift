import CLIF
import Wasm

/// A plain load or store: the CLIF opcode, the value type and the access size in bytes.
struct MemoryAccess: Sendable {
    var isStore: Bool
    var opcode: CLIF.Opcode
    var type: CLIFType
    var size: UInt8

    static let table: [Wasm.Opcode: MemoryAccess] = {
        func load(_ name: String, _ type: CLIFType, _ size: UInt8) -> MemoryAccess {
            MemoryAccess(isStore: false, opcode: Op.named(name), type: type, size: size)
        }
        func store(_ name: String, _ type: CLIFType, _ size: UInt8) -> MemoryAccess {
            MemoryAccess(isStore: true, opcode: Op.named(name), type: type, size: size)
        }
        return [
            .i32Load: load("load", .i32, 4), .i64Load: load("load", .i64, 8),
            .f32Load: load("load", .f32, 4), .f64Load: load("load", .f64, 8),
            .i32Load8S: load("sload8", .i32, 1), .i32Load8U: load("uload8", .i32, 1),
            .i32Load16S: load("sload16", .i32, 2), .i32Load16U: load("uload16", .i32, 2),
            .i64Load8S: load("sload8", .i64, 1), .i64Load8U: load("uload8", .i64, 1),
            .i64Load16S: load("sload16", .i64, 2), .i64Load16U: load("uload16", .i64, 2),
            .i64Load32S: load("sload32", .i64, 4), .i64Load32U: load("uload32", .i64, 4),
            .v128Load: load("load", .i8x16, 16),
            .v128Load8x8S: load("sload8x8", .i16x8, 8), .v128Load8x8U: load("uload8x8", .i16x8, 8),
            .v128Load16x4S: load("sload16x4", .i32x4, 8), .v128Load16x4U: load("uload16x4", .i32x4, 8),
            .v128Load32x2S: load("sload32x2", .i64x2, 8), .v128Load32x2U: load("uload32x2", .i64x2, 8),
            .i32Store: store("store", .i32, 4), .i64Store: store("store", .i64, 8),
            .f32Store: store("store", .f32, 4), .f64Store: store("store", .f64, 8),
            .i32Store8: store("istore8", .i32, 1), .i32Store16: store("istore16", .i32, 2),
            .i64Store8: store("istore8", .i64, 1), .i64Store16: store("istore16", .i64, 2),
            .i64Store32: store("istore32", .i64, 4),
            .v128Store: store("store", .i8x16, 16),
        ]
    }()

    static func of(_ opcode: Wasm.Opcode) -> MemoryAccess? { table[opcode] }
}

extension FunctionTranslator {
    mutating func translateMemoryAccess(_ access: MemoryAccess, _ instruction: Wasm.Instruction) throws(TranslationFailure) {
        guard case .memArg(let memarg) = instruction.immediates else { throw .invalid("missing memory argument") }
        if access.isStore {
            let value = try pop()
            let index = try pop()
            let size = access.opcode == Op.store ? UInt8(builder.type(of: value).bytes) : access.size
            guard let (flags, address) = try environment.memoryAddress(&builder, memory: memarg.memory, index: index,
                                                                       offset: memarg.offset, accessSize: size) else {
                reachable = false
                return
            }
            builder.store(access.opcode, flags, value, address)
        } else {
            let index = try pop()
            guard let (flags, address) = try environment.memoryAddress(&builder, memory: memarg.memory, index: index,
                                                                       offset: memarg.offset, accessSize: access.size) else {
                reachable = false
                return
            }
            stack.append(builder.load(access.opcode, access.type, flags, address))
        }
    }
}
