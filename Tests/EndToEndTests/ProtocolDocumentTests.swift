import Foundation
import Testing
import JSON
import TestSupport

/// Replays the examples of protocol/README.md against the real binary, so the document cannot
/// drift from the code: `json client` blocks are sent in order (an `initialize` starts a new
/// server), each `json server` block must be matched by a message of the server's of the same
/// shape (see the rules at the top of that document).
@Suite struct ProtocolDocumentTests {
    enum Sender { case client, server }

    struct Example {
        var sender: Sender
        var message: JSONValue
        var line: Int
    }

    /// The marked blocks of the document, in order.
    static func examples() throws -> [Example] {
        let text = try String(contentsOfFile: TestEnvironment.packageRoot + "/protocol/README.md", encoding: .utf8)
        var examples: [Example] = []
        var current: (sender: Sender, line: Int, lines: [String])?
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if var block = current {
                if line.trimmingCharacters(in: .whitespaces) == "```" {
                    let message = try JSONValue.parse(block.lines.joined(separator: "\n"))
                    examples.append(Example(sender: block.sender, message: message, line: block.line))
                    current = nil
                } else {
                    block.lines.append(String(line))
                    current = block
                }
            } else if line == "```json client" {
                current = (.client, number + 1, [])
            } else if line == "```json server" {
                current = (.server, number + 1, [])
            }
        }
        return examples
    }

    /// Why `actual` does not have the shape of `expected`, or nil when it does. Objects need every
    /// documented key; arrays at least the documented elements (none when none are documented);
    /// strings with `…` match any string starting with the part before it, other strings,
    /// numbers and booleans must be equal.
    static func mismatch(_ expected: JSONValue, _ actual: JSONValue?, at path: String) -> String? {
        guard let actual else { return "\(path) is missing" }
        switch expected {
        case .object(let object):
            guard actual.objectValue != nil else { return "\(path) is not an object: \(actual.serialized())" }
            for (key, value) in object {
                if let problem = mismatch(value, actual[key], at: path + "." + key) { return problem }
            }
            return nil
        case .array(let elements):
            guard let actualElements = actual.arrayValue else { return "\(path) is not an array: \(actual.serialized())" }
            if elements.isEmpty && !actualElements.isEmpty { return "\(path) should be empty: \(actual.serialized())" }
            guard actualElements.count >= elements.count else {
                return "\(path) has \(actualElements.count) elements, the example \(elements.count): \(actual.serialized())"
            }
            for (index, element) in elements.enumerated() {
                if let problem = mismatch(element, actualElements[index], at: "\(path)[\(index)]") { return problem }
            }
            return nil
        case .string(let string):
            guard let actualString = actual.stringValue else { return "\(path) is not a string: \(actual.serialized())" }
            if let ellipsis = string.firstIndex(of: "…") {
                return actualString.hasPrefix(string[..<ellipsis]) ? nil : "\(path) = \(actual.serialized()) does not start like \(string)"
            }
            return actualString == string ? nil : "\(path) = \(actual.serialized()), the example has \(expected.serialized())"
        default:
            return actual == expected ? nil : "\(path) = \(actual.serialized()), the example has \(expected.serialized())"
        }
    }

    @Test func everyExampleOfTheProtocolDocumentReplays() async throws {
        let examples = try Self.examples()
        #expect(examples.count >= 20, "\(examples.count) examples")
        var server: ServerProcess?
        var sessions = 0
        var checked = 0
        for example in examples {
            let message = example.message
            switch example.sender {
            case .client:
                if message["method"] == "initialize" {
                    server?.closeInput()
                    server = try ServerProcess()
                    sessions += 1
                }
                let current = try #require(server, "README line \(example.line): no initialize before this message")
                current.send(message)
            case .server:
                let current = try #require(server, "README line \(example.line): no session")
                let answer: JSONValue?
                if let method = message["method"] {
                    answer = await current.wait(seconds: 20) { $0["method"] == method && ($0["id"] != nil) == (message["id"] != nil) }
                } else {
                    answer = await current.response(to: try #require(message["id"]), seconds: 20)
                }
                guard let answer else {
                    Issue.record("README line \(example.line): the server sent nothing like \(message.serialized())")
                    continue
                }
                if let problem = Self.mismatch(message, answer, at: "message") {
                    Issue.record("README line \(example.line): \(problem)")
                }
                checked += 1
            }
        }
        server?.closeInput()
        print("protocol/README.md: \(examples.count) examples, \(sessions) sessions, \(checked) server messages checked")
    }
}
