import Testing
import Wasm

/// Malformed input must give a `DecodeError`, never a crash: every truncation and thousands of
/// byte mutations of a module that uses most section kinds. What decodes must also encode and print.
@Suite struct DecoderRobustnessTests {
    static let sample: [UInt8] = {
        var module = Module()
        let function = FunctionType(parameters: [.i32, .i64], results: [.i32])
        module.types = [
            RecGroup(SubType(function: function)),
            RecGroup(
                types: [
                    SubType(isFinal: false, composite: CompositeType(.struct([FieldType(storage: .i8, mutable: true)]))),
                    SubType(supertype: 1, composite: CompositeType(.struct([FieldType(storage: .i8, mutable: true)]))),
                ], isExplicit: true),
        ]
        module.imports = [
            Import(module: "env", name: "f", kind: .function(0)),
            Import(module: "env", name: "m", kind: .memory(MemoryType(limits: Limits(min: 1, max: 4, shared: true)))),
        ]
        module.tables = [Table(type: TableType(elementType: .funcref, limits: Limits(min: 2)))]
        module.tags = [TagType(typeIndex: 0)]
        module.globals = [Global(type: GlobalType(valueType: .i64, mutable: true), initializer: .i64(-7))]
        module.exports = [Export(name: "run", kind: .function, index: 1)]
        module.elements = [ElementSegment(mode: .active(table: nil, offset: .i32(0)), items: .functions([0, 1]))]
        module.functions = [
            Function(
                typeIndex: 0, locals: [LocalGroup(count: 1, type: .v128)],
                body: [
                    Instruction(.block, .blockType(.value(.i32))),
                    Instruction(.localGet, .index(0)),
                    Instruction(.brTable, .labelTable([0, 0], default: 0)),
                    .end,
                    Instruction(.i32Load, .memArg(MemArg(alignLog2: 2, offset: 16))),
                    Instruction(.v128Const, .v128(V128(low: 1, high: 2))),
                    Instruction(.i8x16ExtractLaneS, .index(3)),
                    Instruction(.drop),
                    Instruction(.memoryInit, .indexPair(0, 0)),
                    Instruction(.refNull, .heapType(.concrete(1))),
                    Instruction(.refTest, .refType(RefType(nullable: true, heapType: .abstract(.struct)))),
                    Instruction(.select, .selectTypes([.i32])),
                    .end,
                ])
        ]
        module.data = [DataSegment(mode: .passive, bytes: [1, 2, 3])]
        module.customSections = [CustomSection(name: "c", payload: [0xff], placement: .after(.type))]
        module.names.functions = NameMap([Naming(index: 1, name: "run")])
        return module.encode().bytes
    }()

    static func exercise(_ bytes: [UInt8]) -> Bool {
        guard let decoded = try? Module.decode(bytes) else { return false }
        _ = decoded.module.encode()
        _ = decoded.module.printed()
        return true
    }

    @Test func sampleRoundTrips() throws {
        let decoded = try Module.decode(Self.sample)
        #expect(decoded.module.encode().bytes == Self.sample)
    }

    @Test func everyTruncationIsAnError() {
        var decodedPrefixes = 0
        for length in 0..<Self.sample.count where Self.exercise(Array(Self.sample.prefix(length))) {
            decodedPrefixes += 1
        }
        // Only prefixes ending exactly at a section boundary are complete modules.
        #expect(decodedPrefixes < 12)
    }

    @Test func mutationsNeverCrash() {
        var generator: UInt64 = 0x1234_5678
        var decoded = 0
        let rounds = 5000
        for _ in 0..<rounds {
            var bytes = Self.sample
            for _ in 0..<(1 + Int(generator % 3)) {
                generator = generator &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                let position = 8 + Int((generator >> 33) % UInt64(bytes.count - 8))
                bytes[position] = UInt8(truncatingIfNeeded: generator >> 17)
            }
            if Self.exercise(bytes) { decoded += 1 }
        }
        print("decoder mutations: \(decoded)/\(rounds) still decode; none crashed")
        #expect(decoded < rounds)
    }
}
