import Foundation

// clifford-bench: speed measurements for BENCHMARKS.md. Run in release:
//   swift run -c release clifford-bench <suite> [options]
// Each suite prints its figures; none of them is a pass/fail test.

let arguments = Array(CommandLine.arguments.dropFirst())
let suites: [String: ([String]) throws -> Void] = [
    "json": runJSONBenchmark,
    "clif": { runCLIFBenchmark(arguments: $0) },
    "wasm": { runWasmBenchmark(arguments: $0) },
    "wat": { try runWATBenchmark(arguments: $0) },
    "validate": runValidationBenchmark,
    "translate": runTranslateBenchmark,
    "tokens": { try runEditorTokensBenchmark(arguments: $0) },
    "lsp": runLSPBenchmark,
    "tokens-lsp": runTokensLSPBenchmark,
]

// The asynchronous suites: the language server's analysis is async.
if arguments.first == "memory" {
    try await runMemoryBenchmark(Array(arguments.dropFirst()))
    exit(0)
}
if arguments.first == "requests" {
    try await runRequestsBenchmark(Array(arguments.dropFirst()))
    exit(0)
}
if arguments.first == "incremental" {
    try await runIncrementalBenchmark(Array(arguments.dropFirst()))
    exit(0)
}
guard let name = arguments.first, let suite = suites[name] else {
    print("usage: clifford-bench <suite> [options]; suites: \((suites.keys + ["incremental", "memory", "requests"]).sorted().joined(separator: ", "))")
    exit(2)
}
try suite(Array(arguments.dropFirst()))
