import Foundation
import Testing
import JSON
import LanguageServer
import SourceText
import TestSupport

/// `.clif` files on disk linked back to their `.wat`: written by the real `wasmtime compile
/// --emit-clif` (linked by folder naming), by `clifford translate --emit-clif` (linked by the
/// comment it writes last) or anywhere (linked by the `clifSources` setting). Definition and hover
/// on an `@offset` line reach the WAT instruction.
@Suite struct LinkedCLIFTests {
    static let source = MarkedSource("""
        (module
          (memory 1)
          (func $load (export "load") (param $p i32) (result i32)
            local.get $p
            1️⃣i32.load offset=8))
        """)

    /// The line of `text` holding `needle` and an `@offset`, as an LSP position at its start.
    func position(ofLineWith needle: String, in text: String) -> JSONValue? {
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where line.hasPrefix("@") && line.contains(needle) {
            return ["line": JSONValue(number), "character": 0]
        }
        return nil
    }

    func write(_ text: String, to path: String) throws {
        try FileManager.default.createDirectory(atPath: FileURI.directory(of: path), withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    func open(_ server: ServerProcess, _ uri: String, _ text: String, language: String) {
        server.notify("textDocument/didOpen", ["textDocument": [
            "uri": .string(uri), "languageId": .string(language), "version": 1, "text": .string(text)]])
    }

    func definition(_ server: ServerProcess, _ id: String, _ uri: String, _ position: JSONValue) async -> [JSONValue] {
        server.request(.string(id), "textDocument/definition", ["textDocument": ["uri": .string(uri)], "position": position])
        return await server.response(to: .string(id))?["result"]?.arrayValue ?? []
    }

    @Test func aFileWrittenByWasmtimeLinksBackByFolderNaming() async throws {
        guard let wasmtime = TestEnvironment.oracle("wasmtime") else {
            print("skipped: wasmtime oracle not installed (set CLIFFORD_TOOLS)")
            return
        }
        let directory = try E2E.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let watPath = directory + "/load.wat"
        try write(Self.source.text, to: watPath)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: wasmtime)
        process.arguments = ["compile", "-O", "opt-level=0", "--emit-clif", directory + "/load-clif", watPath,
                             "-o", directory + "/load.cwasm"]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let clifPath = directory + "/load-clif/wasm[0]--function[0]--load.clif"
        let clif = try String(contentsOfFile: clifPath, encoding: .utf8)
        #expect(clif.hasPrefix(";; Intermediate Representation of function <wasm[0]::function[0]::load>:"))

        let server = try ServerProcess()
        _ = await server.initialize(capabilities: ["general": ["positionEncodings": ["utf-16"]]])
        let clifURI = FileURI.uri(forPath: clifPath)
        #expect(clifURI.contains("%5B0%5D"))
        open(server, clifURI, clif, language: "clif")
        let line = try #require(position(ofLineWith: "load.i32", in: clif))
        let targets = await definition(server, "a", clifURI, line)
        #expect(targets.count == 1)
        #expect(targets.first?["uri"] == .string(FileURI.uri(forPath: watPath)))
        #expect(targets.first?["range"]?["start"] == E2E.position(Self.source, "1️⃣"))

        server.request("hover", "textDocument/hover", ["textDocument": ["uri": .string(clifURI)], "position": line])
        let hover = await server.response(to: "hover")?["result"]?["contents"]?["value"]?.stringValue ?? ""
        #expect(hover.contains("i32.load offset=8"), "\(hover)")
        #expect(hover.contains("load.wat line 5"), "\(hover)")

        // A value still goes to its definition inside the CLIF file.
        let lines = clif.split(separator: "\n", omittingEmptySubsequences: false)
        let returnLine = try #require(lines.firstIndex { $0.contains("return v") })
        let column = try #require(lines[returnLine].range(of: "return v")).upperBound
        let valueColumn = lines[returnLine].utf16.distance(from: lines[returnLine].startIndex, to: column)
        let local = await definition(server, "b", clifURI, ["line": JSONValue(returnLine), "character": JSONValue(valueColumn)])
        #expect(local.first?["uri"] == .string(clifURI), "\(local)")
    }

    @Test func aFileWrittenByCliffordLinksBackByItsComment() async throws {
        let directory = try E2E.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let watPath = directory + "/sources/load.wat"
        try write(Self.source.text, to: watPath)
        _ = try E2E.runClifford(["translate", "--emit-clif", directory + "/out", watPath])
        let clifPath = directory + "/out/wasm[0]--function[0]--load.clif"
        let clif = try String(contentsOfFile: clifPath, encoding: .utf8)
        #expect(clif.hasPrefix(";; Intermediate Representation of function <wasm[0]::function[0]::load>:"))
        #expect(clif.hasSuffix("}\n;; clifford source: ../sources/load.wat\n"), "\(clif.suffix(80))")

        let server = try ServerProcess()
        _ = await server.initialize(capabilities: ["general": ["positionEncodings": ["utf-16"]]])
        // The WAT is open, with an unsaved comment line on top: the open text wins.
        let watURI = "file://" + watPath
        open(server, watURI, ";; edited\n" + Self.source.text, language: "wat")
        let clifURI = FileURI.uri(forPath: clifPath)
        open(server, clifURI, clif, language: "clif")
        let line = try #require(position(ofLineWith: "load.i32", in: clif))
        let targets = await definition(server, "a", clifURI, line)
        #expect(targets.first?["uri"] == .string(watURI))
        let start = E2E.position(Self.source, "1️⃣")
        #expect(targets.first?["range"]?["start"]?["line"]?.intValue == (start["line"]?.intValue ?? 0) + 1, "\(targets)")
    }

    @Test func theClifSourcesSettingLinksAnyFolder() async throws {
        let directory = try E2E.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let watPath = directory + "/load.wat"
        try write(Self.source.text, to: watPath)
        let full = try E2E.runClifford(["translate", watPath])
        let clifPath = directory + "/elsewhere/load-functions.clif"
        try write(full, to: clifPath)
        let clifURI = FileURI.uri(forPath: clifPath)
        let line = try #require(position(ofLineWith: "load.i32", in: full))

        let unlinked = try ServerProcess()
        _ = await unlinked.initialize(capabilities: ["general": ["positionEncodings": ["utf-16"]]])
        open(unlinked, clifURI, full, language: "clif")
        #expect(await definition(unlinked, "a", clifURI, line).isEmpty)

        let linked = try await E2E.server(opening: full, uri: clifURI, languageID: "clif", initializationOptions: [
            "clifSources": [FileURI.uri(forPath: directory + "/elsewhere"): .string(watPath)]])
        let targets = await definition(linked, "b", clifURI, line)
        #expect(targets.first?["uri"] == .string(FileURI.uri(forPath: watPath)), "\(targets)")
        #expect(targets.first?["range"]?["start"] == E2E.position(Self.source, "1️⃣"))
    }
}
