import Testing
import CLIF
import SourceText
import TestSupport

/// The CLIF front end against Wasmtime's disas expectations and Cranelift's filetests.
@Suite struct CLIFConformanceTests {
    @Test func disasFunctionsRoundTrip() throws {
        guard let corpus = TestEnvironment.corpus else {
            print("skipped: no corpus (set CLIFFORD_CORPUS)")
            return
        }
        let files = CorpusFiles.list(under: corpus + "/wasmtime-disas", suffix: ".wat")
        var passed = 0
        var functions = 0
        var failures: [String] = []
        for path in files {
            guard let bytes = CorpusFiles.read(path) else { continue }
            let expected = CLIFCorpus.expectedCLIF(ofDisasFile: String(decoding: bytes, as: UTF8.self))
            let parsed = CLIFFile.parse(SourceFile(expected))
            var file = parsed
            for function in parsed.functions {
                file.diagnostics += Verifier.verify(function, context: .wasmtime).map(\.diagnostic)
            }
            functions += file.functions.count
            let printed = file.functions.map { Printer.print($0) }.joined(separator: "\n").trimmingWhitespace()
            let errors = file.diagnostics.filter { $0.severity == .error }
            if errors.isEmpty && printed == expected && !file.functions.isEmpty {
                passed += 1
            } else {
                failures.append(describe(path: path, errors: errors, file: file, printed: printed, expected: expected))
            }
        }
        print("wasmtime-disas round trip: \(passed)/\(files.count) files (\(functions) functions)")
        for failure in failures.prefix(5) { print(failure) }
        #expect(files.isEmpty || passed == files.count)
    }

    func describe(path: String, errors: [Diagnostic], file: CLIFFile, printed: String, expected: String) -> String {
        if let first = errors.first { return "\(path): \(first.formatted(path: "expected", in: file.source))" }
        let a = printed.split(separator: "\n", omittingEmptySubsequences: false)
        let b = expected.split(separator: "\n", omittingEmptySubsequences: false)
        for index in 0..<max(a.count, b.count) {
            let left = index < a.count ? String(a[index]) : "<end>"
            let right = index < b.count ? String(b[index]) : "<end>"
            if left != right { return "\(path): line \(index + 1)\n  printed:  \(left)\n  expected: \(right)" }
        }
        return "\(path): no functions"
    }

    @Test func filetestsParse() throws {
        guard let corpus = TestEnvironment.corpus else {
            print("skipped: no corpus (set CLIFFORD_CORPUS)")
            return
        }
        let files = CorpusFiles.list(under: corpus + "/clif-filetests", suffix: ".clif")
        var parsed = 0
        var warned = 0
        var failures: [String] = []
        for path in files {
            guard let bytes = CorpusFiles.read(path) else { continue }
            let file = CLIFFile.parse(SourceFile(utf8: bytes))
            let errors = file.diagnostics.filter { $0.severity == .error }
            if file.diagnostics.contains(where: { $0.severity == .warning }) { warned += 1 }
            if errors.isEmpty {
                parsed += 1
            } else {
                failures.append(errors.prefix(2).map { $0.formatted(path: path, in: file.source) }.joined(separator: "\n"))
            }
        }
        print("clif-filetests parse: \(parsed)/\(files.count) files (\(warned) with unsupported-target warnings)")
        for failure in failures.prefix(10) { print(failure) }
        #expect(parsed == files.count)
    }

    /// The verifier runs Cranelift's filetest runner makes: before each test command that wants
    /// it, once per target for commands that need an ISA, else with the file's only target or none.
    static func verifierContexts(_ file: CLIFFile) -> [(context: VerifierContext, isVerifierTest: Bool)] {
        var contexts: [(VerifierContext, Bool)] = []
        let unique = file.targets.count == 1 ? file.targets[0] : nil
        for command in file.testCommands {
            let name = command.text.split(separator: " ").dropFirst().first.map(String.init) ?? ""
            switch name {
            case "cat", "print-cfg":
                continue
            case "verifier":
                contexts.append((VerifierContext(target: unique, settings: file.settings), true))
            case "compile", "inline", "optimize", "run", "unwind":
                for target in file.targets { contexts.append((VerifierContext(target: target, settings: file.settings), false)) }
            default:
                contexts.append((VerifierContext(target: unique, settings: file.settings), false))
            }
        }
        return contexts
    }

    @Test func filetestsVerify() throws {
        guard let corpus = TestEnvironment.corpus else {
            print("skipped: no corpus (set CLIFFORD_CORPUS)")
            return
        }
        let files = CorpusFiles.list(under: corpus + "/clif-filetests", suffix: ".clif")
        var annotations = 0
        var matched = 0
        var cleanFiles = 0
        var checkedFiles = 0
        var problems: [String] = []
        for path in files {
            guard let bytes = CorpusFiles.read(path) else { continue }
            let file = CLIFFile.parse(SourceFile(utf8: bytes))
            guard !file.diagnostics.contains(where: { $0.severity == .error }) else { continue }
            checkedFiles += 1
            let isVerifierTest = file.testCommands.contains { $0.text.hasPrefix("test verifier") }
            var fileClean = true
            for (index, function) in file.functions.enumerated() {
                var expected = file.comments.filter { $0.functionIndex == index && isVerifierTest }
                    .compactMap { comment in comment.directive("error:").map { (comment.location ?? .function, $0) } }
                annotations += expected.count
                for context in Self.verifierContexts(file) {
                    var errors = Verifier.verify(function, context: context.context)
                    if context.isVerifierTest {
                        for (location, message) in expected {
                            if let found = errors.firstIndex(where: { $0.location == location && $0.diagnostic.message.contains(message) }) {
                                matched += 1
                                errors.remove(at: found)
                            } else {
                                fileClean = false
                                problems.append("\(path): \(function.name): expected at \(location): \(message)")
                            }
                        }
                        expected = []
                    }
                    for error in errors {
                        fileClean = false
                        problems.append("\(path): \(function.name): unexpected at \(error.location): \(error.diagnostic.message)")
                    }
                }
            }
            if fileClean { cleanFiles += 1 }
        }
        print("clif-filetests verifier: \(matched)/\(annotations) error annotations matched; \(cleanFiles)/\(checkedFiles) files exactly as expected")
        for problem in problems.prefix(30) { print(problem) }
        #expect(matched == annotations && cleanFiles == checkedFiles)
    }
}
