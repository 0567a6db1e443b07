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
]

if arguments.first == "incremental" {
    try await runIncrementalBenchmark(Array(arguments.dropFirst()))
    exit(0)
}
guard let name = arguments.first, let suite = suites[name] else {
    print("usage: clifford-bench <suite> [options]; suites: \((suites.keys + ["incremental"]).sorted().joined(separator: ", "))")
    exit(2)
}
try suite(Array(arguments.dropFirst()))
