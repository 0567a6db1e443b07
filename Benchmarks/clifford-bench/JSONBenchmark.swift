import Foundation
import JSON

/// `clifford-bench json`: parse + re-serialise 1 MB LSP messages with the JSON target (json-c)
/// and with Foundation's JSONSerialization, on two shapes: a `didOpen` whose text is 1 MB, and a
/// `publishDiagnostics` with thousands of small objects.
func runJSONBenchmark(_ arguments: [String]) throws {
    let repetitions = arguments.first.flatMap(Int.init) ?? 30
    let messages = [
        ("didOpen, 1 MB of text", didOpenMessage(bytes: 1 << 20)),
        ("publishDiagnostics, 1 MB of objects", diagnosticsMessage(bytes: 1 << 20)),
    ]
    print("JSON parse + serialise, median of \(repetitions) runs")
    for (label, message) in messages {
        let bytes = Array(message.utf8)
        let data = Data(bytes)
        // The two must agree before their speeds are compared.
        let ours = try JSONValue.parse(bytes)
        let foundation = try JSONSerialization.jsonObject(with: data)
        precondition(JSONSerialization.isValidJSONObject(foundation) && ours.objectValue != nil)

        let jsonC = try medianMilliseconds(repetitions: repetitions) {
            let value = try JSONValue.parse(bytes)
            precondition(!value.serializedBytes().isEmpty)
        }
        let serialization = try medianMilliseconds(repetitions: repetitions) {
            let object = try JSONSerialization.jsonObject(with: data)
            let written = try JSONSerialization.data(withJSONObject: object)
            precondition(!written.isEmpty)
        }
        let parseOnly = try medianMilliseconds(repetitions: repetitions) { _ = try JSONValue.parse(bytes) }
        let serialiseOnly = medianMilliseconds(repetitions: repetitions) { _ = ours.serializedBytes() }
        let megabytes = Double(bytes.count) / 1_048_576
        print("  \(label) (\(bytes.count) bytes):")
        print("    JSON (json-c)       \(formatted(jsonC)) ms  (\(formatted(megabytes / jsonC * 1000, digits: 0)) MB/s)")
        print("      of which parse \(formatted(parseOnly)) ms, serialise \(formatted(serialiseOnly)) ms")
        print("    JSONSerialization   \(formatted(serialization)) ms  (\(formatted(megabytes / serialization * 1000, digits: 0)) MB/s)")
        print("    speed-up            \(formatted(serialization / jsonC, digits: 1))x")
    }
    try runTokensSerialisation(repetitions: max(3, repetitions / 6))
    runLargeStringSerialisation(repetitions: max(3, repetitions / 6))
}

/// Serialising an answer carrying a 34.5 MiB text shaped like c-graphviz's generated CLIF (short
/// indented lines, 4,000 functions): as one `.string` copied into json-c and out again, and as
/// `.stringPieces` escaped function by function into json-c's buffer and read in place.
private func runLargeStringSerialisation(repetitions: Int) {
    let line = Array("@00a4                               v12 = iadd v10, v11  ; v11 = 1\n".utf8)
    let function = [UInt8]((0..<(34_500_000 / 4_000 / line.count)).flatMap { _ in line })
    let pieces = JSONStringPieces(count: 4_000) { _ in function }
    let whole = String(decoding: (0..<4_000).flatMap { _ in function }, as: UTF8.self)
    let asString: JSONValue = ["jsonrpc": "2.0", "id": 1, "result": ["uri": "clifford-clif:x", "text": .string(whole)]]
    let asPieces: JSONValue = ["jsonrpc": "2.0", "id": 1, "result": ["uri": "clifford-clif:x", "text": .stringPieces(pieces)]]
    precondition(asString.serializedBytes() == asPieces.serializedBytes())
    let stringMs = medianMilliseconds(repetitions: repetitions) { _ = asString.serializedBytes() }
    let piecesMs = medianMilliseconds(repetitions: repetitions) { precondition(SerializedJSON(asPieces) != nil) }
    print("  answer with a \(formatted(Double(whole.utf8.count) / 1_048_576, digits: 1)) MiB text, serialise only:")
    print("    one .string, copied out      \(formatted(stringMs)) ms")
    print("    .stringPieces, read in place \(formatted(piecesMs)) ms")
}

/// Serialising a semantic-tokens answer the size of c-graphviz's (719,294 tokens, five integers
/// each): the JSON target against JSONSerialization, serialise only.
private func runTokensSerialisation(repetitions: Int) throws {
    let integers = (0..<(719_294 * 5)).map { Int64(($0 * 2_654_435_761) % 1_000) }
    let value: JSONValue = ["jsonrpc": "2.0", "id": 1,
                            "result": ["resultId": "1", "data": .array(integers.map(JSONValue.int))]]
    let foundation: [String: Any] = ["jsonrpc": "2.0", "id": 1, "result": ["resultId": "1", "data": integers]]
    let bytes = value.serializedBytes()
    let ours = medianMilliseconds(repetitions: repetitions) { _ = value.serializedBytes() }
    // One non-integer element sends the array down the general path: one json-c object a number.
    let general = JSONValue.array(integers.map(JSONValue.int) + [.null])
    let perElement = medianMilliseconds(repetitions: repetitions) { _ = general.serializedBytes() }
    let theirs = try medianMilliseconds(repetitions: repetitions) {
        _ = try JSONSerialization.data(withJSONObject: foundation)
    }
    print("  semanticTokens answer, \(integers.count) integers (\(bytes.count) bytes), serialise only:")
    print("    JSON (json-c)       \(formatted(ours)) ms  (one object a number: \(formatted(perElement)) ms)")
    print("    JSONSerialization   \(formatted(theirs)) ms")
}

private func didOpenMessage(bytes: Int) -> String {
    var text = ""
    var line = 0
    while text.utf8.count < bytes {
        text += "    (i32.add (local.get $x\(line)) (i32.const \(line))) ;; \"quoted\" é 😀\n"
        line += 1
    }
    let value: JSONValue = [
        "jsonrpc": "2.0", "method": "textDocument/didOpen",
        "params": ["textDocument": ["uri": "file:///bench/big.wat", "languageId": "wat", "version": 1,
                                    "text": .string(text)]],
    ]
    return value.serialized()
}

private func diagnosticsMessage(bytes: Int) -> String {
    var diagnostics: [JSONValue] = []
    var size = 0
    var index: Int64 = 0
    while size < bytes {
        let diagnostic: JSONValue = [
            "range": ["start": ["line": .int(index), "character": 4], "end": ["line": .int(index), "character": 19]],
            "severity": 1, "code": "wasm-type-mismatch", "source": "clifford",
            "message": "type mismatch: expected i32, found i64",
            "relatedInformation": [["location": ["uri": "file:///bench/big.wat",
                                                 "range": ["start": ["line": 0, "character": 0],
                                                           "end": ["line": 0, "character": 5]]],
                                    "message": "function type defined here"]],
        ]
        size += diagnostic.serializedBytes().count + 1
        diagnostics.append(diagnostic)
        index += 1
    }
    let value: JSONValue = [
        "jsonrpc": "2.0", "method": "textDocument/publishDiagnostics",
        "params": ["uri": "file:///bench/big.wat", "version": 3, "diagnostics": .array(diagnostics)],
    ]
    return value.serialized()
}
