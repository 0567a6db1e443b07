/// A small LZ77 byte codec in the manner of LZ4 (written for clifford): the kept CLIF of large
/// functions is held compressed (printed CLIF shrinks about four to five times) and expanded
/// when a request reads it. Speed matters more than ratio on both sides.
///
/// The stream is a series of sequences. Each starts with a token byte: its high nibble is the
/// literal count, its low nibble the match length minus `minimumMatch`; a nibble of 15 is
/// continued by bytes of 255 and one final byte below 255, all added. Then come the literals,
/// and, unless the stream ends there, a two-byte little-endian distance back into the output
/// (1…65,535) and the match's extra length bytes. A match may overlap what it produces.
public enum ByteCodec {
    static let minimumMatch = 4
    static let maximumDistance = 65_535
    private static let hashBits = 14

    /// `bytes` compressed.
    public static func compress(_ bytes: [UInt8]) -> [UInt8] {
        let count = bytes.count
        // Literals only, in the worst case: a token and a length byte per 255 of them.
        let bound = count + count / 255 + 16
        let scratch = [UInt8](unsafeUninitializedCapacity: bound) { output, written in
            written = bytes.withUnsafeBufferPointer { input in
                var table = [Int32](repeating: -1, count: 1 << hashBits)
                return table.withUnsafeMutableBufferPointer { table in
                    compress(input, into: output, table: table)
                }
            }
        }
        // Kept for long: an array of exactly its size, not of the worst case's.
        return [UInt8](unsafeUninitializedCapacity: scratch.count) { exact, written in
            scratch.withUnsafeBufferPointer { written = exact.initialize(fromContentsOf: $0) }
        }
    }

    /// Compresses `input` into `output` (at least `bound` bytes); returns the bytes written.
    private static func compress(_ input: UnsafeBufferPointer<UInt8>, into output: UnsafeMutableBufferPointer<UInt8>,
                                 table: UnsafeMutableBufferPointer<Int32>) -> Int {
        guard let out = output.baseAddress else { return 0 }
        var writer = SequenceWriter(out: out)
        let count = input.count
        guard let base = input.baseAddress, count > 0 else {
            writer.append(literals: out, count: 0, matchLength: 0, distance: 0)
            return writer.written
        }
        func word(_ at: Int) -> UInt32 { UnsafeRawPointer(base + at).loadUnaligned(as: UInt32.self) }
        var anchor = 0
        var position = 0
        var misses = 0
        let lastSearch = count - minimumMatch
        while position <= lastSearch {
            let current = word(position)
            let slot = hash(current)
            let candidate = Int(table[slot])
            table[slot] = Int32(truncatingIfNeeded: position)
            guard candidate >= 0, candidate < position, position - candidate <= maximumDistance, word(candidate) == current else {
                // Skip ahead faster through data that does not compress.
                misses += 1
                position += 1 + misses >> 5
                continue
            }
            misses = 0
            var start = position
            var from = candidate
            while start > anchor && from > 0 && base[start - 1] == base[from - 1] {
                start -= 1
                from -= 1
            }
            var end = position + minimumMatch
            var source = candidate + minimumMatch
            var differs = false
            while end + 8 <= count {
                let difference = UnsafeRawPointer(base + end).loadUnaligned(as: UInt64.self)
                    ^ UnsafeRawPointer(base + source).loadUnaligned(as: UInt64.self)
                if difference != 0 {
                    end += difference.trailingZeroBitCount >> 3
                    differs = true
                    break
                }
                end += 8
                source += 8
            }
            while !differs && end < count && base[end] == base[source] {
                end += 1
                source += 1
            }
            writer.append(literals: base + anchor, count: start - anchor, matchLength: end - start, distance: start - from)
            anchor = end
            position = end
            // Remember a place inside the match too, so that the next repeat finds it.
            if end - 2 > start && end - 2 <= lastSearch {
                table[hash(word(end - 2))] = Int32(truncatingIfNeeded: end - 2)
            }
        }
        writer.append(literals: base + anchor, count: count - anchor, matchLength: 0, distance: 0)
        return writer.written
    }

    /// The `count` bytes `compressed` holds; nil when it is not a stream of exactly that many bytes.
    public static func decompress(_ compressed: [UInt8], count: Int) -> [UInt8]? {
        guard count >= 0 else { return nil }
        if count == 0 { return compressed.isEmpty || compressed == [0] ? [] : nil }
        var valid = false
        let output = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            initialized = 0
            valid = compressed.withUnsafeBufferPointer { input in
                expand(input, into: buffer, written: &initialized)
            }
            // A failed stream leaves a prefix; the rest is filled so that the array is whole.
            if !valid {
                for index in initialized..<count { buffer.initializeElement(at: index, to: 0) }
                initialized = count
            }
        }
        return valid ? output : nil
    }

    /// Decodes `input` into all of `output`; false when the stream is malformed or its size differs.
    private static func expand(_ input: UnsafeBufferPointer<UInt8>, into output: UnsafeMutableBufferPointer<UInt8>,
                               written: inout Int) -> Bool {
        guard let source = input.baseAddress, let target = output.baseAddress else { return false }
        let inputCount = input.count
        let outputCount = output.count
        var read = 0
        var write = 0
        defer { written = write }
        while read < inputCount {
            let token = Int(source[read])
            read += 1
            var literals = token >> 4
            if literals == 15 {
                guard let extra = continuedLength(source, count: inputCount, at: &read, limit: outputCount) else { return false }
                literals += extra
            }
            guard literals <= inputCount - read, literals <= outputCount - write else { return false }
            if literals <= 16 && inputCount - read >= 16 && outputCount - write >= 16 {
                // Sixteen bytes at once: what lies past the literals is written over later.
                copy16(from: UnsafeRawPointer(source + read), to: UnsafeMutableRawPointer(target + write))
            } else {
                (target + write).update(from: source + read, count: literals)
            }
            read += literals
            write += literals
            if read == inputCount { return token & 0xF == 0 && write == outputCount }
            guard inputCount - read >= 2 else { return false }
            let distance = Int(source[read]) | Int(source[read + 1]) << 8
            read += 2
            var extra = token & 0xF
            if extra == 15 {
                guard let more = continuedLength(source, count: inputCount, at: &read, limit: outputCount) else { return false }
                extra += more
            }
            guard distance > 0, distance <= write, extra <= outputCount - write - minimumMatch else { return false }
            let matchLength = extra + minimumMatch
            let from = target + write - distance
            if distance >= 8 && outputCount - write >= matchLength + 8 {
                // Eight bytes at a time, each read from output already written.
                var copied = 0
                while copied < matchLength {
                    UnsafeMutableRawPointer(target + write + copied)
                        .storeBytes(of: UnsafeRawPointer(from + copied).loadUnaligned(as: UInt64.self), as: UInt64.self)
                    copied += 8
                }
            } else if distance >= matchLength {
                (target + write).update(from: from, count: matchLength)
            } else if distance == 1 {
                (target + write).update(repeating: from.pointee, count: matchLength)
            } else {
                for index in 0..<matchLength { target[write + index] = from[index] }
            }
            write += matchLength
        }
        return write == outputCount
    }

    /// The bytes of a length after a nibble of 15, summed; nil past the stream's end or beyond `limit`.
    @inline(__always)
    private static func continuedLength(_ source: UnsafePointer<UInt8>, count: Int, at read: inout Int, limit: Int) -> Int? {
        var total = 0
        while read < count {
            let byte = Int(source[read])
            read += 1
            total += byte
            if byte != 255 { return total }
            guard total <= limit else { return nil }
        }
        return nil
    }

    @inline(__always)
    private static func copy16(from source: UnsafeRawPointer, to target: UnsafeMutableRawPointer) {
        target.storeBytes(of: source.loadUnaligned(as: UInt64.self), as: UInt64.self)
        (target + 8).storeBytes(of: (source + 8).loadUnaligned(as: UInt64.self), as: UInt64.self)
    }

    private static func hash(_ word: UInt32) -> Int {
        Int((word &* 2_654_435_761) >> UInt32(32 - hashBits))
    }

    /// Writes sequences into an output buffer known to be large enough.
    private struct SequenceWriter {
        let out: UnsafeMutablePointer<UInt8>
        var written = 0

        mutating func append(literals: UnsafePointer<UInt8>, count literalCount: Int, matchLength: Int, distance: Int) {
            let extra = matchLength == 0 ? 0 : matchLength - minimumMatch
            out[written] = UInt8(min(literalCount, 15) << 4 | min(extra, 15))
            written += 1
            appendLength(literalCount)
            (out + written).initialize(from: literals, count: literalCount)
            written += literalCount
            guard matchLength > 0 else { return }
            out[written] = UInt8(truncatingIfNeeded: distance)
            out[written + 1] = UInt8(truncatingIfNeeded: distance >> 8)
            written += 2
            appendLength(extra)
        }

        /// The bytes after a nibble of 15.
        private mutating func appendLength(_ length: Int) {
            guard length >= 15 else { return }
            var rest = length - 15
            while rest >= 255 {
                out[written] = 255
                written += 1
                rest -= 255
            }
            out[written] = UInt8(rest)
            written += 1
        }
    }
}
