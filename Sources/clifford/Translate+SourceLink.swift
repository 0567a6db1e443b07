#if canImport(Glibc)
import Glibc
#endif
import LanguageServer

extension Translate {
    /// The line `--emit-clif` appends to each file (its first line stays Wasmtime's): where the
    /// module is, relative to the folder, so that the language server links the CLIF back to it.
    func sourceLinkComment(directory: String) -> String? {
        guard let folder = Self.absolutePath(directory), let module = Self.absolutePath(file) else { return nil }
        return CLIFSourceLink.comment(source: FileURI.relativePath(from: folder, to: module))
    }

    static func absolutePath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
