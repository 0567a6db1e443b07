import Testing
import Synchronization
import SourceText
@testable import LanguageServer

/// A service that records the base each analysis started from and releases it: at once, or,
/// for a text containing `late`, after 300 ms. A text containing `slow` then takes 300 ms more.
/// Both waits end the analysis when it is cancelled.
final class ReleasingService: LanguageService, Sendable {
    /// `(analysed version, base version)` of every analysis that ran to its end.
    let completed = Mutex<[(version: Int, base: Int?)]>([])

    func analyze(_ snapshot: DocumentSnapshot, previous: (any DocumentAnalysis)?) async throws -> any DocumentAnalysis {
        try await analyze(snapshot, base: AnalysisBase(previous)) { _ in }
    }

    func analyze(_ snapshot: DocumentSnapshot, base: AnalysisBase,
                 report: @Sendable (any DocumentAnalysis) async -> Void) async throws -> any DocumentAnalysis {
        let baseVersion = base.analysis?.version
        if snapshot.file.text.contains("late") { try await Task.sleep(for: .milliseconds(300)) }
        await base.release()
        if snapshot.file.text.contains("slow") { try await Task.sleep(for: .milliseconds(300)) }
        completed.withLock { $0.append((snapshot.version, baseVersion)) }
        return PlainAnalysis(snapshot: snapshot)
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

    @Test func thePreviousAnalysisIsReleasedWhileTheNextRuns() async throws {
        let scheduler = scheduler()
        await scheduler.schedule(snapshot("one", version: 1))
        #expect(await scheduler.analysis(uri: "file:///b.wat", version: 1, timeout: .seconds(5))?.version == 1)
        await scheduler.schedule(snapshot("slow", version: 2))
        try await Task.sleep(for: .milliseconds(100))
        // Only the released analysis's identity is left while version 2 is built.
        let kept = await scheduler.latestFinished(uri: "file:///b.wat")
        #expect(kept is ReleasedAnalysis)
        #expect(kept?.version == 1)
        #expect(await scheduler.analysis(uri: "file:///b.wat", version: 2, timeout: .seconds(5))?.version == 2)
        #expect(await scheduler.latestFinished(uri: "file:///b.wat") is PlainAnalysis)
    }

    @Test func anAnalysisThatReleasedItsBaseIsTheNextOnesBase() async throws {
        let scheduler = scheduler()
        await scheduler.schedule(snapshot("one", version: 1))
        _ = await scheduler.analysis(uri: "file:///b.wat", version: 1, timeout: .seconds(5))
        await scheduler.schedule(snapshot("slow", version: 2))
        try await Task.sleep(for: .milliseconds(100))
        await scheduler.schedule(snapshot("three", version: 3))
        #expect(await scheduler.analysis(uri: "file:///b.wat", version: 3, timeout: .seconds(5))?.version == 3)
        let completed = service.completed.withLock { $0 }
        // Version 2 ran to its end although version 3 came, and version 3 started from it…
        #expect(completed.map(\.version) == [1, 2, 3])
        #expect(completed.last?.base == 2)
        // …but only the newest version's diagnostics were published.
        #expect(published.all == [1, 3])
    }

    @Test func onlyTheNewestOfSeveralWaitingVersionsIsAnalysed() async throws {
        let scheduler = scheduler()
        await scheduler.schedule(snapshot("one", version: 1))
        _ = await scheduler.analysis(uri: "file:///b.wat", version: 1, timeout: .seconds(5))
        await scheduler.schedule(snapshot("slow", version: 2))
        try await Task.sleep(for: .milliseconds(100))
        for version in 3...5 { await scheduler.schedule(snapshot("v\(version)", version: version)) }
        #expect(await scheduler.analysis(uri: "file:///b.wat", version: 5, timeout: .seconds(5))?.version == 5)
        let completed = service.completed.withLock { $0 }
        #expect(completed.map(\.version) == [1, 2, 5])
        #expect(completed.last?.base == 2)
        #expect(published.all == [1, 5])
    }

    @Test func aSettingsChangeWhileAnAnalysisThatReleasedItsBaseRunsIsAnalysedAfterIt() async throws {
        let scheduler = scheduler()
        await scheduler.schedule(snapshot("one", version: 1))
        _ = await scheduler.analysis(uri: "file:///b.wat", version: 1, timeout: .seconds(5))
        await scheduler.schedule(snapshot("slow", version: 2))
        try await Task.sleep(for: .milliseconds(100))
        await scheduler.rescheduleAll([snapshot("slow", version: 2)])
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
        try await Task.sleep(for: .milliseconds(100))
        await scheduler.schedule(snapshot("three", version: 3))
        #expect(await scheduler.analysis(uri: "file:///b.wat", version: 3, timeout: .seconds(5))?.version == 3)
        try await Task.sleep(for: .milliseconds(400))
        let completed = service.completed.withLock { $0 }
        #expect(completed.map(\.version) == [1, 3])
        #expect(completed.last?.base == 1)
        #expect(published.all == [1, 3])
    }

    @Test func aRequestForTheNewVersionNeverGetsTheReleasedOne() async throws {
        let scheduler = scheduler()
        await scheduler.schedule(snapshot("one", version: 1))
        _ = await scheduler.analysis(uri: "file:///b.wat", version: 1, timeout: .seconds(5))
        await scheduler.schedule(snapshot("slow", version: 2))
        try await Task.sleep(for: .milliseconds(100))
        // Timed out: the caller sees an older version (and answers "content modified").
        let early = await scheduler.analysis(uri: "file:///b.wat", version: 2, timeout: .milliseconds(20))
        #expect(early?.version == 1)
        #expect(early?.diagnostics.isEmpty == true)
    }

    @Test func closingCancelsAnAnalysisThatReleasedItsBase() async throws {
        let scheduler = scheduler()
        await scheduler.schedule(snapshot("one", version: 1))
        _ = await scheduler.analysis(uri: "file:///b.wat", version: 1, timeout: .seconds(5))
        await scheduler.schedule(snapshot("slow", version: 2))
        try await Task.sleep(for: .milliseconds(100))
        await scheduler.schedule(snapshot("slow again", version: 3))
        await scheduler.close(uri: "file:///b.wat")
        try await Task.sleep(for: .milliseconds(700))
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
