import Foundation
import JSON
import Synchronization

/// `clifford-bench lsp [--wat FILE.wat] [--binary PATH] [--requests N] [--edits N]`: a scripted
/// LSP client that starts the real `clifford serve` over stdio, opens a large WAT document
/// (default: `clifford print` of `realworld/c-graphviz.wasm`), and measures first diagnostics,
/// full analysis, hover and definition latency, diagnostics after edits inside one function
/// (debounce 0; a changed constant, then an unknown instruction inserted and removed again), and
/// the server's resident memory.
func runLSPBenchmark(_ arguments: [String]) throws {
    var watPath: String?
    var binary = BenchmarkDocument.siblingBinary
    var requests = 200
    var edits = 30
    var index = 0
    while index + 1 < arguments.count {
        switch arguments[index] {
        case "--wat": watPath = arguments[index + 1]
        case "--binary": binary = arguments[index + 1]
        case "--requests": requests = max(1, Int(arguments[index + 1]) ?? requests)
        case "--edits": edits = max(1, Int(arguments[index + 1]) ?? edits)
        default: break
        }
        index += 2
    }
    guard let watBytes = try BenchmarkDocument.wat(suite: "lsp", path: watPath) else { return }
    let text = String(decoding: watBytes, as: UTF8.self)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    print("lsp: \(binary)")
    print("document: \(formatted(Double(text.utf8.count) / 1_048_576, digits: 1)) MiB, \(lines.count) lines")

    // Instruction lines inside function bodies: indented, starting with a lowercase letter.
    var instructionLines: [(line: Int, column: Int)] = []
    var constantLines: [(line: Int, column: Int)] = []
    var inFunction = false
    for (number, line) in lines.enumerated() {
        let trimmed = line.drop { $0 == " " }
        if trimmed.hasPrefix("(func") { inFunction = true; continue }
        if trimmed.hasPrefix("(") && !trimmed.hasPrefix("(func") { inFunction = trimmed.hasPrefix("(local") ? inFunction : false }
        guard inFunction, let first = trimmed.first, first.isLowercase else { continue }
        let column = line.count - trimmed.count
        instructionLines.append((number, column))
        if trimmed.hasPrefix("i32.const "), let last = trimmed.last, last.isNumber {
            constantLines.append((number, line.utf8.count - 1))
        }
    }
    guard !instructionLines.isEmpty else {
        print("lsp: no instructions found in the document")
        return
    }

    let client = try LSPClient(binary: binary)
    defer { client.stop() }
    let monitor = ServerMemoryMonitor(pid: client.pid)
    defer { monitor.stop() }
    let uri = "file:///bench/c-graphviz.wat"
    _ = client.request("initialize", ["processId": .null, "rootUri": .null,
                                      "capabilities": ["general": ["positionEncodings": ["utf-8"]]],
                                      "initializationOptions": ["debounceMs": 0]])
    client.notify("initialized", [:])
    let opened = ContinuousClock.now
    client.notify("textDocument/didOpen", ["textDocument": ["uri": .string(uri), "languageId": "wat", "version": 1,
                                                          "text": .string(text)]])
    guard let first = client.waitForDiagnostics(version: 1, count: 1) else {
        print("lsp: no diagnostics after didOpen")
        return
    }
    let firstMs = milliseconds(first.arrival - opened)
    // The analysis is complete when its final diagnostics (the second publication) are sent.
    let final = client.waitForDiagnostics(version: 1, count: 2)
    // Resident memory once the server is idle (it trims its allocator shortly after an analysis),
    // before anything asks for the whole generated text.
    Thread.sleep(forTimeInterval: 0.5)
    let analysed = LSPClient.residentMemory(of: client.pid)
    monitor.end("open and first analysis (from the server's start)")
    monitor.begin()
    // A request waits a bounded time for the analysis; ask again until the CLIF is there.
    var full = client.request("clifford/generatedClif", ["textDocument": ["uri": .string(uri)]])
    while full.message["result"] == nil, ContinuousClock.now - opened < .seconds(300) {
        full = client.request("clifford/generatedClif", ["textDocument": ["uri": .string(uri)]])
    }
    let fullMs = milliseconds((final?.arrival ?? full.arrival) - opened)
    let clifBytes = full.message["result"]?["text"]?.stringValue?.utf8.count ?? 0
    if let error = full.message["error"] { print("clifford/generatedClif failed: \(error.serialized())") }
    Thread.sleep(forTimeInterval: 0.5)
    let served = LSPClient.residentMemory(of: client.pid)
    monitor.end("serving the whole generated text")
    print("first diagnostics after didOpen: \(formatted(firstMs, digits: 0)) ms (\(first.message["params"]?["diagnostics"]?.arrayValue?.count ?? 0) diagnostics)")
    print("full analysis with translation (generated CLIF, \(formatted(Double(clifBytes) / 1_048_576, digits: 1)) MiB) ready: \(formatted(fullMs, digits: 0)) ms")
    func mebibytes(_ bytes: Int) -> String {
        "\(formatted(Double(bytes) / 1_048_576, digits: 0)) MiB = \(formatted(Double(bytes) / Double(text.utf8.count), digits: 1))× the file"
    }
    if let analysed {
        print("resident memory after analysis: \(mebibytes(analysed.current)); peak so far \(mebibytes(analysed.peak))")
    }
    if let served {
        print("after serving the whole generated text (clifford/generatedClif): resident \(mebibytes(served.current)); peak \(mebibytes(served.peak))")
    }
    var serveSamples: [Double] = []
    for _ in 0..<3 {
        let sent = ContinuousClock.now
        let again = client.request("clifford/generatedClif", ["textDocument": ["uri": .string(uri)]])
        if again.message["result"] != nil { serveSamples.append(milliseconds(again.arrival - sent)) }
    }
    print("clifford/generatedClif of the whole document (request to complete answer received): median \(formatted(percentile(serveSamples, 0.5), digits: 0)) ms, max \(formatted(serveSamples.max() ?? 0, digits: 0)) ms over \(serveSamples.count)")
    // Hovers sent right behind a whole-document request: answered while it is produced and written?
    var behindSamples: [Double] = []
    var answeredFirst = 0
    for (number, target) in instructionLines.prefix(3).enumerated() {
        let wholeID = JSONValue.string("whole-\(number)")
        client.send(["jsonrpc": "2.0", "id": wholeID, "method": "clifford/generatedClif", "params": ["textDocument": ["uri": .string(uri)]]])
        let sent = ContinuousClock.now
        let hover = client.request("textDocument/hover", ["textDocument": ["uri": .string(uri)],
                                                         "position": ["line": JSONValue(target.line), "character": JSONValue(target.column)]])
        behindSamples.append(milliseconds(hover.arrival - sent))
        if let whole = client.wait({ $0["id"] == wholeID }), hover.arrival < whole.arrival { answeredFirst += 1 }
    }
    print("hover sent right behind clifford/generatedClif: median \(formatted(percentile(behindSamples, 0.5), digits: 0)) ms, max \(formatted(behindSamples.max() ?? 0, digits: 0)) ms; answered before the document \(answeredFirst)/\(behindSamples.count)")

    // From here on, the peak is that of requests and re-analyses, not of the whole-text request.
    let peakReset = LSPClient.resetPeak(of: client.pid)

    let step = max(1, instructionLines.count / requests)
    let targets = stride(from: 0, to: instructionLines.count, by: step).prefix(requests).map { instructionLines[$0] }
    for method in ["textDocument/hover", "textDocument/definition", "clifford/clifAtPosition"] {
        monitor.begin()
        defer { monitor.end(method) }
        var samples: [Double] = []
        var empty = 0
        for target in targets {
            let sent = ContinuousClock.now
            let answer = client.request(method, ["textDocument": ["uri": .string(uri)],
                                                 "position": ["line": JSONValue(target.line), "character": JSONValue(target.column)]])
            samples.append(milliseconds(answer.arrival - sent))
            if answer.message["result"] == nil || answer.message["result"] == .null || answer.message["result"] == [] { empty += 1 }
        }
        print("\(method): p50 \(formatted(percentile(samples, 0.5))) ms, p99 \(formatted(percentile(samples, 0.99))) ms, max \(formatted(samples.max() ?? 0)) ms over \(samples.count) (\(empty) empty)")
    }

    Thread.sleep(forTimeInterval: 0.5)
    if let rss = LSPClient.residentMemory(of: client.pid) {
        print("resident memory after the requests: \(formatted(Double(rss.current) / 1_048_576, digits: 0)) MiB = \(formatted(Double(rss.current) / Double(text.utf8.count), digits: 1))×")
    }

    guard !constantLines.isEmpty else {
        print("lsp: no i32.const line to edit")
        return
    }
    var firstSamples: [Double] = []
    var finalSamples: [Double] = []
    var cpuSamples: [Double] = []
    let editStep = max(1, constantLines.count / edits)
    var version = 1
    var editTimes: [(sent: ContinuousClock.Instant, first: ContinuousClock.Instant, final: ContinuousClock.Instant)] = []
    monitor.begin()
    for target in stride(from: 0, to: constantLines.count, by: editStep).prefix(edits).map({ constantLines[$0] }) {
        version += 1
        let position: JSONValue = ["line": JSONValue(target.line), "character": JSONValue(target.column)]
        let end: JSONValue = ["line": JSONValue(target.line), "character": JSONValue(target.column + 1)]
        let sent = ContinuousClock.now
        let cpuBefore = LSPClient.cpuMilliseconds(of: client.pid)
        client.notify("textDocument/didChange", ["textDocument": ["uri": .string(uri), "version": JSONValue(version)],
                                                 "contentChanges": [["range": ["start": position, "end": end], "text": "7"]]])
        guard let preliminary = client.waitForDiagnostics(version: version, count: 1),
              let final = client.waitForDiagnostics(version: version, count: 2) else {
            print("lsp: no diagnostics for version \(version)")
            return
        }
        firstSamples.append(milliseconds(preliminary.arrival - sent))
        finalSamples.append(milliseconds(final.arrival - sent))
        editTimes.append((sent, preliminary.arrival, final.arrival))
        if let before = cpuBefore, let after = LSPClient.cpuMilliseconds(of: client.pid) { cpuSamples.append(after - before) }
    }
    monitor.end("edits of a constant")
    monitor.begin()
    print("after an edit inside one function (debounce 0, \(firstSamples.count) edits):")
    print("  first diagnostics of the new version: p50 \(formatted(percentile(firstSamples, 0.5), digits: 0)) ms, p99 \(formatted(percentile(firstSamples, 0.99), digits: 0)) ms")
    print("  server CPU time per edit (all threads, 10 ms ticks): p50 \(formatted(percentile(cpuSamples, 0.5), digits: 0)) ms, p99 \(formatted(percentile(cpuSamples, 0.99), digits: 0)) ms")
    print("  diagnostics with translation (final): p50 \(formatted(percentile(finalSamples, 0.5), digits: 0)) ms, p99 \(formatted(percentile(finalSamples, 0.99), digits: 0)) ms")
    // Edits that break one function (an unknown instruction inserted) and then fix it again.
    var breakSamples: [Double] = []
    var fixSamples: [Double] = []
    var breakFinalSamples: [Double] = []
    var missed = 0
    let broken = "i32.bogus "
    let breakStep = max(1, instructionLines.count / max(1, edits / 2))
    for target in stride(from: breakStep / 2, to: instructionLines.count, by: breakStep).prefix(max(1, edits / 2)).map({ instructionLines[$0] }) {
        let start: JSONValue = ["line": JSONValue(target.line), "character": JSONValue(target.column)]
        let end: JSONValue = ["line": JSONValue(target.line), "character": JSONValue(target.column + broken.utf8.count)]
        for (range, text) in [(["start": start, "end": start] as JSONValue, broken), (["start": start, "end": end] as JSONValue, "")] {
            version += 1
            let sent = ContinuousClock.now
            client.notify("textDocument/didChange", ["textDocument": ["uri": .string(uri), "version": JSONValue(version)],
                                                     "contentChanges": [["range": range, "text": .string(text)]]])
            guard let preliminary = client.waitForDiagnostics(version: version, count: 1),
                  let final = client.waitForDiagnostics(version: version, count: 2) else {
                print("lsp: no diagnostics for version \(version)")
                return
            }
            let found = preliminary.message["params"]?["diagnostics"]?.arrayValue?.isEmpty == false
            editTimes.append((sent, preliminary.arrival, final.arrival))
            if text.isEmpty {
                fixSamples.append(milliseconds(preliminary.arrival - sent))
                if found { missed += 1 }
            } else {
                breakSamples.append(milliseconds(preliminary.arrival - sent))
                breakFinalSamples.append(milliseconds(final.arrival - sent))
                if !found { missed += 1 }
            }
        }
    }
    print("after an edit that breaks one function (an unknown instruction inserted, \(breakSamples.count) edits), then fixes it:")
    print("  first diagnostics (the error shown): p50 \(formatted(percentile(breakSamples, 0.5), digits: 0)) ms, p99 \(formatted(percentile(breakSamples, 0.99), digits: 0)) ms; final: p50 \(formatted(percentile(breakFinalSamples, 0.5), digits: 0)) ms, p99 \(formatted(percentile(breakFinalSamples, 0.99), digits: 0)) ms")
    print("  first diagnostics after the fix (the error gone): p50 \(formatted(percentile(fixSamples, 0.5), digits: 0)) ms, p99 \(formatted(percentile(fixSamples, 0.99), digits: 0)) ms (\(missed) first publications wrong)")
    monitor.end("edits that break a function and fix it")
    monitor.begin()
    measureTyping(client: client, uri: uri, at: constantLines[constantLines.count / 3], version: &version)
    monitor.end("typing (debounce 0)")
    // The same at the default debounce, at a typist's pace.
    monitor.begin()
    measureTyping(client: client, uri: uri, at: constantLines[constantLines.count * 2 / 3], version: &version,
                  interval: .milliseconds(100), debounce: 150)
    monitor.end("typing (debounce 150 ms)")
    Thread.sleep(forTimeInterval: 0.5)
    if var rss = LSPClient.residentMemory(of: client.pid) {
        // Each phase reset the peak: the peak since the requests began is the largest phase's.
        rss.peak = max(rss.peak, monitor.largestPeak(afterPhase: 2))
        print("resident memory after the edits: \(formatted(Double(rss.current) / 1_048_576, digits: 0)) MiB = \(formatted(Double(rss.current) / Double(text.utf8.count), digits: 1))×; peak \(peakReset ? "during the requests and edits" : "overall") \(formatted(Double(rss.peak) / 1_048_576, digits: 0)) MiB = \(formatted(Double(rss.peak) / Double(text.utf8.count), digits: 1))×")
    }
    monitor.report(fileSize: text.utf8.count, open: final.map { (opened, first.arrival, $0.arrival) }, edits: editTimes)
    _ = client.request("shutdown", .null)
    client.notify("exit", .null)
}

private func milliseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
}

func percentile(_ samples: [Double], _ fraction: Double) -> Double {
    guard !samples.isEmpty else { return 0 }
    let sorted = samples.sorted()
    return sorted[min(sorted.count - 1, Int((Double(sorted.count) * fraction).rounded(.up)) - 1)]
}

/// A minimal LSP client over a child process's stdio: frames messages, and stamps each received
/// message with its arrival time on the reader thread.
final class LSPClient: Sendable {
    struct Received: Sendable {
        var message: JSONValue
        var arrival: ContinuousClock.Instant
    }

    private let process: Process
    private let input: FileHandle
    /// What the reader thread has received, shared with it.
    private final class Inbox: Sendable {
        let messages = Mutex<[Received]>([])
    }

    private let box = Inbox()
    private let signal = DispatchSemaphore(value: 0)
    private let nextID = Mutex(1)
    var pid: Int32 { process.processIdentifier }

    init(binary: String) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["serve"]
        let stdinPipe = Pipe()
        let stdoutPipe = Pipe()
        process.standardInput = stdinPipe
        process.standardOutput = stdoutPipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        input = stdinPipe.fileHandleForWriting
        let output = stdoutPipe.fileHandleForReading
        let thread = Thread { [box, signal] in
            var buffer: [UInt8] = []
            var start = 0
            while true {
                let data = output.availableData
                if data.isEmpty { break }
                buffer += data
                while let (header, body) = LSPClient.frame(buffer, from: start) {
                    if let json = try? JSONValue.parse(buffer[header..<body]) {
                        box.messages.withLock { $0.append(Received(message: json, arrival: .now)) }
                        signal.signal()
                    }
                    start = body
                }
                if start > 1 << 20 {
                    buffer.removeFirst(start)
                    start = 0
                }
            }
        }
        thread.start()
    }

    /// The body range of the next complete message in `buffer` after `start`.
    static func frame(_ buffer: [UInt8], from start: Int) -> (Int, Int)? {
        let separator: [UInt8] = [13, 10, 13, 10]
        var index = start
        while index + 4 <= buffer.count {
            if buffer[index] == 13 && Array(buffer[index..<index + 4]) == separator {
                let header = String(decoding: buffer[start..<index], as: UTF8.self).lowercased()
                guard let line = header.split(separator: "\r\n").first(where: { $0.hasPrefix("content-length:") }),
                      let length = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) else { return nil }
                let body = index + 4
                return body + length <= buffer.count ? (body, body + length) : nil
            }
            index += 1
        }
        return nil
    }

    func send(_ message: JSONValue) {
        let body = message.serializedBytes()
        try? input.write(contentsOf: Data(Array("Content-Length: \(body.count)\r\n\r\n".utf8) + body))
    }

    func notify(_ method: String, _ params: JSONValue) {
        send(["jsonrpc": "2.0", "method": .string(method), "params": params])
    }

    /// Sends a request and waits for its answer.
    func request(_ method: String, _ params: JSONValue) -> Received {
        let id = nextID.withLock { id in
            defer { id += 1 }
            return id
        }
        send(["jsonrpc": "2.0", "id": JSONValue(id), "method": .string(method), "params": params])
        return wait { $0["id"] == JSONValue(id) && $0["method"] == nil }!
    }

    /// The `count`-th `publishDiagnostics` of `version`.
    func waitForDiagnostics(version: Int, count: Int, seconds: Double = 120) -> Received? {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            let found = box.messages.withLock { received in
                received.filter { $0.message["method"] == "textDocument/publishDiagnostics"
                    && $0.message["params"]?["version"] == JSONValue(version) }
            }
            if found.count >= count { return found[count - 1] }
            if signal.wait(timeout: .now() + .milliseconds(100)) == .timedOut, Date() > deadline { return nil }
        }
    }

    /// The first received message satisfying `predicate`; messages are checked as they arrive.
    func wait(seconds: Double = 300, _ predicate: (JSONValue) -> Bool) -> Received? {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            if let found = box.messages.withLock({ $0.first { predicate($0.message) } }) { return found }
            if signal.wait(timeout: .now() + .milliseconds(100)) == .timedOut, Date() > deadline { return nil }
        }
    }

    func stop() {
        try? input.close()
        if process.isRunning { process.terminate() }
    }

    /// User plus system CPU time of a process so far, from `/proc/PID/stat`.
    static func cpuMilliseconds(of pid: Int32) -> Double? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        // After the command name: state is field 3; utime and stime are fields 14 and 15.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) * 1000 / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// Resets a process's peak resident memory (`VmHWM`) to its current value; false when the
    /// kernel does not allow it.
    static func resetPeak(of pid: Int32) -> Bool {
        guard let handle = FileHandle(forWritingAtPath: "/proc/\(pid)/clear_refs") else { return false }
        defer { try? handle.close() }
        return (try? handle.write(contentsOf: Data("5".utf8))) != nil
    }

    /// Current and peak resident memory in bytes, from `/proc/PID/status`.
    static func residentMemory(of pid: Int32) -> (current: Int, peak: Int)? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        func kilobytes(_ key: String) -> Int? {
            guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(key) }) else { return nil }
            return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
        }
        guard let current = kilobytes("VmRSS:"), let peak = kilobytes("VmHWM:") else { return nil }
        return (current * 1024, peak * 1024)
    }

    /// Runs a command and returns its standard output.
    static func run(_ binary: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
