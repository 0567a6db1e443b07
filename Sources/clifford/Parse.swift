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
