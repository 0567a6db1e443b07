#if canImport(Glibc)
import Glibc
#endif

/// Whole-file reads and writes through the C library, shared by every subcommand.
enum FileIO {
    /// The file's bytes, read in chunks so that pipes and devices work too; nil when it cannot be read.
    static func read(_ path: String) -> [UInt8]? {
        guard let handle = fopen(path, "rb") else { return nil }
        defer { fclose(handle) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = fread(&buffer, 1, buffer.count, handle)
            if count <= 0 { break }
            bytes.append(contentsOf: buffer[0..<count])
        }
        return ferror(handle) == 0 ? bytes : nil
    }

    static func write(_ bytes: [UInt8], to path: String) -> Bool {
        guard let handle = fopen(path, "wb") else { return false }
        let written = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, handle) }
        return fclose(handle) == 0 && written == bytes.count
    }

    /// One line on standard error.
    static func printError(_ text: String) {
        writeAll(Array((text + "\n").utf8), descriptor: 2)
    }

    static func writeAll(_ bytes: [UInt8], descriptor: Int32) {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written <= 0 { return }
                offset += written
            }
        }
    }
}
