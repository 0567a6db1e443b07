import Testing
import Wasm

@Suite struct EncoderDecoderTests {
    /// `(module (type (func (param i32) (result i32))) (import "m" "f" (func (type 0)))
    ///   (func (type 0) (local i64 i64) local.get 0 i32.const -1 i32.add) (export "g" (func 1)))`
    static let module: Module = {
        var module = Module()
        module.types = [RecGroup(SubType(function: FunctionType(parameters: [.i32], results: [.i32])))]
        module.imports = [Import(module: "m", name: "f", kind: .function(0))]
        module.functions = [
            Function(
                typeIndex: 0, locals: [LocalGroup(count: 2, type: .i64)],
                body: [Instruction(.localGet, .index(0)), Instruction(.i32Const, .i32(-1)), Instruction(.i32Add), .end])
        ]
        module.exports = [Export(name: "g", kind: .function, index: 1)]
        return module
    }()

    static let binary = MarkedBinary(
        """
        00 61 73 6d 01 00 00 00
        01 06 01 1️⃣60 01 7f 01 7f
        02 07 01 2️⃣01 6d 01 66 00 00
        03 02 01 00
        07 05 01 3️⃣01 67 00 01
        0a 0b 01 4️⃣09 01 5️⃣02 7e 6️⃣20 00 7️⃣41 7f 8️⃣6a 9️⃣0b
        """)

    @Test func encodesBytesAndOffsets() {
        let encoded = Self.module.encode()
        #expect(encoded.bytes == Self.binary.bytes)
        let map = encoded.offsets
        #expect(map.offset(of: .type(0)) == Self.binary["1️⃣"])
        #expect(map.offset(of: .import(0)) == Self.binary["2️⃣"])
        #expect(map.offset(of: .export(0)) == Self.binary["3️⃣"])
        #expect(map.offset(of: .functionBody(0)) == Self.binary["4️⃣"])
        #expect(map.offset(of: .localGroup(function: 0, index: 0)) == Self.binary["5️⃣"])
        #expect(map.offset(of: .instruction(function: 0, index: 0)) == Self.binary["6️⃣"])
        #expect(map.offset(of: .instruction(function: 0, index: 3)) == Self.binary["9️⃣"])
        #expect(map.item(at: Self.binary["7️⃣"]) == .instruction(function: 0, index: 1))
        #expect(map.item(at: Self.binary["7️⃣"] + 1) == .instruction(function: 0, index: 1))
        #expect(map.item(at: Self.binary["8️⃣"]) == .instruction(function: 0, index: 2))
        #expect(map.item(at: Self.binary["2️⃣"] + 3) == .import(0))
    }

    @Test func decodesModuleAndOffsets() throws {
        let decoded = try Module.decode(Self.binary.bytes)
        #expect(decoded.module == Self.module)
        #expect(decoded.offsets.offset(of: .type(0)) == Self.binary["1️⃣"])
        #expect(decoded.offsets.offset(of: .functionBody(0)) == Self.binary["4️⃣"])
        #expect(decoded.offsets.offset(of: .instruction(function: 0, index: 2)) == Self.binary["8️⃣"])
        #expect(decoded.offsets.item(at: Self.binary["9️⃣"]) == .instruction(function: 0, index: 3))
    }

    @Test(arguments: [
        ("00 61 73 6d 02 00 00 00", "unknown binary version"),
        ("00 61 73 6d 01 00 00 00 1️⃣0e 00", "malformed section id"),
        ("00 61 73 6d 01 00 00 00 01 05 01 60 01 1️⃣7a 00", "malformed value type"),
        ("00 61 73 6d 01 00 00 00 01 04 01 60 00 00 03 02 01 00 0a 05 01 03 00 1️⃣ff 0b", "illegal opcode"),
        ("00 61 73 6d 01 00 00 00 01 04 01 60 00 00 03 02 01 00 0a 07 01 04 00 41 80 80 1️⃣0b", "unexpected end of section or function"),
        ("00 61 73 6d 01 00 00 00 01 04 01 60 00 00 03 02 01 00 0a 06 01 04 00 41 80 80 1️⃣", "unexpected end"),
        ("00 61 73 6d 01 00 00 00 03 07 01 80 80 80 80 1️⃣80 00", "integer representation too long"),
        ("00 61 73 6d 01 00 00 00 03 06 01 80 80 80 80 1️⃣10", "integer too large"),
        ("00 61 73 6d 01 00 00 00 01 04 01 60 00 00 03 02 01 00 1️⃣", "function and code section have inconsistent lengths"),
    ])
    func rejectsMalformedBinaries(hex: String, message: String) {
        let binary = MarkedBinary(hex)
        do {
            _ = try Module.decode(binary.bytes)
            Issue.record("decoded a malformed binary")
        } catch {
            #expect(error.message == message)
            if let marker = binary.markers["1️⃣"] { #expect(error.offset == marker) }
        }
    }

    /// Blocks nest by a counter, not by recursion: a million levels encode and decode.
    @Test func deepNestingNeedsNoRecursion() throws {
        let depth = 1_000_000
        var body = [Instruction](repeating: Instruction(.block, .blockType(.empty)), count: depth)
        body.append(contentsOf: repeatElement(Instruction.end, count: depth + 1))
        var module = Module()
        module.types = [RecGroup(SubType(function: FunctionType()))]
        module.functions = [Function(typeIndex: 0, body: body)]
        let encoded = module.encode()
        let decoded = try Module.decode(encoded.bytes)
        #expect(decoded.module.functions[0].body.count == 2 * depth + 1)
        #expect(decoded.module == module)
    }

    /// Printing 5,000 levels: indentation stops growing at `maximumIndent`, no recursion.
    @Test func deepNestingPrints() {
        let depth = 5_000
        var body = [Instruction](repeating: Instruction(.loop, .blockType(.empty)), count: depth)
        body.append(contentsOf: repeatElement(Instruction.end, count: depth + 1))
        var module = Module()
        module.types = [RecGroup(SubType(function: FunctionType()))]
        module.functions = [Function(typeIndex: 0, body: body)]
        let lines = module.printed().split(separator: "\n")
        #expect(lines.count == 2 * depth + 5)
        #expect(lines.map { $0.prefix { $0 == " " }.count }.max() == 200)
    }

    @Test func placeholderBodyEncodes() throws {
        var module = Module()
        module.types = [RecGroup(SubType(function: FunctionType(results: [.i32])))]
        module.functions = [.placeholder(typeIndex: 0)]
        let encoded = module.encode()
        #expect(Array(encoded.bytes.suffix(7)) == [0x0a, 0x05, 0x01, 0x03, 0x00, 0x00, 0x0b])
        let decoded = try Module.decode(encoded.bytes)
        #expect(decoded.module.functions[0].body == [.unreachable, .end])
    }
}

@Suite struct CustomSectionPlacementTests {
    /// A name section before the data section and a custom section after it keep their places.
    @Test func nameAndCustomSectionsKeepTheirPlaces() throws {
        var module = Module()
        module.types = [RecGroup(SubType(function: FunctionType()))]
        module.functions = [Function(typeIndex: 0, body: [.end])]
        module.memories = [MemoryType(limits: Limits(min: 1))]
        module.data = [DataSegment(mode: .passive, bytes: [1])]
        module.customSections = [
            CustomSection(name: "first", payload: [9], placement: .beforeFirst),
            CustomSection(name: "after", payload: [7], placement: .after(.data)),
        ]
        module.names.functions = NameMap([Naming(index: 0, name: "f")])
        module.names.customSectionIndex = 1
        module.names.placement = .after(.code)
        let bytes = module.encode().bytes
        let decoded = try Module.decode(bytes)
        #expect(decoded.module == module)
        #expect(decoded.module.encode().bytes == bytes)
        let nameOffset = try #require(decoded.offsets.offset(of: .nameSection))
        let dataOffset = try #require(decoded.offsets.offset(of: .section(.data)))
        let afterOffset = try #require(decoded.offsets.offset(of: .customSection(1)))
        #expect(nameOffset < dataOffset && dataOffset < afterOffset)
    }
}

/// The binaries `wasm-tools` writes for the spec's annotation-only `module quote` cases
/// (`custom_annot.wast:19-20`, `annotations.wast:32-207`, `comments.wast:83`).
@Suite struct AnnotationModuleDecodingTests {
    /// `(@custom "bla")` alone: a module whose only section is an empty custom section.
    @Test func moduleOfOnlyACustomSection() throws {
        let binary = MarkedBinary("00 61 73 6d 01 00 00 00 1️⃣00 04 03 62 6c 61")
        let decoded = try Module.decode(binary.bytes)
        #expect(decoded.module.customSections == [CustomSection(name: "bla", payload: [], placement: .beforeFirst)])
        #expect(decoded.offsets.offset(of: .customSection(0)) == binary["1️⃣"])
        #expect(decoded.module.encode().bytes == binary.bytes)
    }

    /// `(@a)` with nothing else encodes as the bare header.
    @Test func headerOnlyModule() throws {
        let bytes: [UInt8] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]
        let decoded = try Module.decode(bytes)
        #expect(decoded.module == Module())
        #expect(decoded.module.encode().bytes == bytes)
    }

    /// A custom section whose size runs past the end stays malformed.
    @Test func truncatedCustomSectionIsRejected() {
        #expect(throws: DecodeError.self) {
            try Module.decode([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x00, 0x05, 0x03, 0x62, 0x6c, 0x61])
        }
    }
}
