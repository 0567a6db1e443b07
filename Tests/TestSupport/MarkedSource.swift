import SourceText

/// A test source with position markers (`1️⃣`, `2️⃣`, …) removed, and the byte offset where each
/// marker stood. Tests say "hover at 1️⃣" instead of counting lines and columns by hand.
public struct MarkedSource: Sendable {
    /// The text without markers.
    public let text: String
    /// Marker → UTF-8 byte offset in `text`.
    public let markers: [String: Int]

    /// The emoji keycap markers recognised, in order.
    public static let markerNames = ["0️⃣", "1️⃣", "2️⃣", "3️⃣", "4️⃣", "5️⃣", "6️⃣", "7️⃣", "8️⃣", "9️⃣", "🔟"]

    public init(_ marked: String) {
        var output = ""
        var found: [String: Int] = [:]
        var offset = 0
        var index = marked.startIndex
        outer: while index < marked.endIndex {
            for name in MarkedSource.markerNames where marked[index...].hasPrefix(name) {
                precondition(found[name] == nil, "marker \(name) used twice")
                found[name] = offset
                index = marked.index(index, offsetBy: name.count)
                continue outer
            }
            let character = marked[index]
            output.append(character)
            offset += character.utf8.count
            index = marked.index(after: index)
        }
        self.text = output
        self.markers = found
    }

    /// The offset of `marker`; a missing marker is a test-authoring error.
    public subscript(marker: String) -> Int {
        guard let offset = markers[marker] else { preconditionFailure("no marker \(marker) in test source") }
        return offset
    }

    /// The range between two markers.
    public func range(_ from: String, _ to: String) -> TextRange {
        TextRange(start: self[from], end: self[to])
    }

    public var sourceFile: SourceFile { SourceFile(text) }
}
