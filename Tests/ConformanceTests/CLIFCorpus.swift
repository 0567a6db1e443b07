#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// File helpers for the CLIF conformance tests.
enum CLIFCorpus {
    /// Every regular file under `directory` whose name ends in `suffix`, sorted.
    static func files(under directory: String, suffix: String) -> [String] {
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
                var info = stat()
                guard stat(path, &info) == 0 else { continue }
                if (info.st_mode & S_IFMT) == S_IFDIR {
                    pending.append(path)
                } else if name.hasSuffix(suffix) {
                    found.append(path)
                }
            }
            closedir(handle)
        }
        return found.sorted()
    }

    static func read(_ path: String) -> [UInt8]? {
        guard let handle = fopen(path, "rb") else { return nil }
        defer { fclose(handle) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = fread(&buffer, 1, buffer.count, handle)
            if count <= 0 { break }
            bytes.append(contentsOf: buffer[0..<count])
        }
        return bytes
    }

    /// The expected CLIF at the end of a disas `.wat` file: the trailing `;;` lines with the
    /// prefix and one optional space removed, trimmed.
    static func expectedCLIF(ofDisasFile text: String) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var end = lines.count
        while end > 0 && lines[end - 1].isEmpty { end -= 1 }
        var start = end
        while start > 0 && lines[start - 1].hasPrefix(";;") && !lines[start - 1].hasPrefix(";;!") { start -= 1 }
        let body = lines[start..<end].map { line -> String in
            var rest = line.dropFirst(2)
            if rest.hasPrefix(" ") { rest = rest.dropFirst() }
            return String(rest)
        }
        return body.joined(separator: "\n").trimmingWhitespace()
    }
}

extension String {
    func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
