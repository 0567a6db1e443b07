import Foundation
import SourceText
import TestSupport
import WAT

/// Helpers for the spec-suite conformance of the text front end: the spec scripts, the modules
/// wasm-tools writes for them (`wasm-tools json-from-wast`), and where each module starts.
enum WATSpec {
    /// Runs a tool; returns its exit status.
    @discardableResult
    static func run(_ tool: String, _ arguments: [String]) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return -1 }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// One module wasm-tools wrote for a script: the command, the line of its `(module`, and the
    /// `.wasm` it encoded.
    struct OracleModule {
        var command: String
        var line: Int
        var bytes: [UInt8]
    }

    /// The binary modules `wasm-tools json-from-wast` writes for a script, or nil when it rejects
    /// the script.
    static func oracleModules(for file: String, tool: String, scratch: String) -> [OracleModule]? {
        try? FileManager.default.removeItem(atPath: scratch)
        try? FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let json = scratch + "/script.json"
        guard run(tool, ["json-from-wast", file, "-o", json, "--wasm-dir", scratch]) == 0,
              let data = FileManager.default.contents(atPath: json) else { return nil }
        let text = String(decoding: data, as: UTF8.self)
        var modules: [OracleModule] = []
        // Each command object starts `{"type":"…","line":N` and names its module `"filename":"….wasm"`.
        let commands = text.components(separatedBy: "{\"type\":\"")
        for command in commands.dropFirst() {
            guard let filenameRange = command.range(of: "\"filename\":\"") else { continue }
            let type = String(command.prefix { $0 != "\"" })
            let afterName = command[filenameRange.upperBound...]
            let filename = String(afterName.prefix { $0 != "\"" })
            guard filename.hasSuffix(".wasm"),
                  let lineRange = command.range(of: "\"line\":") else { continue }
            let line = Int(command[lineRange.upperBound...].prefix { $0.isNumber }) ?? 0
            guard let bytes = FileManager.default.contents(atPath: scratch + "/" + filename) else { continue }
            modules.append(OracleModule(command: type, line: line, bytes: [UInt8](bytes)))
        }
        return modules
    }

    /// Every module of a parsed script with the command it belongs to.
    static func modules(of script: ScriptSyntax) -> [(command: String, module: ScriptModuleSyntax)] {
        var result: [(String, ScriptModuleSyntax)] = []
        for command in script.commands {
            switch command {
            case .module(let module): result.append((module.isDefinition ? "module_definition" : "module", module))
            case .assertion(let assertion):
                if let module = assertion.module { result.append((assertion.keyword, module)) }
            default: break
            }
        }
        return result
    }

    /// The module's binary as clifford produces it, and all diagnostics on the way.
    static func compile(_ module: ScriptModuleSyntax) -> (bytes: [UInt8], diagnostics: [Diagnostic]) {
        let result = WAT.compile(module)
        return (result.bytes, result.diagnostics)
    }
}
