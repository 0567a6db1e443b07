let benchmarkArguments = Array(CommandLine.arguments.dropFirst())
if benchmarkArguments.first == "wasm" {
    runWasmBenchmark(arguments: Array(benchmarkArguments.dropFirst()))
} else {
    print("bench")
}
