/// The expected output written into the corpus's disas files, for the translation conformance tests.
enum CLIFCorpus {
    /// The expected CLIF at the end of a disas `.wat` file: the trailing `;;` lines with the
    /// prefix and one optional space removed, trimmed.
    static func expectedCLIF(ofDisasFile text: String) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var end = lines.count
        while end > 0 && lines[end - 1].isEmpty { end -= 1 }
        var start = end
        while start > 0 && lines[start - 1].hasPrefix(";;") && !lines[start - 1].hasPrefix(";;!") { start -= 1 }
        let body = lines[start..<end].map { line -> String in
            var rest = line.dropFirst(2)
            if rest.hasPrefix(" ") { rest = rest.dropFirst() }
            return String(rest)
        }
        return body.joined(separator: "\n").trimmingWhitespace()
    }
}

extension String {
    func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
