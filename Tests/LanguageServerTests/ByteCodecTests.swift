import Testing
import TestSupport
@testable import LanguageServer

/// The byte codec that holds kept CLIF compact: every input round-trips, and a damaged stream
/// never crashes the decoder.
@Suite struct ByteCodecTests {
    static func random(_ count: Int, seed: UInt64, alphabet: UInt8 = 255) -> [UInt8] {
        var generator = SeededRandom(state: seed)
        return (0..<count).map { _ in UInt8.random(in: 0...alphabet, using: &generator) }
    }

    /// CLIF-like text: long lines that repeat with small changes.
    static let clifLike: [UInt8] = {
        var text = ";; Intermediate Representation of function <wasm[0]::function[3]>:\nfunction u0:3(i64 vmctx, i64) tail {\n"
        for value in 0..<3000 {
            let offset = String(0x100 + value * 3, radix: 16)
            text += "@" + String(repeating: "0", count: max(0, 4 - offset.count)) + offset
                + String(repeating: " ", count: 31) + "v\(value) = iconst.i32 \(value % 17)\n"
        }
        return Array((text + "}\n\n").utf8)
    }()

    func roundTrips(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
        let compressed = ByteCodec.compress(bytes)
        let decompressed = ByteCodec.decompress(compressed, count: bytes.count)
        #expect(decompressed == bytes, "\(bytes.count) bytes: \(decompressed == nil ? "not decoded" : "decoded differently")",
                sourceLocation: sourceLocation)
        // The worst case (nothing repeats) grows by a token and one length byte per 255 literals.
        #expect(compressed.count <= bytes.count + bytes.count / 255 + 16, sourceLocation: sourceLocation)
    }

    @Test func shortInputsRoundTrip() {
        roundTrips([])
        roundTrips([7])
        roundTrips(Array("abc".utf8))
        roundTrips(Array("abcd".utf8))
        roundTrips(Array("abcdabcd".utf8))
        roundTrips(Array("aaaaaaaaa".utf8))
    }

    @Test func lengthsAroundTheNibbleAndByteLimits() {
        // Literal runs and match lengths of 14…16 and 268…271 cross the 15 and 15 + 255 limits.
        for count in [14, 15, 16, 17, 18, 19, 20, 268, 269, 270, 271, 272, 600] {
            roundTrips(Self.random(count, seed: UInt64(count)))
            roundTrips([UInt8](repeating: 0x20, count: count))
            let unit = Self.random(5, seed: 99)
            roundTrips(Array((0..<count).map { unit[$0 % unit.count] }))
            roundTrips(Self.random(count, seed: UInt64(count)) + Self.random(count, seed: UInt64(count)))
        }
    }

    @Test func repetitiveAndRandomInputsRoundTrip() {
        roundTrips(Self.clifLike)
        #expect(ByteCodec.compress(Self.clifLike).count * 3 < Self.clifLike.count)
        roundTrips([UInt8](repeating: 0, count: 1 << 20))
        #expect(ByteCodec.compress([UInt8](repeating: 0, count: 1 << 20)).count < 8192)
        for seed in 0..<20 as Range<UInt64> {
            roundTrips(Self.random(Int(seed) * 997 + 1, seed: seed))
            // A small alphabet makes many short matches at every distance.
            roundTrips(Self.random(50_000 + Int(seed), seed: seed, alphabet: 3))
        }
    }

    @Test func matchesAtTheLargestDistanceAndBeyond() {
        let block = Self.random(1000, seed: 1)
        for gap in [65_535 - 1000, 65_536 - 1000, 65_537 - 1000, 70_000] {
            roundTrips(block + Self.random(gap, seed: UInt64(gap)) + block)
        }
        // Longer than the window, repeating at distances just inside and outside it.
        roundTrips(Self.random(200_000, seed: 3) + Self.random(200_000, seed: 3))
    }

    @Test func damagedStreamsGiveNilOrTheRightCount() {
        let original = Self.clifLike
        let compressed = ByteCodec.compress(original)
        #expect(ByteCodec.decompress(compressed, count: original.count + 1) == nil)
        #expect(ByteCodec.decompress(compressed, count: original.count - 1) == nil)
        #expect(ByteCodec.decompress(compressed, count: -1) == nil)
        #expect(ByteCodec.decompress(Array(compressed.dropLast()), count: original.count) == nil)
        // A match reaching before the start of the output, and a zero distance.
        #expect(ByteCodec.decompress([0x10, 0x41, 0x05, 0x00], count: 5) == nil)
        #expect(ByteCodec.decompress([0x10, 0x41, 0x00, 0x00], count: 5) == nil)
        // A length that runs past the end of the stream.
        #expect(ByteCodec.decompress([0xF0, 0xFF, 0xFF], count: 600) == nil)
        // Truncations, flipped bytes and garbage: never a crash; a result is always whole.
        var generator = SeededRandom(state: 42)
        for trial in 0..<2000 {
            var damaged = compressed
            switch trial % 3 {
            case 0: damaged = Array(damaged.prefix(Int.random(in: 0..<damaged.count, using: &generator)))
            case 1:
                for _ in 0..<4 { damaged[Int.random(in: 0..<damaged.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator) }
            default: damaged = Self.random(Int.random(in: 0..<300, using: &generator), seed: UInt64(trial))
            }
            let count = trial % 3 == 2 ? Int.random(in: 0..<2000, using: &generator) : original.count
            if let result = ByteCodec.decompress(damaged, count: count) { #expect(result.count == count) }
        }
    }
}
