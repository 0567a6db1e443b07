#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where tests find the shared corpus, the oracle tools and the built binaries.
public enum TestEnvironment {
    /// The package root, found from this file's path.
    public static let packageRoot: String = {
        var path = #filePath
        for _ in 0..<3 { path = parent(of: path) }
        return path
    }()

    /// `$CLIFFORD_CORPUS`, or `../shared/corpus` beside the package; nil when that folder is absent
    /// (tests then skip and say so).
    public static var corpus: String? {
        let candidate = environment("CLIFFORD_CORPUS") ?? packageRoot + "/../shared/corpus"
        return isDirectory(candidate) ? candidate : nil
    }

    /// A tool from the local virtual environment `.tools/venv/bin` that `.ci/run` prepares
    /// (`wasm-tools`, `wasmtime`, `nvim`), or nil when it is not installed.
    public static func oracle(_ name: String) -> String? {
        let path = (environment("CLIFFORD_TOOLS") ?? packageRoot + "/.tools/venv/bin") + "/" + name
        return access(path, X_OK) == 0 ? path : nil
    }

    /// The directory holding the running test binary, which is also where SwiftPM puts `clifford`.
    public static var productsDirectory: String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard count > 0 else { return packageRoot + "/.build/debug" }
        let exe = String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        // Inside an .xctest bundle on Linux the binary sits directly in the products directory.
        return parent(of: exe)
    }

    /// The built `clifford` executable.
    public static var cliffordBinary: String {
        environment("CLIFFORD_BIN") ?? productsDirectory + "/clifford"
    }

    public static func environment(_ name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        let string = String(cString: value)
        return string.isEmpty ? nil : string
    }

    public static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return String(path[..<slash])
    }
}
