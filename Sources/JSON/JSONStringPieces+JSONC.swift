import CJSONC

extension JSONStringPieces {
    /// A json-c string whose serializer writes these pieces, escaped, into the output buffer of
    /// the message being written, one slice at a time. The caller owns the object.
    func makeJSONCObject() -> OpaquePointer? {
        guard let object = json_object_new_string_len("", 0) else { return nil }
        let box = Unmanaged.passRetained(Box(self)).toOpaque()
        json_object_set_serializer(object, { object, buffer, _, flags in
            guard let object, let buffer, let box = json_object_get_userdata(object) else { return -1 }
            let pieces = Unmanaged<Box>.fromOpaque(box).takeUnretainedValue().pieces
            return pieces.write(into: buffer, flags: flags) ? 0 : -1
        }, box, { _, box in
            if let box { Unmanaged<Box>.fromOpaque(box).release() }
        })
        return object
    }

    /// What the serializer reads through json-c's userdata pointer.
    private final class Box {
        let pieces: JSONStringPieces
        init(_ pieces: JSONStringPieces) { self.pieces = pieces }
    }

    /// Longest slice escaped at once: json-c escapes byte by byte, so any cut gives the same
    /// text, and the scratch string it escapes from stays small.
    static let sliceLength = 64 * 1024

    /// Writes the quoted, escaped string into `buffer`; false when a piece is missing (the
    /// producer stopped) or json-c failed.
    private func write(into buffer: UnsafeMutablePointer<printbuf>, flags: Int32) -> Bool {
        // json-c escapes a string when it writes one: one scratch string carries each slice through
        // that escaping, and the text between its quotes is what the message receives.
        guard let scratch = json_object_new_string_len("", 0) else { return false }
        defer { json_object_put(scratch) }
        guard printbuf_memappend(buffer, "\"", 1) >= 0 else { return false }
        for index in 0..<count {
            guard let piece = piece(index) else { return false }
            let written = piece.withUnsafeBufferPointer { bytes in
                bytes.withMemoryRebound(to: CChar.self) { chars in
                    var start = 0
                    while start < chars.count {
                        let length = min(JSONStringPieces.sliceLength, chars.count - start)
                        guard JSONStringPieces.appendEscaped(chars.baseAddress! + start, length: length,
                                                             using: scratch, to: buffer, flags: flags) else { return false }
                        start += length
                    }
                    return true
                }
            }
            guard written else { return false }
        }
        return printbuf_memappend(buffer, "\"", 1) >= 0
    }

    private static func appendEscaped(_ slice: UnsafePointer<CChar>, length: Int, using scratch: OpaquePointer,
                                      to buffer: UnsafeMutablePointer<printbuf>, flags: Int32) -> Bool {
        guard json_object_set_string_len(scratch, slice, Int32(length)) != 0 else { return false }
        var quotedLength = 0
        guard let quoted = json_object_to_json_string_length(scratch, flags, &quotedLength), quotedLength >= 2 else { return false }
        return printbuf_memappend(buffer, quoted + 1, Int32(quotedLength - 2)) >= 0
    }
}
