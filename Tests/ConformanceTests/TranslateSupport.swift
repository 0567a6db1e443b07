import CLIF
import Foundation
import TestSupport
import Wasm
import WasmToCLIF

/// Shared helpers of the translator conformance tests: running oracles, reading disas headers,
/// and printing translated modules the way Wasmtime's disas harness does.
enum TranslateSupport {
    /// Runs a tool and returns its exit status and standard output.
    static func run(_ tool: String, _ arguments: [String]) -> (status: Int32, output: Data) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return (-1, Data()) }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, data)
    }

    /// The binary `wasm-tools parse` makes of a text module.
    static func assemble(_ path: String, wasmTools: String) -> [UInt8]? {
        let output = NSTemporaryDirectory() + "clifford-translate-\(getpid())-\(UUID().uuidString).wasm"
        defer { try? FileManager.default.removeItem(atPath: output) }
        let result = run(wasmTools, ["parse", path, "-o", output])
        guard result.status == 0, let data = FileManager.default.contents(atPath: output) else { return nil }
        return [UInt8](data)
    }

    /// The `;;!` header of a disas test: test kind, target, and the flag words.
    struct DisasHeader {
        var kind = "clif"
        var target = "x86_64"
        var flags: [String] = []
    }

    static func header(of text: String) -> DisasHeader {
        var header = DisasHeader()
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            .prefix { $0.hasPrefix(";;!") }.map { String($0.dropFirst(3)) }
        func quoted(_ text: String) -> [String] {
            var result: [String] = []
            var current: String?
            var quote: Character = "\""
            for character in text {
                if let value = current {
                    if character == quote { result.append(value); current = nil } else { current = value + String(character) }
                } else if character == "\"" || character == "'" {
                    quote = character
                    current = ""
                }
            }
            return result
        }
        var index = 0
        while index < lines.count {
            let line = lines[index]
            index += 1
            guard let equal = line.firstIndex(of: "=") else { continue }
            let key = line[..<equal].trimmingCharacters(in: .whitespaces)
            var value = String(line[line.index(after: equal)...])
            if value.trimmingCharacters(in: .whitespaces).hasPrefix("[") {
                while !value.contains("]") && index < lines.count {
                    value += "\n" + lines[index]
                    index += 1
                }
            }
            let strings = quoted(value)
            switch key {
            case "test": header.kind = strings.first ?? header.kind
            case "target": header.target = strings.first ?? header.target
            case "flags": header.flags = strings.flatMap { $0.split(separator: " ").map(String.init) }
            default: break
            }
        }
        return header
    }

    /// The functions of `text` (one CLIF function each), split at `function` lines and trimmed.
    static func functionChunks(_ text: String) -> [String] {
        var chunks: [String] = []
        var current: [Substring] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("function ") && !current.isEmpty {
                chunks.append(current.joined(separator: "\n").trimmingWhitespace())
                current = []
            }
            current.append(line)
        }
        if !current.isEmpty { chunks.append(current.joined(separator: "\n").trimmingWhitespace()) }
        return chunks.filter { !$0.isEmpty }
    }

    /// The translated functions in Wasmtime's emit-clif file order.
    static func sortedByFileName(_ functions: [TranslatedFunction]) -> [TranslatedFunction] {
        functions.sorted { Array($0.fileName.utf8).lexicographicallyPrecedes(Array($1.fileName.utf8)) }
    }

    /// Line-level first difference, for failure listings.
    static func firstDifference(_ actual: String, _ expected: String) -> String {
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        for i in 0..<max(a.count, e.count) {
            let left = i < a.count ? String(a[i]) : "<end>"
            let right = i < e.count ? String(e[i]) : "<end>"
            if left != right { return "line \(i + 1):\n      got      \(left)\n      expected \(right)" }
        }
        return "identical"
    }
}
