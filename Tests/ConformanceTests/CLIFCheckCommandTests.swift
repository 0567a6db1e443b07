import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `clifford check` on real files: output lines, summary and exit status.
@Suite struct CLIFCheckCommandTests {
    /// Runs the built `clifford` with `arguments`; nil when the binary is missing.
    func run(_ arguments: [String]) -> (status: Int32, output: String)? {
        let binary = TestEnvironment.cliffordBinary
        guard access(binary, X_OK) == 0 else { return nil }
        var pipeEnds: [Int32] = [0, 0]
        guard pipe(&pipeEnds) == 0 else { return nil }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawn_file_actions_adddup2(&actions, pipeEnds[1], 1)
        posix_spawn_file_actions_addclose(&actions, pipeEnds[0])
        let argv = ([binary, "check"] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, binary, &actions, nil, argv, environ)
        posix_spawn_file_actions_destroy(&actions)
        close(pipeEnds[1])
        guard spawned == 0 else {
            close(pipeEnds[0])
            return nil
        }
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(pipeEnds[0], &buffer, buffer.count)
            if count <= 0 { break }
            output += buffer[0..<count]
        }
        close(pipeEnds[0])
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        return ((status >> 8) & 0xff, String(decoding: output, as: UTF8.self))
    }

    func write(_ text: String, to name: String) -> String {
        let path = "/tmp/clifford-check-\(getpid())-\(name)"
        let handle = fopen(path, "wb")
        _ = text.withCString { fputs($0, handle) }
        fclose(handle)
        return path
    }

    @Test func reportsVerifierErrorsAndExitsWithOne() throws {
        let bad = write("""
        function %f(i32) -> i32 {
        block0(v0: i32):
            v1 = iadd v0, v9
            return v1
        }
        """, to: "bad.clif")
        let good = write("""
        function %g() {
        block0:
            return
        }
        """, to: "good.clif")
        defer { unlink(bad); unlink(good) }
        guard let result = run([good, bad]) else {
            print("skipped: clifford binary not built at \(TestEnvironment.cliffordBinary)")
            return
        }
        #expect(result.status == 1)
        #expect(result.output == """
        \(bad):3:19: error: invalid value reference v9 [clif-verifier]
        checked 2 files: 1 error, 0 warnings

        """)
    }

    @Test func quietOnSuccessAndRejectsUnknownKinds() throws {
        let good = write("function %g() {\nblock0:\n    return\n}\n", to: "ok.clif")
        defer { unlink(good) }
        guard let clean = run([good]), let unknown = run([good, "notes.txt"]) else {
            print("skipped: clifford binary not built at \(TestEnvironment.cliffordBinary)")
            return
        }
        #expect(clean.status == 0)
        #expect(clean.output == "checked 1 file: 0 errors, 0 warnings\n")
        #expect(unknown.status == 1)
        #expect(unknown.output.hasPrefix("notes.txt: error: unsupported file kind '.txt'"))
    }
}
