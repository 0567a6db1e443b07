import SourceText

/// Runs document analyses in the background: after a short debounce, one task per document, a
/// newer version cancelling the older task. Finished analyses are handed to `onFinish` in the
/// order they finish, and only when they are for the newest version known, so an old version's
/// diagnostics can never follow a newer one's. Requests wait here, for a bounded time, for the
/// analysis of the version they need.
///
/// An analysis that released its base (the previous finished analysis, see `AnalysisBase`) is not
/// cancelled by a newer version: it runs to its end unpublished, and the newest version's analysis
/// starts from it once it is done (no task waits meanwhile; only the newest snapshot is kept). So
/// no more than one whole analysis of a document is alive besides the one being built.
public actor AnalysisScheduler {
    struct Waiter {
        let id: Int
        let version: Int?
        let continuation: CheckedContinuation<(any DocumentAnalysis)?, Never>
    }

    struct Entry {
        var latestVersion: Int
        var task: Task<Void, Never>?
        /// Which scheduled analysis `task` is, and whether it released its base.
        var taskID = 0
        var taskReleasedBase = false
        /// The newest version, when it came after `task` released its base: it is analysed when
        /// `task` is done, after what is left of its debounce.
        var pending: (snapshot: DocumentSnapshot, since: ContinuousClock.Instant)?
        var finished: (any DocumentAnalysis)?
        /// Set when the settings changed: `finished` still serves as a fallback, but requests
        /// wait for the analysis under the new settings.
        var finishedIsStale = false
        var waiters: [Waiter] = []
    }

    var services: [DocumentLanguage: any LanguageService]
    let logger: Logger
    let onFinish: @Sendable (any DocumentAnalysis) -> Void
    var debounce: Duration
    var entries: [String: Entry] = [:]
    var nextWaiterID = 0
    var nextTaskID = 0

    public init(services: [DocumentLanguage: any LanguageService], debounce: Duration, logger: Logger,
                onFinish: @escaping @Sendable (any DocumentAnalysis) -> Void) {
        self.services = services
        self.debounce = debounce
        self.logger = logger
        self.onFinish = onFinish
    }

    public func setDebounce(_ debounce: Duration) {
        self.debounce = debounce
    }

    /// Replaces the analysers (after the translation settings changed); takes effect with the
    /// next analysis scheduled.
    public func setServices(_ services: [DocumentLanguage: any LanguageService]) {
        self.services = services
    }

    /// Starts analysing `snapshot`, cancelling any analysis of an older version that still holds
    /// its base; after one that released it, `snapshot` waits for it to finish.
    public func schedule(_ snapshot: DocumentSnapshot) {
        var entry = entries[snapshot.uri] ?? Entry(latestVersion: snapshot.version)
        entry.latestVersion = snapshot.version
        if entry.task != nil && entry.taskReleasedBase {
            entry.pending = (snapshot, .now)
        } else {
            entry.task?.cancel()
            start(snapshot, in: &entry, debounce: debounce)
        }
        entries[snapshot.uri] = entry
    }

    private func start(_ snapshot: DocumentSnapshot, in entry: inout Entry, debounce: Duration) {
        MemoryRelease.postpone()
        nextTaskID += 1
        let id = nextTaskID
        entry.taskID = id
        entry.taskReleasedBase = false
        entry.pending = nil
        let service = services[snapshot.language]
        entry.task = Task {
            if debounce > .zero {
                try? await Task.sleep(for: debounce)
            }
            if Task.isCancelled { return }
            let base = self.base(for: snapshot, taskID: id)
            if base.analysis == nil { MemoryRelease.beforeFirstAnalysis() }
            let result: any DocumentAnalysis
            if let service {
                do {
                    result = try await service.analyze(snapshot, base: base) { preliminary in
                        await self.publishPreliminary(preliminary)
                    }
                } catch is CancellationError {
                    return
                } catch {
                    if Task.isCancelled { return }
                    result = PlainAnalysis(snapshot: snapshot, diagnostics: [
                        .error("internal error: analysis failed: \(error)", at: TextRange(at: 0), code: "internal"),
                    ])
                }
            } else {
                result = PlainAnalysis(snapshot: snapshot)
            }
            if Task.isCancelled { return }
            self.finish(result, taskID: id)
        }
    }

    /// Re-analyses every document whose last snapshot is given (after a configuration change);
    /// until that finishes, requests wait for it rather than use the analysis under the old settings.
    public func rescheduleAll(_ snapshots: [DocumentSnapshot]) {
        for snapshot in snapshots {
            entries[snapshot.uri]?.finishedIsStale = true
            schedule(snapshot)
        }
    }

    /// The base of the analysis of `snapshot`: the newest finished analysis, unless it was released.
    private func base(for snapshot: DocumentSnapshot, taskID: Int) -> AnalysisBase {
        let finished = entries[snapshot.uri]?.finished
        return AnalysisBase(finished is ReleasedAnalysis ? nil : finished) {
            await self.baseReleased(uri: snapshot.uri, taskID: taskID)
        }
    }

    /// Analysis `taskID` let go of its base: unless a newer one superseded it meanwhile (it is
    /// then cancelled, and the base stays for the next one), only the base's identity is kept,
    /// and the analysis is no longer cancelled by newer versions.
    private func baseReleased(uri: String, taskID: Int) {
        guard var entry = entries[uri], entry.taskID == taskID else { return }
        entry.taskReleasedBase = true
        if let finished = entry.finished, !(finished is ReleasedAnalysis) {
            entry.finished = ReleasedAnalysis(uri: uri, version: finished.version)
        }
        entries[uri] = entry
        MemoryRelease.afterBaseReleased()
    }

    /// Forgets a closed document; waiters get nil.
    public func close(uri: String) {
        guard let entry = entries.removeValue(forKey: uri) else { return }
        entry.task?.cancel()
        for waiter in entry.waiters { waiter.continuation.resume(returning: nil) }
    }

    /// Publishes the diagnostics of an analysis still in progress, if its version is the newest.
    private func publishPreliminary(_ analysis: any DocumentAnalysis) {
        guard let entry = entries[analysis.uri], entry.latestVersion == analysis.version,
              entry.finished?.version != analysis.version else { return }
        onFinish(analysis)
    }

    private func finish(_ analysis: any DocumentAnalysis, taskID: Int) {
        guard var entry = entries[analysis.uri], entry.taskID == taskID else { return }
        entry.task = nil
        entry.taskReleasedBase = false
        if let pending = entry.pending {
            // Superseded after it released its base: the newest version's base, never published.
            // Under settings that changed since, it serves no request either.
            entry.finished = analysis
            if !entry.finishedIsStale { entry.waiters = resume(entry.waiters, with: analysis) }
            let waited = ContinuousClock.now - pending.since
            start(pending.snapshot, in: &entry, debounce: waited < debounce ? debounce - waited : .zero)
            entries[analysis.uri] = entry
            return
        }
        entry.finished = analysis
        entry.finishedIsStale = false
        entry.waiters = resume(entry.waiters, with: analysis)
        entries[analysis.uri] = entry
        // Trimmed before the diagnostics go out: a client's next edit then finds the allocator free.
        MemoryRelease.afterAnalysis()
        onFinish(analysis)
    }

    /// Resumes the waiters that `analysis` serves; returns the others.
    private func resume(_ waiters: [Waiter], with analysis: any DocumentAnalysis) -> [Waiter] {
        var stillWaiting: [Waiter] = []
        for waiter in waiters {
            if waiter.version == nil || waiter.version! <= analysis.version {
                waiter.continuation.resume(returning: analysis)
            } else {
                stillWaiting.append(waiter)
            }
        }
        return stillWaiting
    }

    /// The finished analysis of `version` (or of the newest version when nil), waiting up to
    /// `timeout` for one in flight. After the timeout, the newest finished analysis is returned
    /// whatever its version; callers compare versions. Nil when the document is not open.
    public func analysis(uri: String, version: Int? = nil, timeout: Duration) async -> (any DocumentAnalysis)? {
        guard let entry = entries[uri] else { return nil }
        let wanted = version ?? entry.latestVersion
        if let finished = entry.finished, finished.version >= wanted, !entry.finishedIsStale { return finished }
        let id = nextWaiterID
        nextWaiterID += 1
        let timer = Task {
            try? await Task.sleep(for: timeout)
            self.expire(uri: uri, waiterID: id)
        }
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<(any DocumentAnalysis)?, Never>) in
                if entries[uri] == nil {
                    continuation.resume(returning: nil)
                } else {
                    entries[uri]?.waiters.append(Waiter(id: id, version: wanted, continuation: continuation))
                }
            }
        } onCancel: {
            Task { await self.expire(uri: uri, waiterID: id) }
        }
        timer.cancel()
        return result
    }

    private func expire(uri: String, waiterID: Int) {
        guard var entry = entries[uri], let index = entry.waiters.firstIndex(where: { $0.id == waiterID }) else { return }
        let waiter = entry.waiters.remove(at: index)
        entries[uri] = entry
        waiter.continuation.resume(returning: entry.finished)
    }

    /// The newest finished analysis, without waiting.
    public func latestFinished(uri: String) -> (any DocumentAnalysis)? {
        entries[uri]?.finished
    }
}
