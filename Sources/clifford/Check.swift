import ArgumentParser
import CLIF
import SourceText
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
        abstract: "Check files for errors (.clif: parse and verify).")

    @Argument(help: "Files to check; the extension selects the checker.")
    var files: [String]

    /// One checker per file extension. Other file kinds plug in here.
    static let checkers: [String: @Sendable (SourceFile) -> [Diagnostic]] = [
        "clif": { source in CLIFFile.check(source).diagnostics },
    ]

    func run() throws {
        var errorCount = 0
        var warningCount = 0
        for path in files {
            let fileExtension = path.split(separator: "/").last.flatMap { name -> String? in
                guard let dot = name.lastIndex(of: ".") else { return nil }
                return String(name[name.index(after: dot)...])
            } ?? ""
            guard let checker = Check.checkers[fileExtension] else {
                let supported = Check.checkers.keys.sorted().map { "." + $0 }.joined(separator: ", ")
                print("\(path): error: unsupported file kind '\(fileExtension.isEmpty ? path : "." + fileExtension)' (supported: \(supported))")
                errorCount += 1
                continue
            }
            guard let bytes = Check.read(path) else {
                print("\(path): error: cannot read file")
                errorCount += 1
                continue
            }
            let source = SourceFile(utf8: bytes)
            let diagnostics = checker(source).sorted { $0.range.start < $1.range.start }
            for diagnostic in diagnostics {
                print(diagnostic.formatted(path: path, in: source))
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

    static func read(_ path: String) -> [UInt8]? {
        guard let handle = fopen(path, "rb") else { return nil }
        defer { fclose(handle) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = fread(&buffer, 1, buffer.count, handle)
            if count <= 0 { break }
            bytes.append(contentsOf: buffer[0..<count])
        }
        return ferror(handle) == 0 ? bytes : nil
    }
}
