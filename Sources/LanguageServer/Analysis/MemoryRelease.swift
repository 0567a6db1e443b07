#if canImport(Glibc)
import Glibc
#endif

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

    /// Trims the allocator's free memory shortly after the analysis that superseded another one
    /// has finished (its task then no longer holds the previous analysis).
    static func afterAnalysis() {
        guard let trim else { return }
        Task.detached(priority: .background) {
            try? await Task.sleep(for: .milliseconds(100))
            _ = trim(0)
        }
    }
}
