import Foundation
import JSON
import SourceText
import TestSupport

/// Helpers shared by the end-to-end tests that need documents, positions and CLI runs.
enum E2E {
    /// A server with `text` open as `uri` (version 1).
    static func server(opening text: String, uri: String, languageID: String = "wat",
                       capabilities: JSONValue = ["general": ["positionEncodings": ["utf-16"]]],
                       initializationOptions: JSONValue? = nil) async throws -> ServerProcess {
        let server = try ServerProcess()
        var params: JSONObject = ["processId": .null, "rootUri": .null, "capabilities": capabilities]
        if let initializationOptions { params["initializationOptions"] = initializationOptions }
        server.request("init", "initialize", .object(params))
        _ = await server.response(to: "init")
        server.notify("initialized")
        server.notify("textDocument/didOpen", ["textDocument": [
            "uri": .string(uri), "languageId": .string(languageID), "version": 1, "text": .string(text)]])
        return server
    }

    /// The LSP position (UTF-16) of a marker.
    static func position(_ source: MarkedSource, _ marker: String) -> JSONValue {
        source.sourceFile.position(of: source[marker], encoding: .utf16).json
    }

    /// Runs the `clifford` binary with `arguments` and returns its standard output.
    static func runClifford(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TestEnvironment.cliffordBinary)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    /// A fresh temporary directory, removed by the caller.
    static func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("clifford-e2e-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// The text an LSP range (UTF-16) covers in `text`.
    static func slice(_ text: String, _ range: JSONValue?) -> String? {
        guard let range, let start = position(range["start"]), let end = position(range["end"]) else { return nil }
        let file = SourceFile(text)
        return String(file[file.textRange(of: PositionRange(start: start, end: end), encoding: .utf16)])
    }

    static func position(_ json: JSONValue?) -> Position? {
        guard let line = json?["line"]?.intValue, let character = json?["character"]?.intValue else { return nil }
        return Position(line: line, character: character)
    }
}
