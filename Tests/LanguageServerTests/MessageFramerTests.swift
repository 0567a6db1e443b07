import Testing
@testable import LanguageServer

@Suite struct MessageFramerTests {
    func framed(_ body: String, extraHeaders: String = "") -> [UInt8] {
        Array("Content-Length: \(body.utf8.count)\r\n\(extraHeaders)\r\n\(body)".utf8)
    }

    func drain(_ framer: inout MessageFramer) -> [MessageFramer.Event] {
        var events: [MessageFramer.Event] = []
        while let event = framer.next() { events.append(event) }
        return events
    }

    @Test func oneMessage() {
        var framer = MessageFramer()
        framer.append(framed(#"{"a":1}"#))
        #expect(drain(&framer) == [.message(Array(#"{"a":1}"#.utf8))])
    }

    @Test func severalMessagesInOneRead() {
        var framer = MessageFramer()
        framer.append(framed("first") + framed("second") + framed("third"))
        #expect(drain(&framer) == ["first", "second", "third"].map { .message(Array($0.utf8)) })
    }

    @Test func messageSplitAtEveryByte() {
        let bytes = framed(#"{"text":"héllo 😀"}"#) + framed("x")
        var framer = MessageFramer()
        var events: [MessageFramer.Event] = []
        for byte in bytes {
            framer.append([byte])
            events += drain(&framer)
        }
        #expect(events == [.message(Array(#"{"text":"héllo 😀"}"#.utf8)), .message([0x78])])
    }

    @Test func contentTypeAndHeaderCaseAreAccepted() {
        var framer = MessageFramer()
        framer.append(framed("body", extraHeaders: "Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n"))
        framer.append(Array("content-length: 2\r\n\r\nok".utf8))
        #expect(drain(&framer) == [.message(Array("body".utf8)), .message(Array("ok".utf8))])
    }

    @Test func contentLengthCountsBytesNotCharacters() {
        var framer = MessageFramer()
        framer.append(framed("€€") + framed("z"))
        #expect(drain(&framer) == [.message(Array("€€".utf8)), .message([0x7A])])
    }

    @Test func badHeaderIsReportedAndTheNextMessageStillArrives() {
        var framer = MessageFramer()
        framer.append(Array("Garbage-Header\r\n\r\n".utf8) + framed("good"))
        let events = drain(&framer)
        #expect(events.count == 2)
        if case .headerError = events.first {} else { Issue.record("expected a header error first, got \(events)") }
        #expect(events.last == .message(Array("good".utf8)))
    }

    @Test func invalidLengthResynchronises() {
        var framer = MessageFramer()
        framer.append(Array("Content-Length: abc\r\n\r\n".utf8) + framed("after"))
        let events = drain(&framer)
        #expect(events.last == .message(Array("after".utf8)))
        #expect(events.count == 2)
    }

    @Test func randomBytesThenAMessage() {
        var generator = SystemRandomNumberGenerator()
        var framer = MessageFramer()
        let noise = (0..<20_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        framer.append(noise)
        _ = drain(&framer)
        framer.append(Array("\r\n\r\n".utf8) + framed("after noise"))
        let events = drain(&framer)
        #expect(events.last == .message(Array("after noise".utf8)))
    }

    @Test func endlessHeaderIsCutOff() {
        var framer = MessageFramer()
        framer.append([UInt8](repeating: 0x41, count: 20_000))
        let events = drain(&framer)
        #expect(events.count >= 1)
        framer.append(framed("still alive"))
        #expect(drain(&framer).last == .message(Array("still alive".utf8)))
    }

    @Test func frameWritesHeader() {
        #expect(MessageFramer.frame(Array("{}".utf8)) == Array("Content-Length: 2\r\n\r\n{}".utf8))
    }
}
