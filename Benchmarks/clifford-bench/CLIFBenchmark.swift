import CLIF
import SourceText
import TestSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `clifford-bench clif [--corpus DIR] [--iterations N] [--dump OUT] [FILE.clif ...]`: parse + verify speed
/// of the CLIF front end, in MB/s, over all Cranelift filetests under the corpus and over each
/// file given (e.g. a concatenation of `wasmtime compile -O opt-level=0 --emit-clif` output).
/// `--dump` instead writes every parsed function printed back to OUT.
func runCLIFBenchmark(arguments: [String]) {
    var corpus = getenv("CLIFFORD_CORPUS").map { String(cString: $0) } ?? "../shared/corpus"
    var iterations = 3
    var files: [String] = []
    var dump: String?
    var index = 0
    while index < arguments.count {
        switch arguments[index] {
        case "--corpus" where index + 1 < arguments.count:
            corpus = arguments[index + 1]
            index += 1
        case "--iterations" where index + 1 < arguments.count:
            iterations = max(1, Int(arguments[index + 1]) ?? 3)
            index += 1
        case "--dump" where index + 1 < arguments.count:
            dump = arguments[index + 1]
            index += 1
        default:
            files.append(arguments[index])
        }
        index += 1
    }

    let filetests = CorpusFiles.list(under: corpus + "/clif-filetests", suffix: ".clif").compactMap { CorpusFiles.read($0) }
    if let dump {
        CLIFBench.dump(filetests + files.compactMap { CorpusFiles.read($0) }, to: dump)
        return
    }
    if filetests.isEmpty {
        print("clif-filetests: not found under \(corpus) (use --corpus)")
    } else {
        CLIFBench.measure(name: "clif-filetests (\(filetests.count) files)", inputs: filetests, iterations: iterations)
    }
    for path in files {
        guard let bytes = CorpusFiles.read(path) else {
            print("\(path): cannot read")
            continue
        }
        CLIFBench.measure(name: path, inputs: [bytes], iterations: iterations)
    }
}

enum CLIFBench {
    /// CPU time of this thread: the machine is shared, so wall-clock time would measure the
    /// other processes too.
    static func now() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    /// Times parse alone and parse + verify; prints the best of `iterations` runs.
    static func measure(name: String, inputs: [[UInt8]], iterations: Int) {
        let totalBytes = inputs.reduce(0) { $0 + $1.count }
        let sources = inputs.map { SourceFile(utf8: $0) }
        var bestParse = Double.infinity
        var bestCheck = Double.infinity
        var functions = 0
        var errors = 0
        for _ in 0..<iterations {
            var start = now()
            var parsedFunctions = 0
            for source in sources { parsedFunctions += CLIFFile.parse(source).functions.count }
            bestParse = min(bestParse, now() - start)
            start = now()
            var found = 0
            for source in sources {
                let file = CLIFFile.check(source)
                found += file.diagnostics.filter { $0.severity == .error }.count
            }
            bestCheck = min(bestCheck, now() - start)
            functions = parsedFunctions
            errors = found
        }
        let megabytes = Double(totalBytes) / 1_000_000
        func rate(_ seconds: Double) -> String {
            let value = megabytes / seconds
            return String(Int(value * 10) / 10) + "." + String(Int(value * 10) % 10)
        }
        print("\(name): \(totalBytes) bytes, \(functions) functions, \(errors) errors (parse+verify)")
        print("  parse:         \(rate(bestParse)) MB/s (\(Int(bestParse * 1000)) ms CPU)")
        print("  parse+verify:  \(rate(bestCheck)) MB/s (\(Int(bestCheck * 1000)) ms CPU)")
    }

    /// Writes every parsed function printed back, to check that printer changes keep the text.
    static func dump(_ inputs: [[UInt8]], to path: String) {
        guard let handle = fopen(path, "wb") else { return }
        defer { fclose(handle) }
        for input in inputs {
            for function in CLIFFile.parse(SourceFile(utf8: input)).functions {
                var text = Array(Printer.print(function).utf8)
                fwrite(&text, 1, text.count, handle)
            }
        }
    }
}
