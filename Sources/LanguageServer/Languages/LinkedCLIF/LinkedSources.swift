#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SourceText
import WasmToCLIF

/// Analyses of WAT modules that `.clif` files link to but that are not open in the editor: read
/// from disk and analysed on first use, kept while the file's size and modification time and the
/// translation settings stay the same.
public actor LinkedSources {
    struct Entry {
        var stamp: [Int]
        var tunables: Tunables
        var analysis: WATAnalysis
    }

    var entries: [String: Entry] = [:]
    /// A few modules are kept at most; the oldest goes first.
    var order: [String] = []
    static let capacity = 8

    public init() {}

    /// The analysis of the WAT file at `uri`, or nil when it cannot be read.
    func analysis(uri: String, service: WATService) async throws -> WATAnalysis? {
        guard let path = FileURI.path(of: uri) else { return nil }
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        let stamp = [Int(info.st_size), Int(info.st_mtim.tv_sec), Int(info.st_mtim.tv_nsec)]
        if let entry = entries[uri], entry.stamp == stamp, entry.tunables == service.tunables { return entry.analysis }
        guard let bytes = Self.read(path) else { return nil }
        let language: DocumentLanguage = path.hasSuffix(".wast") ? .wast : .wat
        let snapshot = DocumentSnapshot(uri: uri, language: language, version: 0, file: SourceFile(utf8: bytes))
        guard let analysis = try await service.analyze(snapshot, previous: entries[uri]?.analysis) as? WATAnalysis else { return nil }
        entries[uri] = Entry(stamp: stamp, tunables: service.tunables, analysis: analysis)
        order.removeAll { $0 == uri }
        order.append(uri)
        while order.count > Self.capacity { entries[order.removeFirst()] = nil }
        return analysis
    }

    static func read(_ path: String) -> [UInt8]? {
        guard let file = fopen(path, "rb") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = fread(&buffer, 1, buffer.count, file)
            if count > 0 { bytes += buffer[0..<count] }
            if count < buffer.count { break }
        }
        return ferror(file) == 0 ? bytes : nil
    }
}
