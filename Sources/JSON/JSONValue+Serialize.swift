import CJSONC
#if canImport(Glibc)
import Glibc
#endif

extension JSONValue {
    /// The compact JSON text of this value, written by json-c (`/` is not escaped; numbers that
    /// JSON cannot express, NaN and infinities, are written as `null`).
    public func serialized() -> String {
        String(decoding: serializedBytes(), as: UTF8.self)
    }

    /// The compact JSON text as UTF-8 bytes (`null` if a `.stringPieces` stopped producing).
    public func serializedBytes() -> [UInt8] {
        guard let text = SerializedJSON(self) else { return Array("null".utf8) }
        return text.withBytes { Array($0) }
    }

    /// Builds a json-c tree owning a copy of this value; the caller releases it with `json_object_put`.
    /// `nil` stands for JSON null, as in json-c.
    func makeJSONCObject() -> OpaquePointer? {
        switch self {
        case .null:
            return nil
        case .bool(let value):
            return json_object_new_boolean(value ? 1 : 0)
        case .int(let value):
            return json_object_new_int64(value)
        case .double(let value):
            guard value.isFinite else { return nil }
            // Swift prints the shortest text that reads back to the same double; json-c would
            // print 17 significant digits.
            return json_object_new_double_s(value, JSONValue.shortestText(value))
        case .string(let value):
            var copy = value
            return copy.withUTF8 { bytes in
                bytes.withMemoryRebound(to: CChar.self) {
                    json_object_new_string_len($0.baseAddress, Int32(clamping: $0.count))
                }
            }
        case .stringPieces(let pieces):
            return pieces.makeJSONCObject()
        case .array(let elements):
            if elements.count >= JSONValue.integerRunThreshold, let array = JSONValue.integerArray(elements) {
                return array
            }
            let array = json_object_new_array_ext(Int32(clamping: elements.count))
            for element in elements {
                json_object_array_add(array, element.makeJSONCObject())
            }
            return array
        case .integers(let integers):
            return integers.makeJSONCObject()
        case .object(let members):
            let object = json_object_new_object()
            for member in members.members {
                json_object_object_add_ex(object, member.key, member.value.makeJSONCObject(),
                                          UInt32(JSON_C_OBJECT_ADD_KEY_IS_NEW))
            }
            return object
        }
    }

    /// Arrays at least this long whose elements are all integers are written in one piece.
    static let integerRunThreshold = 32

    /// A json-c array that prints `elements`, all integers, from text rendered here: one object
    /// instead of one per number (semantic tokens send millions of them). json-c still writes
    /// the text into the message, through its standard userdata serializer; `nil` when an
    /// element is not an integer.
    private static func integerArray(_ elements: [JSONValue]) -> OpaquePointer? {
        // At most 20 characters per Int64 and one comma each, plus brackets and the terminator.
        let capacity = elements.count * 21 + 3
        guard let text = malloc(capacity)?.assumingMemoryBound(to: UInt8.self) else { return nil }
        var length = 0
        text[length] = UInt8(ascii: "["); length += 1
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        for (index, element) in elements.enumerated() {
            guard case .int(let value) = element else {
                free(text)
                return nil
            }
            if index > 0 { text[length] = UInt8(ascii: ","); length += 1 }
            if value < 0 { text[length] = UInt8(ascii: "-"); length += 1 }
            var magnitude = value.magnitude
            let count = withUnsafeMutableBytes(of: &digits) { scratch in
                var end = scratch.count
                repeat {
                    end -= 1
                    scratch[end] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                    magnitude /= 10
                } while magnitude > 0
                let count = scratch.count - end
                for offset in 0..<count { text[length + offset] = scratch[end + offset] }
                return count
            }
            length += count
        }
        text[length] = UInt8(ascii: "]"); length += 1
        text[length] = 0
        let array = json_object_new_array()
        json_object_set_serializer(array, json_object_userdata_to_json_string, text, json_object_free_userdata)
        return array
    }

    private static func shortestText(_ value: Double) -> String {
        if abs(value) < 1e15, let whole = Int64(exactly: value) {
            return String(whole) + ".0"
        }
        return value.description
    }
}
