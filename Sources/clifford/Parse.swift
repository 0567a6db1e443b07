import ArgumentParser
import SourceText
import WAT

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `clifford parse FILE.wat -o OUT.wasm`: WAT text to the binary wasm-tools would write.
struct Parse: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Encode a WebAssembly text module (.wat) as a binary (.wasm), byte for byte as `wasm-tools parse`.")

    @Argument(help: "The .wat file to read.")
    var input: String

    @Option(name: .shortAndLong, help: "Where to write the binary (default: standard output).")
    var output: String?

    func run() throws {
        guard let bytes = FileIO.read(input) else {
            FileIO.printError("error: cannot read \(input)")
            throw ExitCode.failure
        }
        let parsed = WAT.parseModule(bytes: bytes)
        let compiled = WAT.compile(parsed.syntax)
        let diagnostics = (parsed.diagnostics + compiled.diagnostics).sorted { $0.range.start < $1.range.start }
        if !diagnostics.isEmpty {
            let file = SourceFile(utf8: bytes)
            for diagnostic in diagnostics {
                FileIO.printError(diagnostic.formatted(path: input, in: file))
            }
        }
        if diagnostics.contains(where: { $0.severity == .error }) { throw ExitCode.failure }
        if let output {
            guard FileIO.write(compiled.bytes, to: output) else {
                FileIO.printError("error: cannot write \(output)")
                throw ExitCode.failure
            }
        } else {
            FileIO.writeAll(compiled.bytes, descriptor: 1)
        }
        // The process ends here: skip tearing down the syntax tree and module one node at a time.
        withExtendedLifetime((parsed, compiled)) { Glibc.exit(0) }
    }
}

/// Whole-file reads and writes through the C library.
enum FileIO {
    static func read(_ path: String) -> [UInt8]? {
        guard let handle = fopen(path, "rb") else { return nil }
        defer { fclose(handle) }
        guard fseek(handle, 0, SEEK_END) == 0 else { return nil }
        let size = ftell(handle)
        guard size >= 0, fseek(handle, 0, SEEK_SET) == 0 else { return nil }
        var bytes = [UInt8](repeating: 0, count: size)
        let count = bytes.withUnsafeMutableBytes { fread($0.baseAddress, 1, size, handle) }
        return count == size && ferror(handle) == 0 ? bytes : nil
    }

    static func write(_ bytes: [UInt8], to path: String) -> Bool {
        guard let handle = fopen(path, "wb") else { return false }
        let written = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, handle) }
        return fclose(handle) == 0 && written == bytes.count
    }

    static func printError(_ text: String) {
        writeAll(Array((text + "\n").utf8), descriptor: 2)
    }

    static func writeAll(_ bytes: [UInt8], descriptor: Int32) {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written <= 0 { return }
                offset += written
            }
        }
    }
}
