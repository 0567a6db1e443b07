let benchArguments = Array(CommandLine.arguments.dropFirst())
if benchArguments.first == "clif" {
    runCLIFBenchmark(arguments: Array(benchArguments.dropFirst()))
} else {
    print("bench")
}
