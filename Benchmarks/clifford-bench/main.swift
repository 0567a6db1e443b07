let benchmarkArguments = Array(CommandLine.arguments.dropFirst())
if benchmarkArguments.first == "wat" {
    try runWATBenchmark(arguments: Array(benchmarkArguments.dropFirst()))
} else if benchmarkArguments.first == "wasm" {
    runWasmBenchmark(arguments: Array(benchmarkArguments.dropFirst()))
} else {
    print("bench")
}
