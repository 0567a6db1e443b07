import Foundation
import JSON
import LanguageServer
import SourceText

/// `clifford-bench tokens [FILE.wat] [--iterations N]`: semantic tokens and completion of the
/// language server on one large WAT document (by default `$CLIFFORD_CORPUS/realworld/c-graphviz.wasm`
/// printed by wasm-tools): classification, encoding (UTF-16), the JSON answer, a 100-line range
/// request, and completion inside the middle function.
func runEditorTokensBenchmark(arguments: [String]) throws {
    var file: String?
    var iterations = 5
    var index = 0
    while index < arguments.count {
        if arguments[index] == "--iterations", index + 1 < arguments.count {
            index += 1
            iterations = Int(arguments[index]) ?? iterations
        } else {
            file = arguments[index]
        }
        index += 1
    }
    if file == nil {
        let corpus = ProcessInfo.processInfo.environment["CLIFFORD_CORPUS"] ?? "../shared/corpus"
        let tool = ProcessInfo.processInfo.environment["CLIFFORD_TOOLS"].map { $0 + "/wasm-tools" }
            ?? FileManager.default.currentDirectoryPath + "/.tools/venv/bin/wasm-tools"
        let text = NSTemporaryDirectory() + "/clifford-bench-c-graphviz.wat"
        if !FileManager.default.fileExists(atPath: text) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: tool)
            process.arguments = ["print", corpus + "/realworld/c-graphviz.wasm", "-o", text]
            do { try process.run() } catch {
                print("tokens: no input file and no wasm-tools at \(tool)")
                return
            }
            process.waitUntilExit()
        }
        file = text
    }
    guard let path = file, let data = FileManager.default.contents(atPath: path) else {
        print("tokens: cannot read \(file ?? "")")
        return
    }
    let source = SourceFile(utf8: [UInt8](data))
    let snapshot = DocumentSnapshot(uri: "file://" + path, language: .wat, version: 1, file: source)
    let service = WATService()
    let result = AnalysisBox()
    let done = DispatchSemaphore(value: 0)
    let analysisStart = ContinuousClock.now
    Task {
        result.analysis = try? await service.analyze(snapshot, previous: nil)
        done.signal()
    }
    done.wait()
    guard let analysis = result.analysis else {
        print("tokens: the analysis failed")
        return
    }
    print("tokens: \(path), \(source.utf8.count) bytes, \(source.lineCount) lines; analysis \(ContinuousClock.now - analysisStart)")
    var memory = TokensMemory(fileSize: source.utf8.count)
    memory.measure({ service.semanticTokens(in: analysis) }, file: source)

    var tokens: [SemanticToken] = []
    let classify = medianMilliseconds(repetitions: iterations) { tokens = service.semanticTokens(in: analysis) }
    var encoded = SemanticTokenData()
    let encode = medianMilliseconds(repetitions: iterations) {
        encoded = SemanticTokenEncoder.encode(tokens, in: source, encoding: .utf16)
    }
    var bytes = 0
    let json = medianMilliseconds(repetitions: max(1, iterations / 2)) {
        let value: JSONValue = ["resultId": "1", "data": encoded.json()]
        bytes = value.serializedBytes().count
    }
    print("  full: \(tokens.count) tokens; classify \(formatted(classify)) ms, encode \(formatted(encode)) ms, "
          + "JSON \(formatted(json)) ms (\(bytes / 1_000_000) MB); total \(formatted(classify + encode + json)) ms")

    // An edit inside one function (an instruction added in the middle line): re-analysis, then
    // what `full/delta` does (classify, encode, one edit against the previous data).
    let middle = source.lineCount / 2
    var editedText = source.utf8
    editedText.insert(contentsOf: Array("    nop\n".utf8), at: source.lineStarts[middle])
    let edited = SourceFile(utf8: editedText)
    let editedSnapshot = DocumentSnapshot(uri: snapshot.uri, language: .wat, version: 2, file: edited)
    let reanalysisStart = ContinuousClock.now
    Task {
        result.analysis = try? await service.analyze(editedSnapshot, previous: analysis)
        done.signal()
    }
    done.wait()
    let reanalysis = ContinuousClock.now - reanalysisStart
    if let editedAnalysis = result.analysis {
        var edit = "no edit"
        let delta = medianMilliseconds(repetitions: iterations) {
            let tokens = service.semanticTokens(in: editedAnalysis)
            let data = SemanticTokenEncoder.encode(tokens, in: edited, encoding: .utf16)
            if let found = SemanticTokenData.difference(from: encoded, to: data) {
                edit = "start \(found.start), delete \(found.deleteCount), insert \(found.insertCount)"
            }
        }
        print("  delta after an edit (re-analysis \(reanalysis) not included): \(formatted(delta)) ms, \(edit)")
    }

    let window = TextRange(start: source.lineStarts[middle], end: source.lineStarts[min(source.lineCount - 1, middle + 100)])
    var rangeCount = 0
    let range = medianMilliseconds(repetitions: iterations * 20) {
        rangeCount = SemanticTokenEncoder.integers(of: encoded, in: source, encoding: .utf16, meeting: window).count / 5
    }
    print("  range (100 lines, cached data): \(rangeCount) tokens, encode \(formatted(range, digits: 3)) ms")

    // The generated CLIF of the module (the `clifford-clif:` document).
    if let wat = analysis as? WATAnalysis, let generated = wat.modules.first?.generated {
        let clif = SourceFile(utf8: generated.text())
        var clifTokens: [SemanticToken] = []
        let classifyCLIF = medianMilliseconds(repetitions: max(1, iterations / 2)) {
            clifTokens = GeneratedCLIFService().semanticTokens(in: PlainAnalysis(
                snapshot: DocumentSnapshot(uri: "clifford-clif:" + snapshot.uri, language: .clif, version: 1, file: clif)))
        }
        let encodeCLIF = medianMilliseconds(repetitions: max(1, iterations / 2)) {
            encoded = SemanticTokenEncoder.encode(clifTokens, in: clif, encoding: .utf16)
        }
        let clifMiddle = clif.lineCount / 2
        let clifWindow = TextRange(start: clif.lineStarts[clifMiddle], end: clif.lineStarts[min(clif.lineCount - 1, clifMiddle + 100)])
        let clifRange = medianMilliseconds(repetitions: iterations * 20) {
            _ = SemanticTokenEncoder.integers(of: encoded, in: clif, encoding: .utf16, meeting: clifWindow)
        }
        print("  generated CLIF: \(clif.utf8.count) bytes, \(clifTokens.count) tokens; classify \(formatted(classifyCLIF)) ms, "
              + "encode \(formatted(encodeCLIF)) ms; 100-line range \(formatted(clifRange, digits: 3)) ms")
    }

    // Completion after `local.get ` on a line in the middle of the file, and at the start of that line.
    let offsets = (0..<source.lineCount).lazy.map { source.contentRange(ofLine: $0) }
        .filter { String(source[$0]).contains("local.get ") }
    let lineRange = offsets.first { $0.start >= source.lineStarts[middle] } ?? offsets.first
    guard let lineRange else { return }
    let line = String(source[lineRange])
    let afterGet = lineRange.start + line.utf8.distance(from: line.utf8.startIndex,
                                                        to: line.range(of: "local.get ")!.upperBound.samePosition(in: line.utf8)!)
    var items = 0
    let local = medianMilliseconds(repetitions: iterations * 4) { items = service.completion(at: afterGet, in: analysis).count }
    print("  completion after `local.get ` (line \(source.line(containing: afterGet) + 1)): \(items) items, \(formatted(local)) ms")
    let instruction = medianMilliseconds(repetitions: iterations * 4) {
        items = service.completion(at: lineRange.start + line.utf8.count - line.drop { $0 == " " }.utf8.count, in: analysis).count
    }
    print("  completion of an instruction at that line's start: \(items) items, \(formatted(instruction)) ms")
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    print("  peak memory \(Double(usage.ru_maxrss) / 1024) MB")
}

/// Carries the analysis out of the task that computed it.
private final class AnalysisBox: @unchecked Sendable {
    var analysis: (any DocumentAnalysis)?
}
