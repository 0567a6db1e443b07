import Foundation
import Synchronization

/// Follows the language server's resident memory during the LSP benchmark: a thread reads
/// `/proc/PID/statm` every few milliseconds, and each phase (open, each request kind, each kind
/// of edit) also resets and reads the kernel's exact peak (`VmHWM`), which catches spikes
/// shorter than the sampling period. An edit's samples are split at its first diagnostics, so
/// the fast path and the full analysis that follows get their own maxima.
final class ServerMemoryMonitor: Sendable {
    struct Sample: Sendable {
        var time: ContinuousClock.Instant
        var resident: Int
    }

    /// One phase's exact peak, as `VmHWM` reported it at the phase's end.
    struct Phase: Sendable {
        var name: String
        var peak: Int
    }

    private let pid: Int32
    private let samples = Mutex<[Sample]>([])
    private let phases = Mutex<[Phase]>([])
    private let running = Atomic<Bool>(true)
    private let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))

    init(pid: Int32, every period: Duration = .milliseconds(2)) {
        self.pid = pid
        let thread = Thread { [self] in
            while running.load(ordering: .relaxed) {
                if let resident = residentNow() {
                    samples.withLock { $0.append(Sample(time: .now, resident: resident)) }
                }
                Thread.sleep(forTimeInterval: Double(period.components.attoseconds) / 1e18)
            }
        }
        thread.start()
    }

    func stop() {
        running.store(false, ordering: .relaxed)
    }

    /// Resident bytes, from `/proc/PID/statm` (cheaper to read than `status`).
    private func residentNow() -> Int? {
        guard let statm = try? String(contentsOfFile: "/proc/\(pid)/statm", encoding: .utf8) else { return nil }
        let fields = statm.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return nil }
        return pages * pageSize
    }

    /// Starts a phase: the kernel's peak is reset to the current resident memory.
    func begin() {
        _ = LSPClient.resetPeak(of: pid)
    }

    /// Ends a phase begun with `begin()` and records its exact peak.
    func end(_ name: String) {
        guard let peak = LSPClient.residentMemory(of: pid)?.peak else { return }
        phases.withLock { $0.append(Phase(name: name, peak: peak)) }
    }

    /// The largest exact peak of the phases recorded after the first `count`.
    func largestPeak(afterPhase count: Int) -> Int {
        phases.withLock { $0.dropFirst(count).map(\.peak).max() ?? 0 }
    }

    /// The largest sampled resident memory in `[from, to]`.
    func sampledMaximum(from: ContinuousClock.Instant, to: ContinuousClock.Instant) -> Int {
        samples.withLock { all in
            all.lazy.filter { $0.time >= from && $0.time <= to }.map(\.resident).max() ?? 0
        }
    }

    /// Prints every phase's exact peak and, for edits, the sampled maxima before and after the
    /// first diagnostics.
    func report(fileSize: Int, open: (sent: ContinuousClock.Instant, first: ContinuousClock.Instant, final: ContinuousClock.Instant)?,
                edits: [(sent: ContinuousClock.Instant, first: ContinuousClock.Instant, final: ContinuousClock.Instant)]) {
        func describe(_ bytes: Int) -> String {
            "\(formatted(Double(bytes) / 1_048_576, digits: 0)) MiB = \(formatted(Double(bytes) / Double(fileSize), digits: 1))×"
        }
        print("peak resident memory per phase (VmHWM reset at each phase's start):")
        for phase in phases.withLock({ $0 }) {
            print("  \(phase.name): \(describe(phase.peak))")
        }
        if let open {
            print("  sampled during the open: until the first diagnostics max \(describe(sampledMaximum(from: open.sent, to: open.first))),"
                + " then until the final ones max \(describe(sampledMaximum(from: open.first, to: open.final)))")
        }
        guard !edits.isEmpty else { return }
        let fast = edits.map { sampledMaximum(from: $0.sent, to: $0.first) }
        let full = edits.map { sampledMaximum(from: $0.first, to: $0.final) }
        let count = samples.withLock { $0.count }
        print("  sampled every 2 ms (\(count) samples), per edit: until its first diagnostics max \(describe(fast.max() ?? 0)), median \(describe(Int(percentile(fast.map(Double.init), 0.5))))")
        print("    from its first to its final diagnostics (the full analysis): max \(describe(full.max() ?? 0)), median \(describe(Int(percentile(full.map(Double.init), 0.5))))")
    }
}
