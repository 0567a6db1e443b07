import SourceText

extension Parser {
    static let abstractHeapTypes: [String: AbstractHeapTypeSyntax] = {
        var table: [String: AbstractHeapTypeSyntax] = [:]
        for type in AbstractHeapTypeSyntax.allCases { table[type.rawValue] = type }
        return table
    }()

    /// `funcref`, `externref`, …: the nullable shorthands.
    static let referenceShorthands: [String: AbstractHeapTypeSyntax] = [
        "funcref": .func, "externref": .extern, "anyref": .any, "eqref": .eq, "structref": .struct,
        "arrayref": .array, "i31ref": .i31, "exnref": .exn, "nullref": .none, "nullexternref": .noextern,
        "nullfuncref": .nofunc, "nullexnref": .noexn, "contref": .cont, "nullcontref": .nocont,
    ]

    /// Whether the cursor starts a value type.
    mutating func atValueType() -> Bool {
        if token.kind == .keyword {
            let word = string(of: token)
            switch word {
            case "i32", "i64", "f32", "f64", "v128": return true
            default: return Parser.referenceShorthands[word] != nil
            }
        }
        return token.kind == .leftParen && isKeyword(peek2(), "ref")
    }

    /// Whether the cursor starts a reference type.
    mutating func atRefType() -> Bool {
        if token.kind == .keyword { return Parser.referenceShorthands[string(of: token)] != nil }
        return token.kind == .leftParen && isKeyword(peek2(), "ref")
    }

    mutating func parseValueType() throws(SyntaxError) -> ValueTypeSyntax {
        if token.kind == .keyword {
            let word = string(of: token)
            switch word {
            case "i32": advance(); return .i32
            case "i64": advance(); return .i64
            case "f32": advance(); return .f32
            case "f64": advance(); return .f64
            case "v128": advance(); return .v128
            default: break
            }
        }
        guard atRefType() else { throw unexpected("a value type") }
        return .ref(try parseRefType())
    }

    mutating func parseRefType() throws(SyntaxError) -> RefTypeSyntax {
        if token.kind == .keyword, let heap = Parser.referenceShorthands[string(of: token)] {
            advance()
            return RefTypeSyntax(nullable: true, heap: .abstract(heap, shared: false))
        }
        guard token.kind == .leftParen, isKeyword(peek2(), "ref") else { throw unexpected("a reference type") }
        advance()
        advance()
        let nullable = consumeKeyword("null")
        let heap = try parseHeapType()
        try expectRightParen()
        return RefTypeSyntax(nullable: nullable, heap: heap)
    }

    mutating func parseHeapType() throws(SyntaxError) -> HeapTypeSyntax {
        if token.kind == .keyword, let type = Parser.abstractHeapTypes[string(of: token)] {
            advance()
            return .abstract(type, shared: false)
        }
        if let index = try optionalIndex() { return .concrete(index) }
        if token.kind == .leftParen {
            let next = peek2()
            if isKeyword(next, "shared") {
                advance()
                advance()
                guard token.kind == .keyword, let type = Parser.abstractHeapTypes[string(of: token)] else {
                    throw unexpected("an abstract heap type")
                }
                advance()
                try expectRightParen()
                return .abstract(type, shared: true)
            }
            if isKeyword(next, "exact") {
                advance()
                advance()
                let index = try expectIndex("a type index")
                try expectRightParen()
                return .exact(index)
            }
        }
        throw unexpected("a heap type")
    }

    mutating func parseStorageType() throws(SyntaxError) -> StorageTypeSyntax {
        if consumeKeyword("i8") { return .i8 }
        if consumeKeyword("i16") { return .i16 }
        return .value(try parseValueType())
    }

    /// `storagetype` or `(mut storagetype)`.
    mutating func parseFieldType(id: Identifier?, start: Int) throws(SyntaxError) -> FieldSyntax {
        if atField("mut") {
            advance()
            advance()
            let type = try parseStorageType()
            try expectRightParen()
            return FieldSyntax(id: id, type: type, mutable: true, range: TextRange(start: start, end: previousEnd))
        }
        let fieldStart = token.range.start
        let type = try parseStorageType()
        return FieldSyntax(id: id, type: type, mutable: false, range: TextRange(start: fieldStart, end: previousEnd))
    }

    /// `(@name "…")` right after an identifier.
    mutating func optionalNameAnnotation() throws(SyntaxError) -> String? {
        guard token.kind == .annotationStart, isAnnotation(token, "name") else { return nil }
        advance()
        let name = try expectName()
        try expectRightParen()
        return name.text
    }

    /// `(param …)* (result …)*`; nil when neither is present. `allowNames` is false in block types
    /// and call_indirect, where parameters cannot be named.
    mutating func optionalFunctionType(allowNames: Bool) throws(SyntaxError) -> FunctionTypeSyntax? {
        var type: FunctionTypeSyntax?
        while token.kind == .leftParen {
            let next = peek2()
            if isKeyword(next, "param") {
                if let type, !type.results.isEmpty {
                    throw error("parameters must come before results", at: next.range)
                }
                var current = type ?? FunctionTypeSyntax()
                let start = token.range.start
                advance()
                advance()
                if allowNames && token.kind == .identifier {
                    let id = try optionalIdentifier()
                    let annotation = try optionalNameAnnotation()
                    let valueType = try parseValueType()
                    try expectRightParen()
                    current.params.append(ParamSyntax(id: id, nameAnnotation: annotation, type: valueType,
                                                      range: TextRange(start: start, end: previousEnd)))
                } else {
                    while token.kind != .rightParen {
                        let typeStart = token.range.start
                        let valueType = try parseValueType()
                        current.params.append(ParamSyntax(id: nil, nameAnnotation: nil, type: valueType,
                                                          range: TextRange(start: typeStart, end: previousEnd)))
                    }
                    advance()
                }
                type = current
            } else if isKeyword(next, "result") {
                var current = type ?? FunctionTypeSyntax()
                advance()
                advance()
                while token.kind != .rightParen {
                    current.results.append(try parseValueType())
                }
                advance()
                type = current
            } else {
                break
            }
        }
        return type
    }

    /// `(type $t)? (param …)* (result …)*`.
    mutating func parseTypeUse(allowNames: Bool) throws(SyntaxError) -> TypeUseSyntax {
        let start = token.range.start
        var index: IndexSyntax?
        if atField("type") {
            advance()
            advance()
            index = try expectIndex("a type index")
            try expectRightParen()
        }
        let inline = try optionalFunctionType(allowNames: allowNames)
        let end = max(start, previousEnd)
        return TypeUseSyntax(index: index, inline: inline,
                             range: index == nil && inline == nil ? TextRange(at: start) : TextRange(start: start, end: end))
    }

    /// The definition inside `(type $t …)`, cursor after `$t`, at `(`.
    mutating func parseTypeDefinitionBody(into definition: inout TypeDefinitionSyntax) throws(SyntaxError) {
        try expectLeftParen()
        if consumeKeyword("sub") {
            definition.isFinal = consumeKeyword("final")
            definition.supertype = try optionalIndex()
            try expectLeftParen()
            try parseSharedComposite(into: &definition)
            try expectRightParen()
        } else {
            try parseSharedComposite(into: &definition)
        }
        try expectRightParen()
    }

    /// `shared (…)` or the composite type, with the cursor after an opening parenthesis.
    mutating func parseSharedComposite(into definition: inout TypeDefinitionSyntax) throws(SyntaxError) {
        if consumeKeyword("shared") {
            definition.shared = true
            try expectLeftParen()
            try parseDescribedComposite(into: &definition)
            try expectRightParen()
        } else {
            try parseDescribedComposite(into: &definition)
        }
    }

    mutating func parseDescribedComposite(into definition: inout TypeDefinitionSyntax) throws(SyntaxError) {
        if consumeKeyword("describes") {
            definition.describes = try expectIndex("a type index")
            try expectRightParen()
            try expectLeftParen()
        }
        if consumeKeyword("descriptor") {
            definition.descriptor = try expectIndex("a type index")
            try expectRightParen()
            try expectLeftParen()
        }
        definition.composite = try parseCompositeType()
    }

    /// `func …`, `struct …`, `array …` or `cont …`, up to (not including) the closing parenthesis.
    mutating func parseCompositeType() throws(SyntaxError) -> CompositeTypeSyntax {
        if consumeKeyword("func") {
            return .function(try optionalFunctionType(allowNames: true) ?? FunctionTypeSyntax())
        }
        if consumeKeyword("struct") {
            var fields: [FieldSyntax] = []
            while token.kind == .leftParen {
                let start = token.range.start
                advance()
                try expectKeyword("field")
                if token.kind == .identifier {
                    let id = try optionalIdentifier()
                    fields.append(try parseFieldType(id: id, start: start))
                } else {
                    while token.kind != .rightParen {
                        fields.append(try parseFieldType(id: nil, start: token.range.start))
                    }
                }
                try expectRightParen()
            }
            return .structure(fields)
        }
        if consumeKeyword("array") {
            return .array(try parseFieldType(id: nil, start: token.range.start))
        }
        if consumeKeyword("cont") {
            return .continuation(try expectIndex("a type index"))
        }
        throw unexpected("`func`, `struct`, `array` or `cont`")
    }

    /// `i64? min max?` for memories and tables; 32-bit limits must fit 32 bits.
    mutating func parseLimits() throws(SyntaxError) -> LimitsSyntax {
        var limits = LimitsSyntax(minimum: 0)
        if consumeKeyword("i64") { limits.is64 = true } else { _ = consumeKeyword("i32") }
        limits.minimum = try expectLimit(is64: limits.is64)
        if token.kind == .integer { limits.maximum = try expectLimit(is64: limits.is64) }
        return limits
    }

    mutating func expectLimit(is64: Bool) throws(SyntaxError) -> UInt64 {
        if is64 { return try expectU64() }
        let range = token.range
        let value = try expectU64()
        guard value <= UInt64(UInt32.max) else { throw error("i32 constant out of range", at: range) }
        return value
    }

    mutating func parseTableType() throws(SyntaxError) -> TableTypeSyntax {
        let shared = consumeKeyword("shared")
        let limits = try parseLimits()
        let element = try parseRefType()
        return TableTypeSyntax(limits: limits, element: element, shared: shared)
    }

    /// Memory limits are read as 64-bit numbers whatever the index type, so the module still
    /// encodes as wasm-tools writes it; a 32-bit memory's limit that does not fit 32 bits is also
    /// reported here, on the number, because its text form is a u32.
    mutating func parseMemoryType() throws(SyntaxError) -> MemoryTypeSyntax {
        var limits = LimitsSyntax(minimum: 0)
        if consumeKeyword("i64") { limits.is64 = true } else { _ = consumeKeyword("i32") }
        limits.minimum = try expectMemoryLimit(is64: limits.is64)
        if token.kind == .integer { limits.maximum = try expectMemoryLimit(is64: limits.is64) }
        let shared = consumeKeyword("shared")
        let pageSize = try optionalPageSize()
        return MemoryTypeSyntax(limits: limits, shared: shared, pageSizeLog2: pageSize)
    }

    private mutating func expectMemoryLimit(is64: Bool) throws(SyntaxError) -> UInt64 {
        let range = token.range
        let value = try expectU64()
        if !is64 && value > UInt64(UInt32.max) {
            diagnostics.append(.error(
                "memory size must be at most 4294967295 pages: a 32-bit memory's limits are u32 (i32 constant out of range)",
                at: range, code: "wat-syntax"))
        }
        return value
    }

    /// `(pagesize N)`: N must be a power of two; returns its log2.
    mutating func optionalPageSize() throws(SyntaxError) -> UInt32? {
        guard atField("pagesize") else { return nil }
        advance()
        advance()
        let range = token.range
        let size = try expectU64()
        guard size != 0, size & (size - 1) == 0 else {
            throw error("invalid custom page size", at: range)
        }
        try expectRightParen()
        return UInt32(size.trailingZeroBitCount)
    }

    mutating func parseGlobalType() throws(SyntaxError) -> GlobalTypeSyntax {
        if atField("mut") {
            advance()
            advance()
            let shared = consumeKeyword("shared")
            let type = try parseValueType()
            try expectRightParen()
            return GlobalTypeSyntax(type: type, mutable: true, shared: shared)
        }
        let shared = consumeKeyword("shared")
        return GlobalTypeSyntax(type: try parseValueType(), mutable: false, shared: shared)
    }
}
