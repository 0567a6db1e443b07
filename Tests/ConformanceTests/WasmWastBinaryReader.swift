import Foundation

/// A minimal reader of the `(module binary "...")` forms of a .wast script, for the binary decoder's
/// conformance test only (the WAT target owns the real .wast parser).
struct WastBinaryModule {
    /// The command the module sits in: `module`, `assert_malformed`, `assert_invalid`, ...
    var command: String
    var bytes: [UInt8]
    var line: Int
    /// The lines of the command's and the module's opening parentheses.
    var commandLine: Int
    var moduleLine: Int
}

enum WastBinaryReader {
    static func modules(in source: String) -> [WastBinaryModule] {
        let text = Array(source.utf8)
        var result: [WastBinaryModule] = []
        var index = 0
        var line = 1
        var depth = 0
        var command = ""
        var pendingModuleDepth: Int?
        var expectBinaryAfterModule = false
        var collecting: (depth: Int, bytes: [UInt8], line: Int)?
        var tokensAfterModule = 0
        var commandLine = 0
        var moduleLine = 0
        while index < text.count {
            let c = text[index]
            if c == UInt8(ascii: "\n") { line += 1 }
            if c == UInt8(ascii: ";"), index + 1 < text.count, text[index + 1] == UInt8(ascii: ";") {
                while index < text.count, text[index] != UInt8(ascii: "\n") { index += 1 }
                continue
            }
            if c == UInt8(ascii: "("), index + 1 < text.count, text[index + 1] == UInt8(ascii: ";") {
                var nesting = 1
                index += 2
                while index < text.count, nesting > 0 {
                    if text[index] == UInt8(ascii: "\n") { line += 1 }
                    if text[index] == UInt8(ascii: "("), index + 1 < text.count, text[index + 1] == UInt8(ascii: ";") {
                        nesting += 1
                        index += 2
                    } else if text[index] == UInt8(ascii: ";"), index + 1 < text.count, text[index + 1] == UInt8(ascii: ")") {
                        nesting -= 1
                        index += 2
                    } else {
                        index += 1
                    }
                }
                continue
            }
            if c == UInt8(ascii: "(") {
                depth += 1
                index += 1
                let word = readWord(text, &index)
                if depth == 1 {
                    command = word
                    commandLine = line
                }
                if word == "module" {
                    moduleLine = line
                    pendingModuleDepth = depth
                    expectBinaryAfterModule = true
                    tokensAfterModule = 0
                }
                continue
            }
            if c == UInt8(ascii: ")") {
                if let current = collecting, current.depth == depth {
                    result.append(
                        WastBinaryModule(
                            command: command, bytes: current.bytes, line: current.line, commandLine: commandLine,
                            moduleLine: moduleLine))
                    collecting = nil
                }
                if pendingModuleDepth == depth { pendingModuleDepth = nil }
                depth -= 1
                index += 1
                continue
            }
            if c == UInt8(ascii: "\"") {
                let bytes = readString(text, &index, &line)
                if collecting != nil, collecting!.depth == depth { collecting!.bytes += bytes }
                expectBinaryAfterModule = false
                continue
            }
            if c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") || c == UInt8(ascii: "\n") || c == UInt8(ascii: "\r") {
                index += 1
                continue
            }
            let wordLine = line
            let word = readWord(text, &index)
            if word.isEmpty {
                index += 1
                continue
            }
            if expectBinaryAfterModule, let moduleDepth = pendingModuleDepth, moduleDepth == depth {
                tokensAfterModule += 1
                if word == "binary" {
                    collecting = (depth, [], wordLine)
                    expectBinaryAfterModule = false
                } else if !(word.hasPrefix("$") || word == "definition") || tokensAfterModule > 2 {
                    expectBinaryAfterModule = false
                }
            }
        }
        return result
    }

    static func readWord(_ text: [UInt8], _ index: inout Int) -> String {
        let start = index
        while index < text.count {
            let c = text[index]
            if c == UInt8(ascii: "(") || c == UInt8(ascii: ")") || c == UInt8(ascii: " ") || c == UInt8(ascii: "\n")
                || c == UInt8(ascii: "\t") || c == UInt8(ascii: "\r") || c == UInt8(ascii: "\"") || c == UInt8(ascii: ";")
            {
                break
            }
            index += 1
        }
        return String(decoding: text[start..<index], as: UTF8.self)
    }

    static func readString(_ text: [UInt8], _ index: inout Int, _ line: inout Int) -> [UInt8] {
        var bytes: [UInt8] = []
        index += 1
        while index < text.count, text[index] != UInt8(ascii: "\"") {
            let c = text[index]
            if c == UInt8(ascii: "\n") { line += 1 }
            if c == UInt8(ascii: "\\"), index + 1 < text.count {
                let next = text[index + 1]
                switch next {
                case UInt8(ascii: "n"): bytes.append(0x0a); index += 2
                case UInt8(ascii: "t"): bytes.append(0x09); index += 2
                case UInt8(ascii: "r"): bytes.append(0x0d); index += 2
                case UInt8(ascii: "\\"), UInt8(ascii: "\""), UInt8(ascii: "'"): bytes.append(next); index += 2
                case UInt8(ascii: "u"):
                    var end = index + 3
                    while end < text.count, text[end] != UInt8(ascii: "}") { end += 1 }
                    let hex = String(decoding: text[(index + 3)..<end], as: UTF8.self).replacingOccurrences(of: "_", with: "")
                    if let scalar = UInt32(hex, radix: 16).flatMap(Unicode.Scalar.init) {
                        bytes += Array(String(Character(scalar)).utf8)
                    }
                    index = end + 1
                default:
                    let hex = String(decoding: text[(index + 1)...(index + 2)], as: UTF8.self)
                    bytes.append(UInt8(hex, radix: 16) ?? 0)
                    index += 3
                }
            } else {
                bytes.append(c)
                index += 1
            }
        }
        index += 1
        return bytes
    }
}
