import Foundation
import LanguageServer
import SourceText
import Synchronization

/// `clifford-bench incremental [--wat FILE.wat] [--edits N]`: the server's work between an edit
/// inside one function and its early diagnostics, in process and without the protocol: applying
/// the ranged change to the document, then `WATService.analyze` until it reports the first
/// diagnostics of the new version (the edited function alone). Default document: `clifford print`
/// of `realworld/c-graphviz.wasm`, as in the `lsp` suite.
func runIncrementalBenchmark(_ arguments: [String]) async throws {
    var watPath: String?
    var edits = 30
    var index = 0
    while index + 1 < arguments.count {
        switch arguments[index] {
        case "--wat": watPath = arguments[index + 1]
        case "--edits": edits = max(1, Int(arguments[index + 1]) ?? edits)
        default: break
        }
        index += 2
    }
    guard let watBytes = try BenchmarkDocument.wat(suite: "incremental", path: watPath) else { return }
    let text = String(decoding: watBytes, as: UTF8.self)
    var file = SourceFile(text)
    print("document: \(formatted(Double(file.utf8.count) / 1_048_576, digits: 1)) MiB, \(file.lineCount) lines")
    // Lines of plain instructions inside function bodies (indented, lowercase).
    var targets: [Position] = []
    for line in 0..<file.lineCount {
        let range = file.contentRange(ofLine: line)
        let bytes = file.utf8[range.start..<range.end]
        guard let first = bytes.firstIndex(where: { $0 != 0x20 }), first > range.start + 2,
              (0x61...0x7A).contains(bytes[first]) else { continue }
        targets.append(Position(line: line, character: first - range.start))
    }
    let service = WATService()
    let started = ContinuousClock.now
    var previous = try await service.analyze(DocumentSnapshot(uri: "file:///bench.wat", language: .wat, version: 1, file: file),
                                             previous: nil)
    print("full analysis: \(formatted(milliseconds(since: started), digits: 0)) ms")

    var applySamples: [Double] = []
    var earlySamples: [Double] = []
    var fullSamples: [Double] = []
    var withoutEarly = 0
    var version = 1
    let step = max(1, targets.count / edits)
    let broken = "i32.bogus "
    for target in stride(from: step / 2, to: targets.count, by: step).prefix(edits).map({ targets[$0] }) {
        let end = Position(line: target.line, character: target.character + broken.utf8.count)
        for change in [ContentChange(range: PositionRange(start: target, end: target), text: broken),
                       ContentChange(range: PositionRange(start: target, end: end), text: "")] {
            version += 1
            let sent = ContinuousClock.now
            file = file.applying([change], encoding: .utf8)
            applySamples.append(milliseconds(since: sent))
            let early = Mutex<Double?>(nil)
            let snapshot = DocumentSnapshot(uri: "file:///bench.wat", language: .wat, version: version, file: file)
            previous = try await service.analyze(snapshot, previous: previous) { _ in
                let elapsed = milliseconds(since: sent)
                early.withLock { if $0 == nil { $0 = elapsed } }
            }
            fullSamples.append(milliseconds(since: sent))
            if let first = early.withLock({ $0 }) { earlySamples.append(first) } else { withoutEarly += 1 }
        }
    }
    func line(_ name: String, _ samples: [Double]) -> String {
        "\(name): p50 \(formatted(percentile(samples, 0.5), digits: 1)) ms, p99 \(formatted(percentile(samples, 0.99), digits: 1)) ms"
    }
    print("\(applySamples.count) edits inside one function (an unknown instruction inserted, then removed):")
    print("  " + line("ranged change applied to the document", applySamples))
    print("  " + line("edit → early diagnostics (change applied + the edited function alone)", earlySamples)
          + " (\(withoutEarly) edits without early diagnostics)")
    print("  " + line("edit → full analysis with translation", fullSamples))
}

private func milliseconds(since start: ContinuousClock.Instant) -> Double {
    let (seconds, attoseconds) = (ContinuousClock.now - start).components
    return Double(seconds) * 1000 + Double(attoseconds) / 1e15
}
