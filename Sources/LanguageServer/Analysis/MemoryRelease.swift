#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Gives freed memory back to the system after an analysis replaced an older one. A large
/// document's analysis frees hundreds of MiB at once; glibc's allocator keeps such memory in its
/// arenas (resident) unless asked to trim them with `malloc_trim`, which Swift's Glibc module
/// does not export, so it is looked up at run time.
enum MemoryRelease {
    private typealias Trim = @convention(c) (Int) -> Int32

    private static let trim: Trim? = {
        #if canImport(Glibc)
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return nil }
        return unsafeBitCast(symbol, to: Trim.self)
        #else
        return nil
        #endif
    }()

    /// The trim waiting to run, if any.
    private static let pending = Mutex<Task<Void, Never>?>(nil)

    /// Trims the allocator's free memory shortly after the analysis that superseded another one
    /// has finished (its task then no longer holds the previous analysis), unless another analysis
    /// starts first.
    static func afterAnalysis() {
        guard let trim else { return }
        let task = Task.detached(priority: .background) {
            try? await Task.sleep(for: .milliseconds(100))
            if Task.isCancelled { return }
            _ = trim(0)
        }
        pending.withLock { waiting in
            waiting?.cancel()
            waiting = task
        }
    }

    /// Called when an analysis starts: a trim then would hold the allocator while the analysis
    /// allocates (and give back pages it is about to take again); the analysis trims when done.
    static func postpone() {
        pending.withLock { waiting in
            waiting?.cancel()
            waiting = nil
        }
    }
}
