import SourceText

/// Runs document analyses in the background: after a short debounce, one task per document, a
/// newer version cancelling the older task. Finished analyses are handed to `onFinish` in the
/// order they finish, and only when they are for the newest version known, so an old version's
/// diagnostics can never follow a newer one's. Requests wait here, for a bounded time, for the
/// analysis of the version they need.
public actor AnalysisScheduler {
    struct Waiter {
        let id: Int
        let version: Int?
        let continuation: CheckedContinuation<(any DocumentAnalysis)?, Never>
    }

    struct Entry {
        var latestVersion: Int
        var task: Task<Void, Never>?
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

    /// Starts analysing `snapshot`, cancelling any analysis of an older version.
    public func schedule(_ snapshot: DocumentSnapshot) {
        var entry = entries[snapshot.uri] ?? Entry(latestVersion: snapshot.version)
        entry.task?.cancel()
        MemoryRelease.postpone()
        entry.latestVersion = snapshot.version
        let service = services[snapshot.language]
        let debounce = self.debounce
        let previous = entry.finished
        entry.task = Task {
            if debounce > .zero {
                try? await Task.sleep(for: debounce)
            }
            if Task.isCancelled { return }
            let result: any DocumentAnalysis
            if let service {
                do {
                    result = try await service.analyze(snapshot, previous: previous) { preliminary in
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
            self.finish(result)
        }
        entries[snapshot.uri] = entry
    }

    /// Re-analyses every document whose last snapshot is given (after a configuration change);
    /// until that finishes, requests wait for it rather than use the analysis under the old settings.
    public func rescheduleAll(_ snapshots: [DocumentSnapshot]) {
        for snapshot in snapshots {
            entries[snapshot.uri]?.finishedIsStale = true
            schedule(snapshot)
        }
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

    private func finish(_ analysis: any DocumentAnalysis) {
        guard var entry = entries[analysis.uri], entry.latestVersion == analysis.version else { return }
        entry.finished = analysis
        entry.finishedIsStale = false
        entry.task = nil
        var stillWaiting: [Waiter] = []
        for waiter in entry.waiters {
            if waiter.version == nil || waiter.version! <= analysis.version {
                waiter.continuation.resume(returning: analysis)
            } else {
                stillWaiting.append(waiter)
            }
        }
        entry.waiters = stillWaiting
        entries[analysis.uri] = entry
        onFinish(analysis)
        MemoryRelease.afterAnalysis()
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
