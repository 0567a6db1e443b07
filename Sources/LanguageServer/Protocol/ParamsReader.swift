import JSON
import SourceText

/// Reads request parameters, turning a missing or mistyped field into an `InvalidParams` error
/// that names the field's path.
public struct ParamsReader: Sendable {
    public let value: JSONValue?
    let path: String

    public init(_ value: JSONValue?, path: String = "params") {
        self.value = value
        self.path = path
    }

    /// The member `key`, which may be absent (reading it further then fails with its path).
    public subscript(key: String) -> ParamsReader {
        ParamsReader(value?[key], path: path + "." + key)
    }

    public var isPresent: Bool { value != nil && value?.isNull == false }

    public func object() throws(ResponseError) -> JSONObject {
        guard let object = value?.objectValue else { throw missing("an object") }
        return object
    }

    public func string() throws(ResponseError) -> String {
        guard let string = value?.stringValue else { throw missing("a string") }
        return string
    }

    public func int() throws(ResponseError) -> Int {
        guard let int = value?.intValue else { throw missing("an integer") }
        return int
    }

    public func array() throws(ResponseError) -> [ParamsReader] {
        guard let array = value?.arrayValue else { throw missing("an array") }
        return array.enumerated().map { ParamsReader($1, path: "\(path)[\($0)]") }
    }

    /// An LSP `Position`.
    public func position() throws(ResponseError) -> Position {
        let line = try self["line"].int()
        let character = try self["character"].int()
        guard line >= 0, character >= 0 else {
            throw ResponseError.invalidParams("\(path) must not be negative")
        }
        return Position(line: line, character: character)
    }

    /// An LSP `Range`.
    public func range() throws(ResponseError) -> PositionRange {
        PositionRange(start: try self["start"].position(), end: try self["end"].position())
    }

    private func missing(_ kind: String) -> ResponseError {
        ResponseError.invalidParams(value == nil ? "missing \(path)" : "\(path) must be \(kind)")
    }
}
