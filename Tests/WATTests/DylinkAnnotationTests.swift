import SourceText
import Testing
import Wasm
@testable import WAT

/// `(@dylink.0 …)` becomes the `dylink.0` custom section, encoded like `wasm-tools parse` 1.262.
@Suite struct DylinkAnnotationTests {
    private static let header: [UInt8] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]
    /// `(func)`: its type, function and code sections.
    private static let emptyFunction: [UInt8] = [
        0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b,
    ]

    @Test func everySubsectionInTextOrder() {
        let (compiled, diagnostics) = WAT.compile(SourceFile("""
        (module
          (@dylink.0
            (mem-info (memory 4 2) (table 1 0))
            (needed "libc.so" "libm.so")
            (export-info "f" 3)
            (import-info "env" "g" 1))
          (func))
        """))
        #expect(diagnostics.isEmpty)
        let payload: [UInt8] = [
            0x01, 0x04, 0x04, 0x02, 0x01, 0x00,
            0x02, 0x11, 0x02, 0x07, 0x6c, 0x69, 0x62, 0x63, 0x2e, 0x73, 0x6f, 0x07, 0x6c, 0x69, 0x62, 0x6d, 0x2e, 0x73, 0x6f,
            0x03, 0x04, 0x01, 0x01, 0x66, 0x03,
            0x04, 0x08, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x01, 0x67, 0x01,
        ]
        #expect(compiled.bytes == Self.header + [0x00, 0x32, 0x08] + Array("dylink.0".utf8) + payload + Self.emptyFunction)
    }

    /// Consecutive `export-info` fields share a subsection; flag keywords or together; the section
    /// goes before the first section wherever the annotation is written.
    @Test func exportInfoGroupsAndFlagKeywords() {
        let (compiled, diagnostics) = WAT.compile(SourceFile("""
        (module (func) (@dylink.0 (export-info "a" 1) (export-info "b" binding-local no-strip) (needed) (mem-info)
          (import-info "m" "n")))
        """))
        #expect(diagnostics.isEmpty)
        let payload: [UInt8] = [
            0x03, 0x08, 0x02, 0x01, 0x61, 0x01, 0x01, 0x62, 0x82, 0x01,
            0x02, 0x01, 0x00,
            0x01, 0x04, 0x00, 0x00, 0x00, 0x00,
            0x04, 0x06, 0x01, 0x01, 0x6d, 0x01, 0x6e, 0x00,
        ]
        #expect(compiled.bytes == Self.header + [0x00, 0x24, 0x08] + Array("dylink.0".utf8) + payload + Self.emptyFunction)
    }

    @Test func unknownFlagIsASyntaxError() {
        let (_, diagnostics) = WAT.compile(SourceFile("(module (@dylink.0 (export-info \"a\" weak)))"))
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.range.start == 36)
    }
}
