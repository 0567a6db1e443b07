#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Listing and reading corpus files without Foundation, for the conformance tests and the
/// benchmarks.
public enum CorpusFiles {
    /// Every regular file below `directory` (at any depth) whose name ends in `suffix`, sorted.
    public static func list(under directory: String, suffix: String) -> [String] {
        var found: [String] = []
        var pending = [directory]
        while let current = pending.popLast() {
            guard let handle = opendir(current) else { continue }
            while let entry = readdir(handle) {
                let name = withUnsafePointer(to: entry.pointee.d_name) {
                    $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
                }
                if name == "." || name == ".." { continue }
                let path = current + "/" + name
                if TestEnvironment.isDirectory(path) {
                    pending.append(path)
                } else if name.hasSuffix(suffix) {
                    found.append(path)
                }
            }
            closedir(handle)
        }
        return found.sorted()
    }

    /// The whole file, or nil when it cannot be read.
    public static func read(_ path: String) -> [UInt8]? {
        guard let handle = fopen(path, "rb") else { return nil }
        defer { fclose(handle) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = fread(&buffer, 1, buffer.count, handle)
            if count <= 0 { break }
            bytes.append(contentsOf: buffer[0..<count])
        }
        return bytes
    }
}
