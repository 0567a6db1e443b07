import SourceText
import TestSupport
import Testing
import Wasm
@testable import WAT

/// Stack switching (`cont` types, `cont.new`, `cont.bind`, `suspend`, `resume`, `resume_throw`,
/// `switch`) through the text front end, the encoder, the decoder and the printer.
@Suite struct StackSwitchingTests {
    static let text = """
    (module
      (type (func))
      (type (func (param i32)))
      (type (cont 0))
      (type (cont 1))
      (tag (param i32))
      (tag)
      (func)
      (elem declare func 0)
      (func (param (ref 3)) (result i32)
        (block (result i32 (ref 2))
          (resume 2 (on 0 0) (on 1 switch) (cont.new 2 (ref.func 0)))
          (resume_throw 2 1 (on 0 0) (cont.new 2 (ref.func 0)))
          (switch 2 1 (cont.new 2 (ref.func 0)))
          unreachable)
        drop
        (drop (cont.bind 3 2 (i32.const 1) (local.get 0)))
        (suspend 1)
        i32.const 0))
    """

    /// `wasm-tools parse` 1.262 of `text`.
    static let bytes: [UInt8] = [
        0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x18, 0x06, 0x60,
        0x00, 0x00, 0x60, 0x01, 0x7f, 0x00, 0x5d, 0x00, 0x5d, 0x01, 0x60, 0x01,
        0x64, 0x03, 0x01, 0x7f, 0x60, 0x00, 0x02, 0x7f, 0x64, 0x02, 0x03, 0x03,
        0x02, 0x00, 0x04, 0x0d, 0x05, 0x02, 0x00, 0x01, 0x00, 0x00, 0x09, 0x05,
        0x01, 0x03, 0x00, 0x01, 0x00, 0x0a, 0x36, 0x02, 0x02, 0x00, 0x0b, 0x31,
        0x00, 0x02, 0x05, 0xd2, 0x00, 0xe0, 0x02, 0xe3, 0x02, 0x02, 0x00, 0x00,
        0x00, 0x01, 0x01, 0xd2, 0x00, 0xe0, 0x02, 0xe4, 0x02, 0x01, 0x01, 0x00,
        0x00, 0x00, 0xd2, 0x00, 0xe0, 0x02, 0xe6, 0x02, 0x01, 0x00, 0x0b, 0x1a,
        0x41, 0x01, 0x20, 0x00, 0xe1, 0x03, 0x02, 0x1a, 0xe2, 0x01, 0x41, 0x00,
        0x0b,
    ]

    @Test func encodesLikeWasmTools() {
        let (compiled, diagnostics) = WAT.compile(SourceFile(Self.text))
        #expect(diagnostics.isEmpty)
        #expect(compiled.bytes == Self.bytes)
    }

    @Test func decodesAndPrintsBackToTheSameBytes() throws {
        let decoded = try Module.decode(Self.bytes)
        let body = decoded.module.functions[1].body
        #expect(body.contains(Instruction(.resume, .resume(type: 2, tag: nil, handlers: [
            ResumeHandler(tag: 0, label: 0), ResumeHandler(tag: 1, label: nil),
        ]))))
        #expect(body.contains(Instruction(.resumeThrow, .resume(type: 2, tag: 1, handlers: [ResumeHandler(tag: 0, label: 0)]))))
        #expect(body.contains(Instruction(.switch, .indexPair(2, 1))))
        #expect(body.contains(Instruction(.contBind, .indexPair(3, 2))))
        let printed = decoded.module.printed()
        #expect(printed.contains("resume 2 (on 0 0) (on 1 switch)"))
        let (reparsed, diagnostics) = WAT.compile(SourceFile(printed))
        #expect(diagnostics.isEmpty)
        #expect(reparsed.bytes == Self.bytes)
    }

    @Test func handlerNamesResolve() {
        let source = MarkedSource("""
        (module
          (type $ft (func))
          (type $ct (cont $ft))
          (tag 1️⃣$yield)
          (func (param (ref $ct))
            (block 2️⃣$on_yield (result (ref $ct))
              (resume $ct (on 3️⃣$yield 4️⃣$on_yield) (local.get 0))
              return)
            drop))
        """)
        let (compiled, diagnostics) = WAT.compile(source.sourceFile)
        #expect(diagnostics.isEmpty)
        let references = compiled.resolution.references
        #expect(references.contains { $0.use.start == source["3️⃣"] && $0.definition.start == source["1️⃣"] })
        #expect(references.contains { $0.use.start == source["4️⃣"] && $0.definition.start == source["2️⃣"] })
        let resume = compiled.module.functions[0].body.first { $0.opcode == .resume }
        #expect(resume?.immediates == .resume(type: 1, tag: nil, handlers: [ResumeHandler(tag: 0, label: 0)]))
    }

    @Test func handlerWithoutLabelIsASyntaxError() {
        let source = MarkedSource("(module (tag) (type (func)) (type (cont 1)) (func (resume 1 (on 0 1️⃣)) unreachable))")
        let parsed = WAT.parseModule(source.sourceFile)
        #expect(parsed.diagnostics.map(\.range.start) == [source["1️⃣"]])
    }

    @Test func unknownHandlerKindIsMalformed() {
        var bytes = Self.bytes
        // The second handler of `resume` (`01 01`, on tag 1 switch) becomes kind 2.
        let resume = bytes.firstIndex(of: 0xe3)!
        bytes[resume + 6] = 0x02
        #expect(throws: DecodeError("malformed handle", at: resume + 6)) { try Module.decode(bytes) }
    }

    @Test func resumeThrowRefTakesTheExceptionUnderTheContinuation() throws {
        let text = """
        (module (type $ft (func)) (type $ct (cont $ft))
          (func (param (ref $ct)) (param exnref) (resume_throw_ref $ct (on 0 switch) (local.get 1) (local.get 0)))
          (tag))
        """
        let (compiled, diagnostics) = WAT.compile(SourceFile(text))
        #expect(diagnostics.isEmpty)
        // `wasm-tools parse` 1.262 of the same text (`e5 01 01 01 00`: type 1, one handler, switch on tag 0).
        #expect(compiled.bytes == [
            0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x0c, 0x03, 0x60,
            0x00, 0x00, 0x5d, 0x00, 0x60, 0x02, 0x64, 0x01, 0x69, 0x00, 0x03, 0x02,
            0x01, 0x02, 0x0d, 0x03, 0x01, 0x00, 0x00, 0x0a, 0x0d, 0x01, 0x0b, 0x00,
            0x20, 0x01, 0x20, 0x00, 0xe5, 0x01, 0x01, 0x01, 0x00, 0x0b, 0x00, 0x10,
            0x04, 0x6e, 0x61, 0x6d, 0x65, 0x04, 0x09, 0x02, 0x00, 0x02, 0x66, 0x74,
            0x01, 0x02, 0x63, 0x74,
        ])
        #expect(compiled.module.validate().isEmpty)
        let decoded = try Module.decode(compiled.bytes)
        #expect(decoded.module.functions[0].body.contains(Instruction(.resumeThrowRef,
            .resume(type: 1, tag: nil, handlers: [ResumeHandler(tag: 0, label: nil)]))))
        let swapped = text.split(separator: "(local.get 1) (local.get 0)").joined(separator: "(local.get 0) (local.get 1)")
        #expect(WAT.compile(SourceFile(swapped)).compiled.module.validate().map(\.message).first?.hasPrefix("type mismatch") == true)
    }

    /// Validity as `wasm-tools validate --features all` 1.262 judges the same texts.
    @Test func validatesLikeWasmTools() {
        func errors(_ text: String) -> [String] {
            let (compiled, diagnostics) = WAT.compile(SourceFile(text))
            #expect(diagnostics.isEmpty)
            return compiled.module.validate().map(\.message)
        }
        func generator(label: String) -> String { """
        (module
          (type $ft (func))
          (tag $t (param i32))
          (type $ct (cont $ft))
          (func $countdown (local $i i32)
            (local.set $i (i32.const 10))
            (loop $loop
              (suspend $t (local.get $i))
              (br_if $loop (local.tee $i (i32.sub (local.get $i) (i32.const 1))))))
          (elem declare func $countdown)
          (func (export "main") (local $c (ref $ct))
            (local.set $c (cont.new $ct (ref.func $countdown)))
            (loop $loop
              (block $on_gen (result \(label))
                (resume $ct (on $t $on_gen) (local.get $c))
                (return))
              (local.set $c)
              (drop)
              (br $loop))))
        """ }
        #expect(errors(generator(label: "i32 (ref $ct)")).isEmpty)
        // The handler's label must carry the tag's parameters and the continuation.
        #expect(errors(generator(label: "(ref $ct)")) == ["type mismatch between tag type and label type"])
        #expect(errors(generator(label: "i32 i32")) == ["type mismatch: i32"])
        let notContinuation = "(module (type $ft (func)) (func $f) (elem declare func $f) (func (drop (cont.new $ft (ref.func $f)))))"
        #expect(errors(notContinuation) == ["non-continuation type 0"])
        let switchWithoutTarget = """
        (module (type $ft (func)) (type $ct (cont $ft)) (tag $sw) (func $f) (elem declare func $f)
          (func (switch $ct $sw (cont.new $ct (ref.func $f)))))
        """
        #expect(errors(switchWithoutTarget) == ["type mismatch: instruction requires a continuation reference"])
    }
}
