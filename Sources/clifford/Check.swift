import ArgumentParser
import CLIF
import SourceText
import WAT
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `clifford check FILE...`: parses and checks each file by its kind and prints one
/// `path:line:col: severity: message` line per problem, then a summary. Exit status 1 when any
/// file has an error.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check files for errors (.clif: parse and verify; .wat, .wast, .wasm: parse and validate).")

    @Argument(help: "Files to check; the extension selects the checker.")
    var files: [String]

    /// One checker per file extension. Other file kinds plug in here.
    static let checkers: [String: @Sendable (SourceFile) -> [Diagnostic]] = [
        "clif": { source in CLIFFile.check(source).diagnostics },
        "wat": { source in WastCheck.checkModule(source) },
        "wast": { source in WastCheck.checkScript(source) },
    ]

    /// Checkers of binary kinds: they read the raw bytes, and their diagnostics are located by byte
    /// offset, printed as `path:0xOFFSET:`.
    static let binaryCheckers: [String: @Sendable ([UInt8]) -> [Diagnostic]] = [
        "wasm": { bytes in WastCheck.checkBinary(bytes) },
    ]

    func run() throws {
        var errorCount = 0
        var warningCount = 0
        for path in files {
            let fileExtension = path.split(separator: "/").last.flatMap { name -> String? in
                guard let dot = name.lastIndex(of: ".") else { return nil }
                return String(name[name.index(after: dot)...])
            } ?? ""
            let checker = Check.checkers[fileExtension]
            let binaryChecker = Check.binaryCheckers[fileExtension]
            guard checker != nil || binaryChecker != nil else {
                let supported = (Array(Check.checkers.keys) + Array(Check.binaryCheckers.keys)).sorted().map { "." + $0 }.joined(separator: ", ")
                print("\(path): error: unsupported file kind '\(fileExtension.isEmpty ? path : "." + fileExtension)' (supported: \(supported))")
                errorCount += 1
                continue
            }
            guard let bytes = FileIO.read(path) else {
                print("\(path): error: cannot read file")
                errorCount += 1
                continue
            }
            let source = SourceFile(utf8: checker == nil ? [] : bytes)
            let found = binaryChecker.map { $0(bytes) } ?? checker.map { $0(source) } ?? []
            let diagnostics = found.sorted { $0.range.start < $1.range.start }
            for diagnostic in diagnostics {
                if binaryChecker != nil {
                    print("\(path):0x\(String(diagnostic.range.start, radix: 16)): \(diagnostic.severity.label): \(diagnostic.message)")
                } else {
                    print(diagnostic.formatted(path: path, in: source))
                }
                switch diagnostic.severity {
                case .error: errorCount += 1
                case .warning: warningCount += 1
                default: break
                }
            }
        }
        let fileWord = files.count == 1 ? "file" : "files"
        let errorWord = errorCount == 1 ? "error" : "errors"
        let warningWord = warningCount == 1 ? "warning" : "warnings"
        print("checked \(files.count) \(fileWord): \(errorCount) \(errorWord), \(warningCount) \(warningWord)")
        if errorCount > 0 { throw ExitCode(1) }
    }

}
