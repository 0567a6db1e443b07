import Foundation
import JSON

/// Edits that come faster than the server analyses them: with the server's debounce set to
/// `debounce` ms, `count` changes of one constant, `interval` apart, without waiting for
/// diagnostics. Prints how many versions got diagnostics published, how long after its change
/// each version's first publication came, and the last version's first and final diagnostics. The analysis of a version that released its
/// base is not cancelled by the next change; the next analysis starts from it when it is done.
func measureTyping(client: LSPClient, uri: String, at target: (line: Int, column: Int), version: inout Int,
                   count: Int = 20, interval: Duration = .milliseconds(60), debounce: Int = 0) {
    client.notify("workspace/didChangeConfiguration", ["settings": ["debounceMs": JSONValue(debounce)]])
    var sent: [(version: Int, time: ContinuousClock.Instant)] = []
    let position: JSONValue = ["line": JSONValue(target.line), "character": JSONValue(target.column)]
    let end: JSONValue = ["line": JSONValue(target.line), "character": JSONValue(target.column + 1)]
    for index in 0..<count {
        version += 1
        sent.append((version, .now))
        client.notify("textDocument/didChange", ["textDocument": ["uri": .string(uri), "version": JSONValue(version)],
                                                 "contentChanges": [["range": ["start": position, "end": end],
                                                                     "text": .string(index % 2 == 0 ? "5" : "6")]]])
        Thread.sleep(forTimeInterval: Double(interval.components.attoseconds) / 1e18)
    }
    guard let last = sent.last, let lastFirst = client.waitForDiagnostics(version: last.version, count: 1),
          let lastFinal = client.waitForDiagnostics(version: last.version, count: 2) else {
        print("lsp: no diagnostics for the last typed version")
        return
    }
    var firstLatencies: [Double] = []
    for (typed, time) in sent.dropLast() {
        if let first = client.waitForDiagnostics(version: typed, count: 1, seconds: 0) {
            firstLatencies.append(Double((first.arrival - time).components.attoseconds) / 1e15
                + Double((first.arrival - time).components.seconds) * 1000)
        }
    }
    func ms(_ duration: Duration) -> String {
        formatted(Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15, digits: 0)
    }
    print("typing (\(count) changes \(ms(interval)) ms apart, not waiting for diagnostics, debounce \(debounce) ms):")
    print("  \(firstLatencies.count) of the \(count - 1) earlier versions got first diagnostics before the next change superseded them"
        + (firstLatencies.isEmpty ? "" : " (p50 \(formatted(percentile(firstLatencies, 0.5), digits: 0)) ms, max \(formatted(firstLatencies.max() ?? 0, digits: 0)) ms after their change)"))
    print("  last version: first diagnostics \(ms(lastFirst.arrival - last.time)) ms, final \(ms(lastFinal.arrival - last.time)) ms after its change")
}
