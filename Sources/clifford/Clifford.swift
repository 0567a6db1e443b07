import ArgumentParser

/// The `clifford` command: with no subcommand it runs the language server on stdio.
@main
struct Clifford: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clifford",
        abstract: "Language server and tools for WebAssembly text (WAT) and Cranelift IR (CLIF).",
        version: CliffordVersion.string,
        subcommands: [Serve.self, Check.self, Parse.self, Print.self, Translate.self],
        defaultSubcommand: Serve.self
    )
}
