import JSON
import SourceText

extension Position {
    /// LSP JSON form.
    public var json: JSONValue { ["line": JSONValue(line), "character": JSONValue(character)] }
}

extension PositionRange {
    /// LSP JSON form.
    public var json: JSONValue { ["start": start.json, "end": end.json] }
}
