import Foundation
import JSON
import LanguageServer
import Synchronization
import TestSupport

/// The real `clifford` binary started over pipes, with a reader that frames and parses what it
/// writes on stdout. Tests talk LSP to it exactly as an editor does.
final class ServerProcess: Sendable {
    let process: Process
    private let input: FileHandle
    private let inbox = Inbox()

    /// What the reader thread has collected so far.
    private final class Inbox: Sendable {
        let received = Mutex<[JSONValue]>([])
        let unparsable = Mutex<Int>(0)
    }

    init(arguments: [String] = ["serve"]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TestEnvironment.cliffordBinary)
        process.arguments = arguments
        let stdinPipe = Pipe()
        let stdoutPipe = Pipe()
        process.standardInput = stdinPipe
        process.standardOutput = stdoutPipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.process = process
        self.input = stdinPipe.fileHandleForWriting
        let output = stdoutPipe.fileHandleForReading
        let thread = Thread { [inbox] in
            var framer = MessageFramer()
            while true {
                let data = output.availableData
                if data.isEmpty { break }
                framer.append(data)
                while let event = framer.next() {
                    guard case .message(let body) = event, let json = try? JSONValue.parse(body) else {
                        inbox.unparsable.withLock { $0 += 1 }
                        continue
                    }
                    inbox.received.withLock { $0.append(json) }
                }
            }
        }
        thread.start()
    }

    var messages: [JSONValue] { inbox.received.withLock { $0 } }
    var unparsableCount: Int { inbox.unparsable.withLock { $0 } }

    func sendRaw(_ bytes: [UInt8]) {
        try? input.write(contentsOf: Data(bytes))
    }

    func send(_ message: JSONValue) {
        sendRaw(MessageFramer.frame(message.serializedBytes()))
    }

    func request(_ id: JSONValue, _ method: String, _ params: JSONValue = [:]) {
        send(["jsonrpc": "2.0", "id": id, "method": .string(method), "params": params])
    }

    func notify(_ method: String, _ params: JSONValue = [:]) {
        send(["jsonrpc": "2.0", "method": .string(method), "params": params])
    }

    /// The first message satisfying `predicate`, waiting up to `seconds`.
    func wait(seconds: Double = 30, for predicate: (JSONValue) -> Bool) async -> JSONValue? {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        repeat {
            if let found = messages.first(where: predicate) { return found }
            try? await Task.sleep(for: .milliseconds(5))
        } while ContinuousClock.now < deadline
        return nil
    }

    func response(to id: JSONValue, seconds: Double = 30) async -> JSONValue? {
        await wait(seconds: seconds) { $0["id"] == id && ($0["result"] != nil || $0["error"] != nil) }
    }

    /// Sends `initialize` and `initialized`; returns the initialize result.
    func initialize(capabilities: JSONValue = [:]) async -> JSONValue? {
        request("init", "initialize", ["processId": .null, "rootUri": .null, "capabilities": capabilities])
        let answer = await response(to: "init")
        notify("initialized")
        return answer?["result"]
    }

    func closeInput() {
        try? input.close()
    }

    /// The exit status once the process has ended, or nil if it is still running after `seconds`.
    func exitStatus(within seconds: Double) async -> Int32? {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while process.isRunning {
            if ContinuousClock.now >= deadline { return nil }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return process.terminationStatus
    }

    deinit {
        if process.isRunning { process.terminate() }
    }
}
