import ArgumentParser

/// `clifford serve`: the language server over stdin/stdout.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the language server on stdio (the default).")

    func run() async throws {
    }
}
