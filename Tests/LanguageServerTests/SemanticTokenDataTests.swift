import Testing
import SourceText
import TestSupport
@testable import LanguageServer

/// The packed token data: the same integers as LSP's plain encoding, ranges and deltas found on
/// the packed bytes equal to those of the plain integers.
@Suite struct SemanticTokenDataTests {
    /// Multi-line comments, multibyte characters of every length, CRLF lines, empty lines, a
    /// token ending at the very end, and a long line whose deltas take several LEB128 bytes.
    static let text = "(; é 😀\r\nsecond ;) $x ;; ünï\n\n(module (; a\n\n b ;) (func $f))\n"
        + String(repeating: " ", count: 300) + "$far " + String(repeating: "€", count: 70) + " $end"

    static func tokens(in file: SourceFile) -> [SemanticToken] {
        // Every run of non-spaces, except that comments are one token each (classified lexically).
        var tokens: [SemanticToken] = []
        let bytes = file.utf8
        var index = 0
        var kind = 0
        while index < bytes.count {
            if bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D { index += 1; continue }
            var end = index
            if bytes[index] == UInt8(ascii: "("), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: ";") {
                while end + 1 < bytes.count && !(bytes[end] == UInt8(ascii: ";") && bytes[end + 1] == UInt8(ascii: ")")) { end += 1 }
                end = min(bytes.count, end + 2)
            } else {
                while end < bytes.count && ![0x20, 0x0A, 0x0D].contains(bytes[end]) { end += 1 }
            }
            kind += 1
            tokens.append(SemanticToken(TextRange(start: index, end: end), SemanticTokenType.allCases[kind % SemanticTokenType.allCases.count],
                                        SemanticTokenModifiers(rawValue: UInt16(kind % 128))))
            index = end
        }
        return tokens
    }

    @Test func packedIntegersEqualThePlainEncoding() {
        let file = SourceFile(Self.text)
        let tokens = Self.tokens(in: file)
        for encoding in [PositionEncoding.utf8, .utf16, .utf32] {
            let data = SemanticTokenEncoder.encode(tokens, in: file, encoding: encoding)
            let plain = SemanticTokenReference.encode(tokens, in: file, encoding: encoding)
            #expect(data.integers == plain, "\(encoding)")
            #expect(data.count == plain.count)
            #expect(plain.contains { $0 >= 128 } && data.bytes.count < plain.count * 2, "some integers take two bytes, most one")
        }
    }

    @Test func integersOfEverySizeRoundTrip() {
        var data = SemanticTokenData()
        let values: [UInt32] = [0, 1, 127, 128, 255, 16_383, 16_384, 2_097_151, 2_097_152, 268_435_455, 268_435_456, UInt32.max]
        for (index, value) in values.enumerated() {
            // Each value as the length of a piece on a line of its own.
            data.append(line: index, character: 0, length: Int(value), type: 3, modifiers: UInt16(index), continuesToken: false)
        }
        #expect(data.integers == values.enumerated().flatMap { [$0.offset == 0 ? 0 : 1, 0, $0.element, 3, UInt32($0.offset)] })
        #expect(data.bytes.count == 5 * 12 + [0, 0, 0, 1, 1, 1, 2, 2, 3, 3, 4, 4].reduce(0, +))
    }

    @Test func rangesEqualThoseChosenOnByteOffsets() {
        let file = SourceFile(Self.text)
        let tokens = Self.tokens(in: file)
        for encoding in [PositionEncoding.utf8, .utf16] {
            let data = SemanticTokenEncoder.encode(tokens, in: file, encoding: encoding)
            var checked = 0
            // From every offset, ranges of several lengths, as editor ranges converted the way
            // requests convert them.
            for start in 0...file.utf8.count {
                for end in Set([0, 1, 2, 5, 13, 40, 200].map { min(file.utf8.count, start + $0) } + [file.utf8.count]) {
                    let positions = file.positionRange(of: TextRange(start: start, end: end), encoding: encoding)
                    let range = file.textRange(of: positions, encoding: encoding)
                    let expected = SemanticTokenReference.encode(tokens, in: file, encoding: encoding, range: range)
                    let found = SemanticTokenEncoder.integers(of: data, in: file, encoding: encoding, meeting: range)
                    if found != expected {
                        Issue.record("range \(positions) (\(encoding)): \(found) instead of \(expected)")
                        return
                    }
                    checked += 1
                }
            }
            #expect(checked > 4 * file.utf8.count)
        }
    }

    @Test func rangesUseCheckpointsOfALongDocument() {
        // More tokens than one checkpoint spacing, with multi-line comments among them.
        let source = (0..<40).map { "(func $f\($0) (; line\n more ;) i32.const \($0))" }.joined(separator: "\n")
        let file = SourceFile(source)
        let tokens = Self.tokens(in: file)
        let data = SemanticTokenEncoder.encode(tokens, in: file, encoding: .utf16)
        #expect(data.checkpoints.count > 2)
        for line in 0..<file.lineCount {
            for length in [0, 1, 5] {
                let range = TextRange(start: file.lineStarts[line], end: file.lineStarts[min(file.lineCount - 1, line + length)])
                #expect(SemanticTokenEncoder.integers(of: data, in: file, encoding: .utf16, meeting: range)
                        == SemanticTokenReference.encode(tokens, in: file, encoding: .utf16, range: range), "line \(line) + \(length)")
            }
        }
    }

    @Test func deltasEqualThoseOfThePlainIntegers() {
        let file = SourceFile(Self.text)
        let tokens = Self.tokens(in: file)
        let base = SemanticTokenEncoder.encode(tokens, in: file, encoding: .utf16)
        let plain = base.integers
        #expect(SemanticTokenData.difference(from: base, to: base) == nil)
        // Token lists with one token removed, changed or moved, at every place.
        var compared = 0
        for index in tokens.indices {
            var removed = tokens
            removed.remove(at: index)
            var changed = tokens
            changed[index].modifiers = SemanticTokenModifiers(rawValue: changed[index].modifiers.rawValue ^ 0x7F)
            var longer = tokens
            longer[index].length += index + 1 < tokens.count ? 0 : 200
            longer[index].type = .decorator
            for variant in [removed, changed, longer] {
                let data = SemanticTokenEncoder.encode(variant, in: file, encoding: .utf16)
                let expected = SemanticTokenReference.difference(from: plain, to: data.integers)
                let edit = SemanticTokenData.difference(from: base, to: data)
                #expect(edit?.start == expected?.start && edit?.deleteCount == expected?.deleteCount)
                let inserted = edit.map { edit in
                    var values: [UInt32] = []
                    data.forEach(from: edit.insertOffset, limit: edit.insertCount) { values.append($0) }
                    return values
                }
                #expect(inserted == expected?.data)
                // Both ways.
                let back = SemanticTokenData.difference(from: data, to: base)
                #expect(back?.start == expected?.start && back.map { $0.insertCount } == expected.map { $0.deleteCount })
                compared += 1
            }
        }
        #expect(compared == 3 * tokens.count)
    }

    @Test func deltasOfRandomDataWithMultibyteIntegers() {
        // A fixed linear congruential sequence: the same cases on every run.
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        let lengths = [1, 2, 127, 128, 133, 300, 16_384]
        func data(_ pieces: [(line: Int, character: Int, length: Int, type: UInt8, modifiers: UInt16)]) -> SemanticTokenData {
            var data = SemanticTokenData()
            for piece in pieces {
                data.append(line: piece.line, character: piece.character, length: piece.length,
                            type: piece.type, modifiers: piece.modifiers, continuesToken: false)
            }
            return data
        }
        var compared = 0
        for _ in 0..<300 {
            var pieces: [(line: Int, character: Int, length: Int, type: UInt8, modifiers: UInt16)] = []
            var line = 0
            var character = 0
            for _ in 0..<(1 + next(12)) {
                let step = [0, 0, 1, 130][next(4)]
                line += step
                character = (step == 0 ? character : 0) + [0, 1, 5, 129, 200][next(5)]
                pieces.append((line, character, lengths[next(lengths.count)], UInt8(next(3)), UInt16([0, 1, 64, 127][next(4)])))
            }
            var changed = pieces
            switch next(3) {
            case 0: changed.remove(at: next(changed.count))
            case 1: changed[next(changed.count)].length = lengths[next(lengths.count)]
            default: changed[next(changed.count)].modifiers = UInt16(next(128))
            }
            let old = data(pieces)
            let new = data(changed)
            let expected = SemanticTokenReference.difference(from: old.integers, to: new.integers)
            let edit = SemanticTokenData.difference(from: old, to: new)
            var inserted: [UInt32] = []
            if let edit { new.forEach(from: edit.insertOffset, limit: edit.insertCount) { inserted.append($0) } }
            guard edit?.start == expected?.start, edit?.deleteCount == expected?.deleteCount,
                  edit.map({ _ in inserted }) == expected?.data else {
                Issue.record("\(old.integers) → \(new.integers): \(String(describing: edit)) instead of \(String(describing: expected))")
                return
            }
            compared += 1
        }
        #expect(compared == 300)
    }

    @Test func integersSharingTheirFirstByteAreNotPartOfThePrefix() {
        // 200 and 328 are 0xC8 0x01 and 0xC8 0x02: equal first bytes, different integers.
        var old = SemanticTokenData()
        old.append(line: 0, character: 0, length: 200, type: 1, modifiers: 0, continuesToken: false)
        var new = SemanticTokenData()
        new.append(line: 0, character: 0, length: 328, type: 1, modifiers: 0, continuesToken: false)
        let edit = SemanticTokenData.difference(from: old, to: new)
        #expect(edit?.start == 2 && edit?.deleteCount == 1 && edit?.insertCount == 1 && edit?.insertOffset == 2)
        #expect(new.json(from: edit?.insertOffset ?? 0, count: 1) == [328])
        #expect(new.json() == [0, 0, 328, 1, 0])
    }
}
