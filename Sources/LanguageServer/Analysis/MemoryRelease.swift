#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Gives freed memory back to the system after an analysis replaced an older one, after a large
/// message and after a function was translated again for a request. A large document's analysis
/// frees hundreds of MiB at once; glibc's allocator keeps such memory in its arenas (resident)
/// unless asked to trim them with `malloc_trim`, which Swift's Glibc module does not export, so it
/// is looked up at run time.
public enum MemoryRelease {
    private typealias Trim = @convention(c) (Int) -> Int32
    private typealias Option = @convention(c) (Int32, Int32) -> Int32

    /// glibc's `M_MMAP_THRESHOLD` and `M_ARENA_MAX`.
    private static let mmapThreshold: Int32 = -3
    private static let arenaMax: Int32 = -8

    /// Serves every allocation of 256 KiB or more (the arrays of a syntax tree, a module, a text)
    /// from its own mapping, returned to the system when freed. glibc otherwise raises that
    /// threshold after each large free, and the next analysis's arrays then land in the heap,
    /// where what the one before freed stays resident around them.
    ///
    /// All threads also share one arena. Analyses run on whichever thread of the concurrency pool
    /// is free; with an arena per thread, what one analysis freed in its thread's arena could not
    /// serve the next analysis on another thread, and each arena grew to hold a whole analysis
    /// (c-graphviz as WAT: a peak of 180 MiB during edits instead of 119 MiB). The threads rarely
    /// allocate at the same time, so they seldom wait for the arena's lock.
    public static func configureAllocator() {
        #if canImport(Glibc)
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        let option = unsafeBitCast(symbol, to: Option.self)
        _ = option(mmapThreshold, 256 * 1024)
        _ = option(arenaMax, 1)
        #endif
    }

    private static let trim: Trim? = {
        #if canImport(Glibc)
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return nil }
        return unsafeBitCast(symbol, to: Trim.self)
        #else
        return nil
        #endif
    }()

    /// The trim waiting to run, if any: a burst of requests shares one trim.
    private static let pending = Mutex<Task<Void, Never>?>(nil)

    /// Trims the allocator's free memory when an analysis has finished: what it allocated only
    /// while it ran is free now, and the next edit's analysis should not find it still resident.
    /// Once more shortly after, for what its task held to its end (a previous analysis that was
    /// not released), unless another analysis starts first. A trim takes a few milliseconds.
    static func afterAnalysis() {
        _ = trim?(0)
        trimSoon()
    }

    /// Trims the allocator's free memory at once after an analysis let go of its base (the
    /// previous analysis), before the new analysis allocates.
    static func afterBaseReleased() {
        _ = trim?(0)
    }

    /// Trims the allocator's free memory before a document's first analysis: reading the
    /// document's text (a message as large as the document, its JSON, the text) left it.
    static func beforeFirstAnalysis() {
        _ = trim?(0)
    }

    /// A message at least this large (a whole generated document) leaves tens of MiB of freed
    /// buffers behind it.
    static let largeMessage = 4 << 20

    /// Trims the allocator's free memory after a large message was written, once the buffers
    /// that built it are gone.
    static func afterLargeMessage() {
        trimSoon()
    }

    /// Trims the allocator after a function was translated and printed again for a request: its
    /// IR and text were many small allocations, freed now.
    static func afterTranslation() {
        trimSoon()
    }

    private static func trimSoon() {
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
