import ArgumentParser
import CLIF
import SourceText
import Wasm
import WAT
import WasmToCLIF
#if canImport(Glibc)
import Glibc
#endif

/// `clifford translate`: Wasm to CLIF as Wasmtime 49 translates it.
struct Translate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Translate a Wasm module to CLIF exactly as Wasmtime 49 does (before optimisation).")

    @Argument(help: "The module: a .wasm binary or a .wat text.")
    var file: String

    @Option(name: .customLong("emit-clif"), help: "Write one file per function into this directory, named as by `wasmtime compile --emit-clif`.")
    var emitDirectory: String?

    @Option(name: .long, help: "Only this function: its index in the function index space, or $name.")
    var function: String?

    @Option(name: .customShort("O"), help: "A Wasmtime tunable, e.g. memory-reservation=0.")
    var optimize: [String] = []

    @Option(name: .customShort("W"), help: "A Wasm feature, e.g. epoch-interruption.")
    var wasm: [String] = []

    @Option(name: .customShort("C"), help: "A codegen setting, e.g. cranelift-enable-heap-access-spectre-mitigation=false.")
    var codegen: [String] = []

    @Option(name: .long, help: "The target: x86_64 (default), aarch64, riscv64 or s390x.")
    var target: String = "x86_64"

    func run() throws {
        let (tunables, rejected) = Tunables.parse(target: target, optimize: optimize, wasm: wasm, codegen: codegen)
        if let first = rejected.first { throw ValidationError(first) }
        guard var bytes = FileIO.read(file) else { throw ValidationError("cannot read \(file)") }
        var text: (source: SourceFile, map: BinarySourceMap)?
        if !(bytes.count >= 4 && bytes[0] == 0 && bytes[1] == 0x61 && bytes[2] == 0x73 && bytes[3] == 0x6d) {
            let source = SourceFile(utf8: bytes)
            let (compiled, diagnostics) = WAT.compile(source)
            for diagnostic in diagnostics {
                FileIO.printError(diagnostic.formatted(path: file, in: source))
            }
            if diagnostics.contains(where: { $0.severity == .error }) { throw ExitCode(1) }
            bytes = compiled.bytes
            text = (source, compiled.map)
        }
        let decoded: DecodedModule
        do {
            decoded = try Module.decode(bytes)
        } catch {
            FileIO.printError("\(file): error: \(error.message) at offset \(error.offset)")
            throw ExitCode(1)
        }
        var only: [Int]?
        if let function {
            let imported = decoded.module.importCount(of: .function)
            var index: Int?
            if function.hasPrefix("$") {
                let name = String(function.dropFirst())
                index = decoded.module.names.functions.entries.first { $0.name == name }.map { Int($0.index) }
            } else {
                index = Int(function)
            }
            guard let index, index >= imported else { throw ValidationError("no defined function \(function)") }
            only = [index - imported]
        }
        let results = ModuleTranslator.translate(decoded, bytes: bytes, tunables: tunables, only: only)
        var failed = false
        // Like `wasmtime compile --emit-clif`, create the folder when it is missing.
        if let emitDirectory { _ = mkdir(emitDirectory, 0o755) }
        let sourceLink = emitDirectory.flatMap(sourceLinkComment(directory:)).map { $0 + "\n" } ?? ""
        for result in results {
            for diagnostic in result.diagnostics {
                failed = true
                if let text, let mapped = text.map.range(atOffset: diagnostic.range.start) {
                    var located = diagnostic
                    located.range = mapped.range
                    FileIO.printError(located.formatted(path: file, in: text.source))
                } else {
                    FileIO.printError("\(file): \(result.symbol): @\(String(diagnostic.range.start, radix: 16)): \(diagnostic.severity.label): \(diagnostic.message)")
                }
            }
            guard let function = result.function else { continue }
            let text = result.emittedCommentLine + "\n" + Printer.print(function)
            if let emitDirectory {
                guard FileIO.write(Array((text + sourceLink).utf8), to: emitDirectory + "/" + result.fileName) else {
                    throw ValidationError("cannot write into \(emitDirectory)")
                }
            } else {
                print(text)
            }
        }
        if failed { throw ExitCode(1) }
    }


}

