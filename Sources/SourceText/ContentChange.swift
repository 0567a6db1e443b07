/// One change of an LSP `didChange`: replace `range` with `text`, or the whole document when
/// `range` is nil.
public struct ContentChange: Sendable, Hashable {
    public var range: PositionRange?
    public var text: String

    public init(range: PositionRange?, text: String) {
        self.range = range
        self.text = text
    }
}

extension SourceFile {
    /// The file after applying `changes` in order, each one's positions read against the text the
    /// previous one left (LSP semantics). Ranges outside the text are clamped, never rejected.
    public func applying(_ changes: [ContentChange], encoding: PositionEncoding) -> SourceFile {
        var current = self
        for change in changes {
            guard let range = change.range else {
                current = SourceFile(change.text)
                continue
            }
            let replaced = current.textRange(of: range, encoding: encoding)
            if let edited = current.replacing(replaced, with: change.text) {
                current = edited
                continue
            }
            var bytes = current.utf8
            bytes.replaceSubrange(replaced.range, with: Array(change.text.utf8))
            current = SourceFile(utf8: bytes)
        }
        return current
    }
}
