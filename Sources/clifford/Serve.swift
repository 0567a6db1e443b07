import ArgumentParser
import LanguageServer
#if canImport(Glibc)
import Glibc
#endif

/// `clifford serve`: the language server over stdin/stdout.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the language server on stdio (the default).")

    @Option(name: .long, help: "Also append log lines to this file (they always go to stderr).")
    var logFile: String?

    @Flag(name: .long, help: "Accepted for clients that pass it; stdio is the only transport.")
    var stdio = false

    func run() async throws {
        let code = await ServerMain.run(version: CliffordVersion.string, logFile: logFile)
        Glibc.exit(code)
    }
}
