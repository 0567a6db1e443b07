import SourceText
import Wasm

extension Parser {
    /// The symbol flag keywords of `dylink.0` export and import info, with their bits.
    private static let dylinkFlags: [(word: String, bit: UInt32)] = [
        ("binding-weak", 1 << 0), ("binding-local", 1 << 1), ("visibility-hidden", 1 << 2), ("undefined", 1 << 4),
        ("exported", 1 << 5), ("explicit-name", 1 << 6), ("no-strip", 1 << 7), ("tls", 1 << 8), ("absolute", 1 << 9),
    ]

    /// `(@dylink.0 (mem-info (memory size align)? (table size align)?) (needed "lib"*)
    /// (export-info "name" flags*) (import-info "module" "name" flags*))`: the `dylink.0` custom
    /// section, placed before the first section. Each field is a subsection in text order, except that
    /// consecutive `export-info` (or `import-info`) fields share one subsection.
    mutating func parseDylinkSection() throws(SyntaxError) -> CustomSectionSyntax {
        let open = advance()
        var subsections: [(id: UInt8, entries: Int?, content: [UInt8])] = []
        while token.kind == .leftParen {
            advance()
            var content: [UInt8] = []
            if consumeKeyword("mem-info") {
                var values: [UInt32] = [0, 0, 0, 0]
                for (slot, word) in [(0, "memory"), (2, "table")] {
                    guard token.kind == .leftParen, string(of: peek2()) == word else { continue }
                    advance()
                    advance()
                    values[slot] = try expectU32()
                    values[slot + 1] = try expectU32()
                    try expectRightParen()
                }
                for value in values { LEB.append(UInt64(value), to: &content) }
                subsections.append((1, nil, content))
            } else if consumeKeyword("needed") {
                var count = 0
                while token.kind == .string {
                    Self.appendName(try expectName().bytes, to: &content)
                    count += 1
                }
                var counted: [UInt8] = []
                LEB.append(UInt64(count), to: &counted)
                subsections.append((2, nil, counted + content))
            } else if at("export-info") || at("import-info") {
                let id: UInt8 = at("export-info") ? 3 : 4
                advance()
                if id == 4 { Self.appendName(try expectName().bytes, to: &content) }
                Self.appendName(try expectName().bytes, to: &content)
                LEB.append(UInt64(try parseDylinkFlags()), to: &content)
                if let last = subsections.last, last.id == id, let entries = last.entries {
                    subsections[subsections.count - 1] = (id, entries + 1, last.content + content)
                } else {
                    subsections.append((id, 1, content))
                }
            } else {
                throw unexpected("`mem-info`, `needed`, `export-info` or `import-info`")
            }
            try expectRightParen()
        }
        try expectRightParen()
        var payload: [UInt8] = []
        for subsection in subsections {
            var body: [UInt8] = []
            if let entries = subsection.entries { LEB.append(UInt64(entries), to: &body) }
            body += subsection.content
            payload.append(subsection.id)
            LEB.append(UInt64(body.count), to: &payload)
            payload += body
        }
        let range = TextRange(start: open.range.start, end: previousEnd)
        return CustomSectionSyntax(name: StringSyntax(bytes: Array("dylink.0".utf8), range: open.range),
                                   placement: .beforeFirst, data: [StringSyntax(bytes: payload, range: range)], range: range)
    }

    /// Symbol flags: numbers and flag keywords, or-ed together.
    private mutating func parseDylinkFlags() throws(SyntaxError) -> UInt32 {
        var flags: UInt32 = 0
        while token.kind != .rightParen {
            if token.kind == .integer {
                flags |= try expectU32()
            } else if token.kind == .keyword, let flag = Self.dylinkFlags.first(where: { $0.word == string(of: token) }) {
                advance()
                flags |= flag.bit
            } else {
                throw unexpected("a symbol flag")
            }
        }
        return flags
    }

    private static func appendName(_ bytes: [UInt8], to payload: inout [UInt8]) {
        LEB.append(UInt64(bytes.count), to: &payload)
        payload.append(contentsOf: bytes)
    }
}
