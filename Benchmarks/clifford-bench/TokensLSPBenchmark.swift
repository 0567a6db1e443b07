import Foundation
import JSON

/// `clifford-bench tokens-lsp [--wat FILE.wat] [--binary PATH] [--encoding utf-16|utf-8]`: the
/// semantic-token requests of the real `clifford serve` on one large WAT document (default:
/// `clifford print` of `realworld/c-graphviz.wasm`): the server's resident memory before and its
/// peak while answering `semanticTokens/full`, the time of `full` (first and cached), of a
/// 100-line `range`, and of `full/delta` after an edit inside one function, with that request's peak.
func runTokensLSPBenchmark(_ arguments: [String]) throws {
    var watPath: String?
    var binary = BenchmarkDocument.siblingBinary
    var encoding = "utf-16"
    var index = 0
    while index + 1 < arguments.count {
        switch arguments[index] {
        case "--wat": watPath = arguments[index + 1]
        case "--binary": binary = arguments[index + 1]
        case "--encoding": encoding = arguments[index + 1]
        default: break
        }
        index += 2
    }
    guard let watBytes = try BenchmarkDocument.wat(suite: "tokens-lsp", path: watPath) else { return }
    let text = String(decoding: watBytes, as: UTF8.self)
    let size = Double(text.utf8.count)
    let lineCount = text.utf8.reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
    print("tokens-lsp: \(binary)")
    print("document: \(formatted(size / 1_048_576, digits: 1)) MiB, \(lineCount) lines; position encoding \(encoding)")
    func mebibytes(_ bytes: Int) -> String {
        "\(formatted(Double(bytes) / 1_048_576, digits: 1)) MiB (\(formatted(Double(bytes) / size, digits: 2))×)"
    }
    func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    }

    let client = try LSPClient(binary: binary)
    defer { client.stop() }
    let uri = "file:///bench/tokens.wat"
    _ = client.request("initialize", ["processId": .null, "rootUri": .null,
                                      "capabilities": ["general": ["positionEncodings": [.string(encoding)]]],
                                      "initializationOptions": ["debounceMs": 0]])
    client.notify("initialized", [:])
    client.notify("textDocument/didOpen", ["textDocument": ["uri": .string(uri), "languageId": "wat", "version": 1,
                                                          "text": .string(text)]])
    guard client.waitForDiagnostics(version: 1, count: 2) != nil else {
        print("tokens-lsp: no final diagnostics after didOpen")
        return
    }
    // Idle long enough for the server to trim its allocator after the analysis.
    Thread.sleep(forTimeInterval: 1)
    guard let before = LSPClient.residentMemory(of: client.pid) else {
        print("tokens-lsp: cannot read the server's memory")
        return
    }
    print("resident before the requests: \(mebibytes(before.current))")
    let document: JSONValue = ["uri": .string(uri)]

    let reset = LSPClient.resetPeak(of: client.pid)
    var cpu = LSPClient.cpuMilliseconds(of: client.pid) ?? 0
    /// The server's CPU time (all threads, 10 ms ticks) since the last call.
    func serverCPU() -> Double {
        let now = LSPClient.cpuMilliseconds(of: client.pid) ?? 0
        defer { cpu = now }
        return now - cpu
    }
    var sent = ContinuousClock.now
    var full = client.request("textDocument/semanticTokens/full", ["textDocument": document])
    let fullMs = milliseconds(full.arrival - sent)
    let fullCPU = serverCPU()
    let data = full.message["result"]?["data"]?.arrayValue ?? []
    let answerBytes = full.message["result"].map { $0.serializedBytes().count } ?? 0
    Thread.sleep(forTimeInterval: 0.5)
    if let after = LSPClient.residentMemory(of: client.pid) {
        print("full: \(data.count / 5) tokens, \(data.count) integers, answer \(mebibytes(answerBytes)); \(formatted(fullMs, digits: 0)) ms until parsed here, server CPU \(formatted(fullCPU, digits: 0)) ms")
        print("  peak while answering \(reset ? "" : "(not reset: overall) ")\(mebibytes(after.peak)) = before + \(mebibytes(after.peak - before.current)); resident after \(mebibytes(after.current))")
    }
    var again: [Double] = []
    var againCPU: [Double] = []
    _ = serverCPU()
    for _ in 0..<3 {
        sent = ContinuousClock.now
        full = client.request("textDocument/semanticTokens/full", ["textDocument": document])
        if full.message["result"]?["data"] != nil {
            again.append(milliseconds(full.arrival - sent))
            againCPU.append(serverCPU())
        }
    }
    print("full again (same version): median \(formatted(percentile(again, 0.5), digits: 0)) ms until parsed here, server CPU median \(formatted(percentile(againCPU, 0.5), digits: 0)) ms, over \(again.count)")

    let middle = lineCount / 2
    var ranges: [Double] = []
    var rangeTokens = 0
    for _ in 0..<20 {
        sent = ContinuousClock.now
        let answer = client.request("textDocument/semanticTokens/range", ["textDocument": document, "range": [
            "start": ["line": JSONValue(middle), "character": 0], "end": ["line": JSONValue(middle + 100), "character": 0]]])
        rangeTokens = (answer.message["result"]?["data"]?.arrayValue?.count ?? 0) / 5
        ranges.append(milliseconds(answer.arrival - sent))
    }
    print("range (100 lines): \(rangeTokens) tokens, median \(formatted(percentile(ranges, 0.5), digits: 2)) ms, max \(formatted(ranges.max() ?? 0, digits: 2)) ms")

    // An edit inside one function: an instruction inserted at the start of the middle line.
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    let target = (middle..<lines.count).first { lines[$0].hasPrefix("      ") && lines[$0].drop { $0 == " " }.first?.isLowercase == true } ?? middle
    let position: JSONValue = ["line": JSONValue(target), "character": 0]
    client.notify("textDocument/didChange", ["textDocument": ["uri": .string(uri), "version": 2],
                                             "contentChanges": [["range": ["start": position, "end": position], "text": "      nop\n"]]])
    guard client.waitForDiagnostics(version: 2, count: 2) != nil else {
        print("tokens-lsp: no final diagnostics after the edit")
        return
    }
    Thread.sleep(forTimeInterval: 1)
    let beforeDelta = LSPClient.residentMemory(of: client.pid)
    _ = LSPClient.resetPeak(of: client.pid)
    let previous = full.message["result"]?["resultId"] ?? .null
    _ = serverCPU()
    sent = ContinuousClock.now
    let delta = client.request("textDocument/semanticTokens/full/delta", ["textDocument": document, "previousResultId": previous])
    let deltaMs = milliseconds(delta.arrival - sent)
    let deltaCPU = serverCPU()
    guard let edits = delta.message["result"]?["edits"]?.arrayValue else {
        print("delta after the edit: answered with full data, not edits")
        return
    }
    let description = edits.map { edit in
        "start \(edit["start"]?.intValue ?? -1), delete \(edit["deleteCount"]?.intValue ?? -1), insert \(edit["data"]?.arrayValue?.count ?? 0)"
    }.joined(separator: "; ")
    Thread.sleep(forTimeInterval: 0.5)
    if let beforeDelta, let after = LSPClient.residentMemory(of: client.pid) {
        print("delta after the edit: \(edits.count) edit(s) (\(description)); \(formatted(deltaMs, digits: 0)) ms, server CPU \(formatted(deltaCPU, digits: 0)) ms")
        print("  resident before \(mebibytes(beforeDelta.current)); peak while answering \(mebibytes(after.peak)) = before + \(mebibytes(after.peak - beforeDelta.current)); resident after \(mebibytes(after.current))")
    }
    _ = client.request("shutdown", .null)
    client.notify("exit", .null)
}
