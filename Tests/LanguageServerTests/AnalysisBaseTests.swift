import Testing
import Synchronization
import SourceText
@testable import LanguageServer

/// A service that records the base each analysis started from and releases it: at once, or,
/// for a text containing `late`, once `lateGate` opens. A text containing `slow` then waits for
/// `slowGate`. Both waits end the analysis when it is cancelled. Gates instead of sleeps keep the
/// tests' order of events fixed on a loaded machine.
final class ReleasingService: LanguageService, Sendable {
    /// `(analysed version, base version)` of every analysis that ran to its end.
    let completed = Mutex<[(version: Int, base: Int?)]>([])
    /// The versions whose analysis started, and those that released their base.
    let started = Mutex<[Int]>([])
    let released = Mutex<[Int]>([])
    let lateGate = TestGate()
    let slowGate = TestGate()

    func analyze(_ snapshot: DocumentSnapshot, previous: (any DocumentAnalysis)?) async throws -> any DocumentAnalysis {
        try await analyze(snapshot, base: AnalysisBase(previous)) { _ in }
    }

    func analyze(_ snapshot: DocumentSnapshot, base: AnalysisBase,
                 report: @Sendable (any DocumentAnalysis) async -> Void) async throws -> any DocumentAnalysis {
        started.withLock { $0.append(snapshot.version) }
        let baseVersion = base.analysis?.version
        if snapshot.file.text.contains("late") { try await Self.wait(for: lateGate) }
        await base.release()
        released.withLock { $0.append(snapshot.version) }
        if snapshot.file.text.contains("slow") { try await Self.wait(for: slowGate) }
        completed.withLock { $0.append((snapshot.version, baseVersion)) }
        return PlainAnalysis(snapshot: snapshot)
    }

    /// Waits until `gate` opens; throws when the task is cancelled first.
    static func wait(for gate: TestGate) async throws {
        while !gate.isOpen { try await Task.sleep(for: .milliseconds(1)) }
        // Cancelled while the gate opened: still cancelled.
        try Task.checkCancellation()
    }

    /// Waits (at most 30 s) until `versions` holds `version`.
    static func waitUntil(_ versions: borrowing Mutex<[Int]>, contains version: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while !versions.withLock({ $0.contains(version) }), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(1))
        }
    }
}

/// The versions whose diagnostics a scheduler published, in order.
final class PublishedVersions: Sendable {
    let versions = Mutex<[Int]>([])
    var all: [Int] { versions.withLock { $0 } }
}

@Suite struct AnalysisBaseTests {
    let service = ReleasingService()
    let published = PublishedVersions()

    func scheduler() -> AnalysisScheduler {
        AnalysisScheduler(services: [.wat: service], debounce: .zero, logger: .silent) { [published] analysis in
            published.versions.withLock { $0.append(analysis.version) }
        }
    }

    func snapshot(_ text: String, version: Int) -> DocumentSnapshot {
        DocumentSnapshot(uri: "file:///b.wat", language: .wat, version: version, file: SourceFile(text))
    }

    /// A scheduler that analysed version 1 and runs version 2, which released its base (version
    /// 1) and waits for `slowGate`.
    func schedulerRunningAReleasedVersion2() async throws -> AnalysisScheduler {
        let scheduler = scheduler()
        await scheduler.schedule(snapshot("one", version: 1))
        #expect(await scheduler.analysis(uri: "file:///b.wat", version: 1, timeout: .seconds(5))?.version == 1)
        await scheduler.schedule(snapshot("slow", version: 2))
        try await ReleasingService.waitUntil(service.released, contains: 2)
        return scheduler
    }

    @Test func thePreviousAnalysisIsReleasedWhileTheNextRuns() async throws {
        let scheduler = try await schedulerRunningAReleasedVersion2()
        // Only the released analysis's identity is left while version 2 is built.
        let kept = await scheduler.latestFinished(uri: "file:///b.wat")
        #expect(kept is ReleasedAnalysis)
        #expect(kept?.version == 1)
        service.slowGate.open()
        #expect(await scheduler.analysis(uri: "file:///b.wat", version: 2, timeout: .seconds(5))?.version == 2)
        #expect(await scheduler.latestFinished(uri: "file:///b.wat") is PlainAnalysis)
    }

    @Test func anAnalysisThatReleasedItsBaseIsTheNextOnesBase() async throws {
        let scheduler = try await schedulerRunningAReleasedVersion2()
        await scheduler.schedule(snapshot("three", version: 3))
        service.slowGate.open()
        #expect(await scheduler.analysis(uri: "file:///b.wat", version: 3, timeout: .seconds(5))?.version == 3)
        let completed = service.completed.withLock { $0 }
        // Version 2 ran to its end although version 3 came, and version 3 started from it…
        #expect(completed.map(\.version) == [1, 2, 3])
        #expect(completed.last?.base == 2)
        // …but only the newest version's diagnostics were published.
        #expect(published.all == [1, 3])
    }

    @Test func onlyTheNewestOfSeveralWaitingVersionsIsAnalysed() async throws {
        let scheduler = try await schedulerRunningAReleasedVersion2()
        for version in 3...5 { await scheduler.schedule(snapshot("v\(version)", version: version)) }
        service.slowGate.open()
        #expect(await scheduler.analysis(uri: "file:///b.wat", version: 5, timeout: .seconds(5))?.version == 5)
        let completed = service.completed.withLock { $0 }
        #expect(completed.map(\.version) == [1, 2, 5])
        #expect(completed.last?.base == 2)
        #expect(published.all == [1, 5])
    }

    @Test func aSettingsChangeWhileAnAnalysisThatReleasedItsBaseRunsIsAnalysedAfterIt() async throws {
        let scheduler = try await schedulerRunningAReleasedVersion2()
        await scheduler.rescheduleAll([snapshot("slow", version: 2)])
        service.slowGate.open()
        // Requests wait for the analysis under the new settings, not the one that was running.
        #expect(await scheduler.analysis(uri: "file:///b.wat", version: 2, timeout: .seconds(5))?.version == 2)
        let completed = service.completed.withLock { $0 }
        #expect(completed.map(\.version) == [1, 2, 2])
        #expect(completed.last?.base == 2)
        #expect(published.all == [1, 2])
    }

    @Test func aNewerVersionBeforeTheReleaseCancelsAsBefore() async throws {
        let scheduler = scheduler()
        await scheduler.schedule(snapshot("one", version: 1))
        _ = await scheduler.analysis(uri: "file:///b.wat", version: 1, timeout: .seconds(5))
        await scheduler.schedule(snapshot("late", version: 2))
        try await ReleasingService.waitUntil(service.started, contains: 2)
        await scheduler.schedule(snapshot("three", version: 3))
        #expect(await scheduler.analysis(uri: "file:///b.wat", version: 3, timeout: .seconds(5))?.version == 3)
        // Version 2 was cancelled while it waited: opening its gate now lets nothing finish.
        service.lateGate.open()
        try await Task.sleep(for: .milliseconds(200))
        let completed = service.completed.withLock { $0 }
        #expect(completed.map(\.version) == [1, 3])
        #expect(completed.last?.base == 1)
        #expect(published.all == [1, 3])
    }

    @Test func aRequestForTheNewVersionNeverGetsTheReleasedOne() async throws {
        let scheduler = try await schedulerRunningAReleasedVersion2()
        // Timed out: the caller sees an older version (and answers "content modified").
        let early = await scheduler.analysis(uri: "file:///b.wat", version: 2, timeout: .milliseconds(20))
        #expect(early?.version == 1)
        #expect(early?.diagnostics.isEmpty == true)
        service.slowGate.open()
    }

    @Test func closingCancelsAnAnalysisThatReleasedItsBase() async throws {
        let scheduler = try await schedulerRunningAReleasedVersion2()
        await scheduler.schedule(snapshot("slow again", version: 3))
        await scheduler.close(uri: "file:///b.wat")
        // Both were cancelled while they waited: opening the gate now lets nothing finish.
        service.slowGate.open()
        try await Task.sleep(for: .milliseconds(200))
        #expect(service.completed.withLock { $0 }.map(\.version) == [1])
        #expect(published.all == [1])
    }
}

@Suite struct WATServiceBaseTests {
    @Test func theWATServiceReleasesItsBaseAndStillReusesTranslations() async throws {
        let service = WATService()
        func snapshot(_ constant: Int, version: Int) -> DocumentSnapshot {
            let text = "(module\n  (func (result i32) i32.const 1)\n  (func (result i32) i32.const \(constant)))\n"
            return DocumentSnapshot(uri: "file:///r.wat", language: .wat, version: version, file: SourceFile(text))
        }
        let first = try await service.analyze(snapshot(2, version: 1), previous: nil)
        let base = AnalysisBase(first)
        let second = try #require(try await service.analyze(snapshot(3, version: 2), base: base) { _ in } as? WATAnalysis)
        #expect(base.analysis == nil)
        #expect(second.translatedCount == 1)
        #expect(second.reusedCount == 1)
        let fresh = try #require(try await service.analyze(snapshot(3, version: 2), previous: nil) as? WATAnalysis)
        #expect(second.diagnostics == fresh.diagnostics)
        #expect(second.modules.first?.generated?.text() == fresh.modules.first?.generated?.text())
    }
}
