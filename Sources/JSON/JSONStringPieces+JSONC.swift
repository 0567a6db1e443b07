import CJSONC

extension JSONStringPieces {
    /// A json-c string whose serializer writes these pieces, escaped, into the output buffer of
    /// the message being written; it can be serialized once. The caller owns the object.
    func makeJSONCObject() -> OpaquePointer? {
        guard let object = json_object_new_string_len("", 0) else { return nil }
        OneShotSerializer.attach({ [self] buffer, flags in write(into: buffer, flags: flags) }, to: object)
        return object
    }

    /// The escaped text goes to json-c's buffer in chunks of about this many bytes.
    static let sliceLength = 64 * 1024

    /// Writes the quoted, escaped string into `buffer`; false when a piece is missing (the
    /// producer stopped) or json-c failed.
    private func write(into buffer: UnsafeMutablePointer<printbuf>, flags: Int32) -> Bool {
        guard let table = EscapeTable(flags: flags) else { return false }
        // Room for one more escape (at most 6 bytes) past a full chunk.
        let chunk = UnsafeMutablePointer<UInt8>.allocate(capacity: JSONStringPieces.sliceLength + 8)
        defer { chunk.deallocate() }
        var used = 0
        func flush() -> Bool {
            defer { used = 0 }
            return chunk.withMemoryRebound(to: CChar.self, capacity: used) { printbuf_memappend(buffer, $0, Int32(used)) } >= 0
        }
        chunk[0] = UInt8(ascii: "\"")
        used = 1
        for index in 0..<count {
            guard let piece = piece(index) else { return false }
            let written = piece.withUnsafeBufferPointer { bytes in
                table.lengths.withUnsafeBufferPointer { lengths in
                    table.escapes.withUnsafeBufferPointer { escapes in
                        for byte in bytes {
                            if used >= JSONStringPieces.sliceLength, !flush() { return false }
                            let length = Int(lengths[Int(byte)])
                            if length == 0 {
                                chunk[used] = byte
                                used += 1
                            } else {
                                let escape = Int(byte) * EscapeTable.stride
                                for offset in 0..<length { chunk[used + offset] = escapes[escape + offset] }
                                used += length
                            }
                        }
                        return true
                    }
                }
            }
            guard written else { return false }
        }
        chunk[used] = UInt8(ascii: "\"")
        used += 1
        return flush()
    }

    /// How json-c writes each byte value inside a string, asked of json-c itself (for the given
    /// serializer flags, which decide `/`). json-c escapes byte by byte, so writing the pieces
    /// from this table gives exactly json-c's text without passing every byte through it.
    private struct EscapeTable {
        static let stride = 8
        /// 0 where json-c copies the byte as is, else the length of its escape.
        var lengths = [UInt8](repeating: 0, count: 256)
        /// Each byte's escape, `stride` bytes apart.
        var escapes = [UInt8](repeating: 0, count: 256 * stride)

        init?(flags: Int32) {
            guard let scratch = json_object_new_string_len("", 0) else { return nil }
            defer { json_object_put(scratch) }
            for value in 0..<256 {
                var byte = CChar(bitPattern: UInt8(value))
                guard json_object_set_string_len(scratch, &byte, 1) != 0 else { return nil }
                var length = 0
                guard let quoted = json_object_to_json_string_length(scratch, flags, &length),
                      length >= 3, length - 2 <= EscapeTable.stride else { return nil }
                let escaped = UnsafeRawBufferPointer(start: quoted + 1, count: length - 2)
                if escaped.count == 1 && escaped[0] == UInt8(value) { continue }
                lengths[value] = UInt8(escaped.count)
                for (offset, escapedByte) in escaped.enumerated() { escapes[value * EscapeTable.stride + offset] = escapedByte }
            }
        }
    }
}
