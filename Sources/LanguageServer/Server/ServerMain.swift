#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs the language server on stdin/stdout until the client sends `exit` or closes stdin, and
/// returns the process exit code.
public enum ServerMain {
    public static func run(version: String, logFile: String?) async -> Int32 {
        // A client that goes away must not kill us mid-write: writes then fail with EPIPE instead.
        signal(SIGPIPE, SIG_IGN)
        MemoryRelease.configureAllocator()
        let logger = Logger(logFile: logFile)
        let output = FileDescriptorSink(descriptor: 1)
        let server = LanguageServer(sink: output, logger: logger,
                                    info: ServerInfo(version: version), services: LanguageServices.standard)
        var framer = MessageFramer()
        for await chunk in StdinReader.chunks(descriptor: 0) {
            framer.append(chunk)
            while let event = framer.next() {
                switch event {
                case .message(let body):
                    await server.receive(body: body)
                case .headerError(let reason):
                    logger.warning("unreadable message header (\(reason)); skipping to the next Content-Length")
                }
                if let code = await server.exitCode {
                    await output.flush()
                    return code
                }
            }
        }
        logger.info("stdin closed; exiting")
        await output.flush()
        return await server.exitCodeAtEndOfInput
    }
}
