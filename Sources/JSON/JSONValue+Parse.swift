import CJSONC

extension JSONValue {
    /// The nesting depth `parse` accepts by default; deeper input is rejected with an error rather
    /// than risking the stack. LSP messages nest a few levels; 512 leaves plenty of room.
    public static let defaultMaximumDepth = 512

    /// Parses one complete JSON text with json-c in strict mode, validating UTF-8.
    /// Empty input, trailing non-space bytes, invalid UTF-8 and nesting beyond `maximumDepth`
    /// are errors.
    public static func parse(_ bytes: some Collection<UInt8>, maximumDepth: Int = defaultMaximumDepth) throws(JSONError) -> JSONValue {
        let result: Result<JSONValue, JSONError>
        if let contiguous = bytes.withContiguousStorageIfAvailable({ parseBuffer($0, maximumDepth: maximumDepth) }) {
            result = contiguous
        } else {
            result = Array(bytes).withUnsafeBufferPointer { parseBuffer($0, maximumDepth: maximumDepth) }
        }
        return try result.get()
    }

    /// Parses a JSON text given as a String.
    public static func parse(_ text: String, maximumDepth: Int = defaultMaximumDepth) throws(JSONError) -> JSONValue {
        try parse(Array(text.utf8), maximumDepth: maximumDepth)
    }

    private static func parseBuffer(_ buffer: UnsafeBufferPointer<UInt8>, maximumDepth: Int) -> Result<JSONValue, JSONError> {
        guard buffer.count <= Int(Int32.max) else {
            return .failure(JSONError("input of \(buffer.count) bytes is too large"))
        }
        guard buffer.contains(where: { !isJSONSpace($0) }) else {
            return .failure(JSONError("empty input", offset: buffer.count))
        }
        guard let tokener = json_tokener_new_ex(Int32(clamping: maximumDepth)) else {
            return .failure(JSONError("out of memory"))
        }
        defer { json_tokener_free(tokener) }
        json_tokener_set_flags(tokener, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8)

        var object = buffer.withMemoryRebound(to: CChar.self) { chars in
            json_tokener_parse_ex(tokener, chars.baseAddress, Int32(chars.count))
        }
        let end = json_tokener_get_parse_end(tokener)
        if object == nil && json_tokener_get_error(tokener) == json_tokener_continue {
            // A top-level number or literal only ends at the end of input: say so with a NUL.
            var terminator: CChar = 0
            object = json_tokener_parse_ex(tokener, &terminator, 1)
        }
        let error = json_tokener_get_error(tokener)
        guard error == json_tokener_success else {
            if object != nil { json_object_put(object) }
            if error == json_tokener_continue {
                return .failure(JSONError("unexpected end of input", offset: buffer.count))
            }
            if error == json_tokener_error_depth {
                return .failure(JSONError("JSON nested deeper than \(maximumDepth) levels", offset: end))
            }
            let description = String(cString: json_tokener_error_desc(error))
            return .failure(JSONError(description, offset: end))
        }
        defer { json_object_put(object) }
        if let garbage = buffer[end...].firstIndex(where: { !isJSONSpace($0) }) {
            return .failure(JSONError("unexpected data after the JSON value", offset: garbage))
        }
        return .success(JSONValue(borrowing: object))
    }

    @inline(__always)
    private static func isJSONSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    /// Copies a json-c tree into Swift values. The tree's depth is bounded by the tokener's
    /// depth limit, so the recursion is too.
    private init(borrowing object: OpaquePointer?) {
        guard let object else {
            self = .null
            return
        }
        switch json_object_get_type(object) {
        case json_type_null:
            self = .null
        case json_type_boolean:
            self = .bool(json_object_get_boolean(object) != 0)
        case json_type_int:
            let value = json_object_get_int64(object)
            if value == Int64.max {
                let unsigned = json_object_get_uint64(object)
                self = unsigned > UInt64(Int64.max) ? .double(Double(unsigned)) : .int(value)
            } else {
                self = .int(value)
            }
        case json_type_double:
            self = .double(json_object_get_double(object))
        case json_type_string:
            let length = Int(json_object_get_string_len(object))
            if let pointer = json_object_get_string(object) {
                let bytes = UnsafeRawBufferPointer(start: pointer, count: length)
                self = .string(String(decoding: bytes, as: UTF8.self))
            } else {
                self = .string("")
            }
        case json_type_array:
            let count = json_object_array_length(object)
            var elements: [JSONValue] = []
            elements.reserveCapacity(count)
            for index in 0..<count {
                elements.append(JSONValue(borrowing: json_object_array_get_idx(object, index)))
            }
            self = .array(elements)
        case json_type_object:
            // json-c keeps the last of duplicate keys, so the keys seen here are distinct.
            var members: [JSONObject.Member] = []
            members.reserveCapacity(Int(json_object_object_length(object)))
            var iterator = json_object_iter_begin(object)
            var end = json_object_iter_end(object)
            while json_object_iter_equal(&iterator, &end) == 0 {
                let key = String(cString: json_object_iter_peek_name(&iterator))
                members.append(JSONObject.Member(key: key, value: JSONValue(borrowing: json_object_iter_peek_value(&iterator))))
                json_object_iter_next(&iterator)
            }
            self = .object(JSONObject(uniqueMembers: members))
        default:
            self = .null
        }
    }
}
