#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SourceText

/// How a `.clif` file on disk names the WAT module it was translated from, so that its `@offset`
/// lines lead back to the WAT instructions (protocol/README.md, "CLIF files on disk"). In order:
/// 1. the setting `clifSources`: a `.clif` URI, or the URI of a folder holding it, → a WAT URI;
/// 2. a comment line `;; clifford source: <path>` among the file's last 16 lines (`clifford
///    translate --emit-clif` writes it as the last line), the path relative to the file's folder;
/// 3. folder naming: a file in folder `D` (e.g. `wasmtime compile --emit-clif D m.wat`) belongs to
///    `D.wat` or `D.wast` beside that folder, also with a `.clif`, `-clif` or `_clif` suffix
///    taken off `D` (`m-clif/` → `m.wat`).
public enum CLIFSourceLink {
    public static let commentPrefix = ";; clifford source: "

    /// The comment line naming `source`, a path relative to the CLIF file's folder.
    public static func comment(source: String) -> String { commentPrefix + source }

    /// The WAT document a `.clif` document links to: its URI when it is among `openURIs`
    /// (matched by path), else a `file:` URI of a file that exists.
    public static func source(ofCLIF uri: String, file: SourceFile, settings: [String: String],
                              openURIs: [String]) -> String? {
        for candidate in candidates(ofCLIF: uri, file: file, settings: settings) {
            if let open = openURIs.first(where: { $0 == candidate || (FileURI.path(of: $0).map { FileURI.normalized($0) } == FileURI.path(of: candidate)) }) {
                return open
            }
            if let path = FileURI.path(of: candidate), access(path, R_OK) == 0 { return candidate }
        }
        return nil
    }

    /// The candidate WAT URIs, best first, whether or not they exist.
    static func candidates(ofCLIF uri: String, file: SourceFile, settings: [String: String]) -> [String] {
        var result: [String] = []
        let clifPath = FileURI.path(of: uri).map(FileURI.normalized)
        // 1. The setting: the longest matching key wins.
        let matching = settings.filter { key, _ in
            let keyPath = asPath(key)
            if let keyPath, let clifPath { return clifPath == keyPath || clifPath.hasPrefix(keyPath + "/") }
            return uri == key || uri.hasPrefix(key.hasSuffix("/") ? key : key + "/")
        }
        if let best = matching.max(by: { $0.key.count < $1.key.count }) {
            result.append(asPath(best.value).map(FileURI.uri(forPath:)) ?? best.value)
        }
        guard let clifPath else { return result }
        let folder = FileURI.directory(of: clifPath)
        // 2. The comment clifford writes.
        if let written = commentedSource(in: file) {
            let path = written.hasPrefix("/") ? written : folder + "/" + written
            result.append(FileURI.uri(forPath: FileURI.normalized(path)))
        }
        // 3. Folder naming.
        let parent = FileURI.directory(of: folder)
        let name = folder.split(separator: "/").last.map(String.init) ?? ""
        var bases = [name]
        for suffix in [".clif", "-clif", "_clif"] where name.hasSuffix(suffix) && name.count > suffix.count {
            bases.append(String(name.dropLast(suffix.count)))
        }
        for base in bases {
            for ext in [".wat", ".wast"] {
                result.append(FileURI.uri(forPath: FileURI.normalized(parent + "/" + base + ext)))
            }
        }
        return result
    }

    /// The path in a `;; clifford source:` comment among the last 16 lines.
    static func commentedSource(in file: SourceFile) -> String? {
        var line = file.lineCount - 1
        while line >= max(0, file.lineCount - 16) {
            let text = file[file.contentRange(ofLine: line)]
            if text.hasPrefix(commentPrefix) {
                let path = String(text.dropFirst(commentPrefix.count)).trimmingWhitespace()
                return path.isEmpty ? nil : path
            }
            line -= 1
        }
        return nil
    }

    /// A setting's key or value as a normalised path: `file:` URIs and absolute paths.
    static func asPath(_ text: String) -> String? {
        if text.hasPrefix("/") { return FileURI.normalized(text) }
        return FileURI.path(of: text).map(FileURI.normalized)
    }
}
