#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Writes log lines to stderr and, when asked, to a log file. Never to stdout, which carries the
/// protocol. Safe to use from any thread.
public final class Logger: Sendable {
    /// How much a line matters; lines below the logger's level are dropped.
    public enum Level: Int, Sendable, Comparable {
        case debug, info, warning, error

        public static func < (lhs: Level, rhs: Level) -> Bool { lhs.rawValue < rhs.rawValue }

        var label: String {
            switch self {
            case .debug: "debug"
            case .info: "info"
            case .warning: "warning"
            case .error: "error"
            }
        }
    }

    private struct Sinks: ~Copyable {
        var file: UnsafeMutablePointer<FILE>?
        var toStderr: Bool
    }

    private let sinks: Mutex<Sinks>
    public let level: Level

    /// - Parameters:
    ///   - logFile: a path to append log lines to, or nil.
    ///   - toStderr: whether lines also go to stderr.
    public init(logFile: String? = nil, toStderr: Bool = true, level: Level = .info) {
        let file = logFile.flatMap { fopen($0, "a") }
        self.sinks = Mutex(Sinks(file: file, toStderr: toStderr))
        self.level = level
    }

    /// A logger that drops everything (for tests).
    public static let silent = Logger(toStderr: false, level: .error)

    public func log(_ level: Level, _ message: @autoclosure () -> String) {
        guard level >= self.level else { return }
        let line = "clifford \(level.label): \(message())\n"
        sinks.withLock { sinks in
            if sinks.toStderr {
                var copy = line
                copy.withUTF8 { bytes in _ = write(2, bytes.baseAddress, bytes.count) }
            }
            if let file = sinks.file {
                fputs(line, file)
                fflush(file)
            }
        }
    }

    public func debug(_ message: @autoclosure () -> String) { log(.debug, message()) }
    public func info(_ message: @autoclosure () -> String) { log(.info, message()) }
    public func warning(_ message: @autoclosure () -> String) { log(.warning, message()) }
    public func error(_ message: @autoclosure () -> String) { log(.error, message()) }

    deinit {
        sinks.withLock { sinks in
            if let file = sinks.file { fclose(file) }
        }
    }
}
