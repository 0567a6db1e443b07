import CJSONC

/// A JSON text as json-c wrote it, read in place from json-c's output buffer: a large message is
/// framed and written from here without another copy. Immutable once made; the buffer is freed
/// with this object, so it is only lent out (`withBytes`).
public final class SerializedJSON: @unchecked Sendable {
    /// The json-c tree whose output buffer holds `bytes` (nil for JSON null).
    private let root: OpaquePointer?
    private let bytes: UnsafeRawBufferPointer

    /// The text's length in bytes.
    public var count: Int { bytes.count }

    /// The text of `value`, or nil when a `.stringPieces` inside stopped producing or json-c
    /// failed (out of memory, a text beyond 2 GiB).
    public init?(_ value: JSONValue) {
        let root = value.makeJSONCObject()
        var length = 0
        guard let text = json_object_to_json_string_length(
            root, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &length)
        else {
            if root != nil { json_object_put(root) }
            return nil
        }
        self.root = root
        self.bytes = UnsafeRawBufferPointer(start: text, count: length)
    }

    /// Lends the compact JSON text (UTF-8), valid only within `body`.
    public func withBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try withExtendedLifetime(self) { try body(bytes) }
    }

    deinit {
        if root != nil { json_object_put(root) }
    }
}
