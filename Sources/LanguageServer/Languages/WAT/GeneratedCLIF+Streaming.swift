import JSON

extension GeneratedCLIF {
    /// The whole document as a JSON string that is printed function by function while the answer
    /// carrying it is written, so neither the text nor its escaped copy exists apart from the
    /// message. Production stops when the request is cancelled.
    public var jsonText: JSONValue {
        let header = Array((header + "\n").utf8)
        let functions = functions
        let printer = printer
        return .stringPieces(JSONStringPieces(count: functions.count + 1) { index in
            if Task.isCancelled { return nil }
            return index == 0 ? header : printer.text(of: functions[index - 1])
        })
    }
}
