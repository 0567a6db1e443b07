import SourceText
import Wasm

extension Parser {
    /// Module fields until the `)` closing the module (not consumed) or the end of the text.
    /// Each field that fails is reported once and skipped; a function still yields a placeholder.
    mutating func parseModuleFields(into module: inout ModuleSyntax) {
        while token.kind != .rightParen && token.kind != .endOfFile {
            let fieldDepth = depth
            let start = token.range.start
            do throws(SyntaxError) {
                if token.kind == .annotationStart {
                    if isAnnotation(token, "custom") {
                        module.fields.append(.custom(try parseCustomSection()))
                        continue
                    }
                    if isAnnotation(token, "producers") {
                        module.fields.append(.custom(try parseProducersSection()))
                        continue
                    }
                    if isAnnotation(token, "dylink.0") {
                        module.fields.append(.custom(try parseDylinkSection()))
                        continue
                    }
                    throw error("misplaced annotation", at: token.range)
                }
                guard token.kind == .leftParen else { throw unexpected("a module field") }
                let keyword = peek2()
                guard keyword.kind == .keyword else { advance(); throw unexpected("a module field") }
                switch string(of: keyword) {
                case "type": module.fields.append(.type(try parseTypeField()))
                case "rec": module.fields.append(.recursiveGroup(try parseRecGroup()))
                case "import": module.fields.append(.import(try parseImportField()))
                case "func": module.fields.append(.function(parseFunctionField()))
                case "table": module.fields.append(.table(try parseTableField()))
                case "memory": module.fields.append(.memory(try parseMemoryField()))
                case "global": module.fields.append(.global(try parseGlobalField()))
                case "export": module.fields.append(.export(try parseExportField()))
                case "start":
                    advance()
                    advance()
                    let index = try expectIndex("a function")
                    try expectRightParen()
                    module.fields.append(.start(index, range: TextRange(start: start, end: previousEnd)))
                case "elem": module.fields.append(.element(try parseElementField()))
                case "data": module.fields.append(.data(try parseDataField()))
                case "tag": module.fields.append(.tag(try parseTagField()))
                default:
                    advance()
                    throw unexpected("a module field")
                }
            } catch {
                record(error)
                skip(toDepth: fieldDepth)
                if depth == fieldDepth && token.kind != .leftParen && token.kind != .rightParen {
                    advance()
                }
            }
        }
    }

    /// `(export "name")*` after a definition's identifier.
    mutating func parseInlineExports() throws(SyntaxError) -> [StringSyntax] {
        var names: [StringSyntax] = []
        while atField("export") {
            advance()
            advance()
            names.append(try expectName())
            try expectRightParen()
        }
        return names
    }

    /// `(import "module" "name")` inside a definition.
    mutating func optionalInlineImport() throws(SyntaxError) -> InlineImportSyntax? {
        guard atField("import") else { return nil }
        let open = advance()
        advance()
        let module = try expectName()
        let name = try expectName()
        try expectRightParen()
        return InlineImportSyntax(module: module, name: name, range: TextRange(start: open.range.start, end: previousEnd))
    }

    mutating func parseTypeField() throws(SyntaxError) -> TypeDefinitionSyntax {
        let open = advance()
        advance()
        var definition = TypeDefinitionSyntax(composite: .function(FunctionTypeSyntax()), range: open.range)
        definition.id = try optionalIdentifier()
        definition.nameAnnotation = try optionalNameAnnotation()
        try parseTypeDefinitionBody(into: &definition)
        try expectRightParen()
        definition.range = TextRange(start: open.range.start, end: previousEnd)
        return definition
    }

    mutating func parseRecGroup() throws(SyntaxError) -> RecGroupSyntax {
        let open = advance()
        advance()
        var types: [TypeDefinitionSyntax] = []
        while atField("type") { types.append(try parseTypeField()) }
        try expectRightParen()
        return RecGroupSyntax(types: types, range: TextRange(start: open.range.start, end: previousEnd))
    }

    mutating func parseImportField() throws(SyntaxError) -> ImportItemSyntax {
        let open = advance()
        advance()
        let module = try expectName()
        let name = try expectName()
        try expectLeftParen()
        guard token.kind == .keyword else { throw unexpected("`func`, `table`, `memory`, `global` or `tag`") }
        let kind = string(of: advance())
        let id = try optionalIdentifier()
        let annotation = try optionalNameAnnotation()
        let description: ImportDescriptionSyntax
        switch kind {
        case "func":
            if atField("exact") {
                advance()
                advance()
                let type = try parseTypeUse(allowNames: true)
                try expectRightParen()
                description = .function(type, exact: true)
            } else {
                description = .function(try parseTypeUse(allowNames: true), exact: false)
            }
        case "table": description = .table(try parseTableType())
        case "memory": description = .memory(try parseMemoryType())
        case "global": description = .global(try parseGlobalType())
        case "tag": description = .tag(try parseTypeUse(allowNames: true))
        default: throw error("expected `func`, `table`, `memory`, `global` or `tag`", at: TextRange(start: open.range.start, end: previousEnd))
        }
        try expectRightParen()
        try expectRightParen()
        return ImportItemSyntax(module: module, name: name, id: id, nameAnnotation: annotation,
                                description: description, range: TextRange(start: open.range.start, end: previousEnd))
    }

    /// A function never fails as a whole: errors in its header or body are recorded and it is kept
    /// (with a placeholder body), so the indices of the functions after it stay right.
    mutating func parseFunctionField() -> FunctionSyntax {
        let fieldDepth = depth
        let open = advance()
        advance()
        var function = FunctionSyntax(type: TypeUseSyntax(range: TextRange(at: open.range.end)),
                                      body: ExpressionSyntax(range: TextRange(at: open.range.end)),
                                      range: open.range)
        do throws(SyntaxError) {
            function.id = try optionalIdentifier()
            function.nameAnnotation = try optionalNameAnnotation()
            function.exports = try parseInlineExports()
            function.import = try optionalInlineImport()
            if function.import != nil && atField("exact") {
                advance()
                advance()
                function.exact = true
                function.type = try parseTypeUse(allowNames: true)
                try expectRightParen()
            } else {
                function.type = try parseTypeUse(allowNames: true)
            }
            if function.import == nil {
                while atField("local") {
                    let localOpen = advance()
                    advance()
                    if token.kind == .identifier {
                        let id = try optionalIdentifier()
                        let annotation = try optionalNameAnnotation()
                        let type = try parseValueType()
                        try expectRightParen()
                        function.locals.append(LocalSyntax(id: id, nameAnnotation: annotation, type: type,
                                                           range: TextRange(start: localOpen.range.start, end: previousEnd)))
                    } else {
                        while token.kind != .rightParen {
                            let typeStart = token.range.start
                            let type = try parseValueType()
                            function.locals.append(LocalSyntax(id: nil, type: type,
                                                               range: TextRange(start: typeStart, end: previousEnd)))
                        }
                        advance()
                    }
                }
                function.body = parseExpression(start: token.range.start)
                function.body.instructions.dropExcessCapacity()
            }
            try expectRightParen()
        } catch {
            record(error)
            function.body.hasErrors = true
            skip(toDepth: fieldDepth)
        }
        function.range = TextRange(start: open.range.start, end: previousEnd)
        return function
    }

    mutating func parseTableField() throws(SyntaxError) -> TableSyntax {
        let open = advance()
        advance()
        let id = try optionalIdentifier()
        let annotation = try optionalNameAnnotation()
        let exports = try parseInlineExports()
        let kind: TableSyntax.Kind
        if let inlineImport = try optionalInlineImport() {
            kind = .imported(inlineImport, try parseTableType())
        } else {
            // `shared? (i32|i64)? reftype (elem …)` or `shared? (i32|i64)? limits reftype expr?`.
            let shared = consumeKeyword("shared")
            var is64 = false
            if consumeKeyword("i64") { is64 = true } else { _ = consumeKeyword("i32") }
            if atRefType() {
                let element = try parseRefType()
                guard atField("elem") else { throw unexpected("`(elem …)`") }
                advance()
                advance()
                let payload = try parseElementPayload(type: element, indicesOnly: false)
                try expectRightParen()
                kind = .inline(element, is64: is64, shared: shared, payload)
            } else {
                var limits = LimitsSyntax(minimum: try expectLimit(is64: is64))
                limits.is64 = is64
                if token.kind == .integer { limits.maximum = try expectLimit(is64: is64) }
                let element = try parseRefType()
                let type = TableTypeSyntax(limits: limits, element: element, shared: shared)
                if token.kind == .rightParen {
                    kind = .normal(type, initializer: nil)
                } else {
                    let initializer = parseExpression(start: token.range.start)
                    if initializer.hasErrors { throw error("invalid table initializer", at: initializer.range) }
                    kind = .normal(type, initializer: initializer)
                }
            }
        }
        try expectRightParen()
        return TableSyntax(id: id, nameAnnotation: annotation, exports: exports, kind: kind,
                           range: TextRange(start: open.range.start, end: previousEnd))
    }

    mutating func parseMemoryField() throws(SyntaxError) -> MemorySyntax {
        let open = advance()
        advance()
        let id = try optionalIdentifier()
        let annotation = try optionalNameAnnotation()
        let exports = try parseInlineExports()
        let kind: MemorySyntax.Kind
        if let inlineImport = try optionalInlineImport() {
            kind = .imported(inlineImport, try parseMemoryType())
        } else if token.kind == .leftParen
                    || ((at("i32") || at("i64")) && peek2().kind == .leftParen) {
            var is64 = false
            if consumeKeyword("i64") { is64 = true } else { _ = consumeKeyword("i32") }
            let pageSize = try optionalPageSize()
            guard atField("data") else { throw unexpected("`(data …)`") }
            advance()
            advance()
            var data: [StringSyntax] = []
            while token.kind != .rightParen { data.append(try expectString()) }
            advance()
            kind = .inline(is64: is64, pageSizeLog2: pageSize, data: data)
        } else {
            kind = .normal(try parseMemoryType())
        }
        try expectRightParen()
        return MemorySyntax(id: id, nameAnnotation: annotation, exports: exports, kind: kind,
                            range: TextRange(start: open.range.start, end: previousEnd))
    }

    mutating func parseGlobalField() throws(SyntaxError) -> GlobalSyntax {
        let open = advance()
        advance()
        let id = try optionalIdentifier()
        let annotation = try optionalNameAnnotation()
        let exports = try parseInlineExports()
        let inlineImport = try optionalInlineImport()
        let type = try parseGlobalType()
        var initializer: ExpressionSyntax?
        if inlineImport == nil {
            let expression = parseExpression(start: token.range.start)
            if expression.hasErrors { throw error("invalid global initializer", at: expression.range) }
            initializer = expression
        }
        try expectRightParen()
        return GlobalSyntax(id: id, nameAnnotation: annotation, exports: exports, import: inlineImport, type: type,
                            initializer: initializer, range: TextRange(start: open.range.start, end: previousEnd))
    }

    mutating func parseTagField() throws(SyntaxError) -> TagSyntax {
        let open = advance()
        advance()
        let id = try optionalIdentifier()
        let annotation = try optionalNameAnnotation()
        let exports = try parseInlineExports()
        let inlineImport = try optionalInlineImport()
        let type = try parseTypeUse(allowNames: true)
        try expectRightParen()
        return TagSyntax(id: id, nameAnnotation: annotation, exports: exports, import: inlineImport, type: type,
                         range: TextRange(start: open.range.start, end: previousEnd))
    }

    mutating func parseExportField() throws(SyntaxError) -> ExportSyntax {
        let open = advance()
        advance()
        let name = try expectName()
        try expectLeftParen()
        let kind: ExternalKind
        if consumeKeyword("func") { kind = .function }
        else if consumeKeyword("table") { kind = .table }
        else if consumeKeyword("memory") { kind = .memory }
        else if consumeKeyword("global") { kind = .global }
        else if consumeKeyword("tag") { kind = .tag }
        else { throw unexpected("`func`, `table`, `memory`, `global` or `tag`") }
        let index = try expectIndex()
        try expectRightParen()
        try expectRightParen()
        return ExportSyntax(name: name, kind: kind, index: index, range: TextRange(start: open.range.start, end: previousEnd))
    }

    /// `(keyword expr)` or a single folded instruction, as offsets and element items are written.
    mutating func parseWrappedExpression(_ keyword: StaticString) throws(SyntaxError) -> ExpressionSyntax {
        guard token.kind == .leftParen else { throw unexpected("`(`") }
        let expression: ExpressionSyntax
        if isKeyword(peek2(), keyword) {
            let open = advance()
            advance()
            expression = parseExpression(start: token.range.start)
            try expectRightParen()
            _ = open
        } else {
            expression = parseExpression(start: token.range.start, singleFolded: true)
        }
        if expression.hasErrors { throw error("invalid constant expression", at: expression.range) }
        return expression
    }

    /// Function indices or expressions of an element segment, up to the closing parenthesis.
    mutating func parseElementPayload(type: RefTypeSyntax?, indicesOnly: Bool) throws(SyntaxError) -> ElementPayloadSyntax {
        let isFuncref = type == nil || type == RefTypeSyntax(nullable: true, heap: .abstract(.func, shared: false))
        if let type, token.kind == .leftParen, !indicesOnly {
            var expressions: [ExpressionSyntax] = []
            while token.kind == .leftParen { expressions.append(try parseWrappedExpression("item")) }
            return .expressions(type, expressions)
        }
        var indices: [IndexSyntax] = []
        while let index = try optionalIndex() { indices.append(index) }
        if isFuncref { return .functions(indices) }
        let expressions = indices.map { index in
            var expression = ExpressionSyntax(range: index.range)
            expression.instructions = [InstructionSyntax(opcode: .refFunc, immediates: .index(index), range: index.range)]
            return expression
        }
        return .expressions(type!, expressions)
    }

    mutating func parseElementField() throws(SyntaxError) -> ElementSyntax {
        let open = advance()
        advance()
        let id = try optionalIdentifier()
        let annotation = try optionalNameAnnotation()
        var mode = ElementSyntax.Mode.passive
        var tableOmitted = false
        if consumeKeyword("declare") {
            mode = .declarative
        } else if token.kind == .integer || (token.kind == .leftParen && !atRefType()) {
            var table: IndexSyntax?
            if token.kind == .integer {
                table = try expectIndex()
                tableOmitted = true
            } else if atField("table") {
                advance()
                advance()
                table = try expectIndex("a table")
                try expectRightParen()
            } else {
                tableOmitted = true
            }
            mode = .active(table: table, offset: try parseWrappedExpression("offset"))
        }
        let payload: ElementPayloadSyntax
        if consumeKeyword("func") {
            payload = try parseElementPayload(type: nil, indicesOnly: true)
        } else if atRefType() {
            let type = try parseRefType()
            var expressions: [ExpressionSyntax] = []
            while token.kind == .leftParen { expressions.append(try parseWrappedExpression("item")) }
            payload = .expressions(type, expressions)
        } else if tableOmitted {
            payload = try parseElementPayload(type: nil, indicesOnly: true)
        } else {
            throw unexpected("`func` or a reference type")
        }
        try expectRightParen()
        return ElementSyntax(id: id, nameAnnotation: annotation, mode: mode, payload: payload,
                             range: TextRange(start: open.range.start, end: previousEnd))
    }

    mutating func parseDataField() throws(SyntaxError) -> DataSyntax {
        let open = advance()
        advance()
        let id = try optionalIdentifier()
        let annotation = try optionalNameAnnotation()
        var mode = DataSyntax.Mode.passive
        if token.kind != .string && token.kind != .rightParen {
            var memory: IndexSyntax?
            if token.kind == .integer {
                memory = try expectIndex()
            } else if atField("memory") {
                advance()
                advance()
                memory = try expectIndex("a memory")
                try expectRightParen()
            }
            mode = .active(memory: memory, offset: try parseWrappedExpression("offset"))
        }
        var data: [StringSyntax] = []
        while token.kind != .rightParen { data.append(try expectString()) }
        try expectRightParen()
        return DataSyntax(id: id, nameAnnotation: annotation, mode: mode, data: data,
                          range: TextRange(start: open.range.start, end: previousEnd))
    }

    /// `(@custom "name" (before|after anchor)? "bytes"*)`.
    mutating func parseCustomSection() throws(SyntaxError) -> CustomSectionSyntax {
        let open = advance()
        let name = try expectName()
        var placement = CustomPlacementSyntax.afterLast
        if token.kind == .leftParen {
            advance()
            let isBefore: Bool
            if consumeKeyword("before") { isBefore = true }
            else if consumeKeyword("after") { isBefore = false }
            else { throw unexpected("`before` or `after`") }
            guard token.kind == .keyword else { throw unexpected("a section name") }
            let word = string(of: token)
            if word == "first" && isBefore {
                placement = .beforeFirst
            } else if word == "last" && !isBefore {
                placement = .afterLast
            } else if let anchor = CustomPlacementSyntax.Anchor(rawValue: word) {
                placement = isBefore ? .before(anchor) : .after(anchor)
            } else {
                throw unexpected("a section name")
            }
            advance()
            try expectRightParen()
        }
        var data: [StringSyntax] = []
        while token.kind != .rightParen { data.append(try expectString()) }
        try expectRightParen()
        return CustomSectionSyntax(name: name, placement: placement, data: data,
                                   range: TextRange(start: open.range.start, end: previousEnd))
    }

    /// `(@producers (language "name" "version") (sdk …) (processed-by …))`: the `producers`
    /// custom section, fields in the order language, sdk, processed-by.
    mutating func parseProducersSection() throws(SyntaxError) -> CustomSectionSyntax {
        let open = advance()
        var fields: [(name: String, values: [(StringSyntax, StringSyntax)])] = [("language", []), ("sdk", []), ("processed-by", [])]
        while token.kind == .leftParen {
            advance()
            let field: Int
            if consumeKeyword("language") { field = 0 }
            else if consumeKeyword("sdk") { field = 1 }
            else if consumeKeyword("processed-by") { field = 2 }
            else { throw unexpected("`language`, `sdk` or `processed-by`") }
            let name = try expectName()
            let version = try expectName()
            fields[field].values.append((name, version))
            try expectRightParen()
        }
        try expectRightParen()
        let range = TextRange(start: open.range.start, end: previousEnd)
        var payload: [UInt8] = []
        func appendName(_ bytes: [UInt8]) {
            LEB.append(UInt64(bytes.count), to: &payload)
            payload.append(contentsOf: bytes)
        }
        let present = fields.filter { !$0.values.isEmpty }
        LEB.append(UInt64(present.count), to: &payload)
        for field in present {
            appendName(Array(field.name.utf8))
            LEB.append(UInt64(field.values.count), to: &payload)
            for (name, version) in field.values {
                appendName(name.bytes)
                appendName(version.bytes)
            }
        }
        return CustomSectionSyntax(name: StringSyntax(bytes: Array("producers".utf8), range: open.range),
                                   placement: .afterLast, data: [StringSyntax(bytes: payload, range: range)], range: range)
    }
}

extension Array {
    /// Replaces the storage by an exact-size copy when growth left much unused capacity (function
    /// bodies are most of a module's syntax; this keeps the doubling slack out of the tree).
    mutating func dropExcessCapacity() {
        guard capacity > count + count / 8 + 16 else { return }
        var exact: [Element] = []
        exact.reserveCapacity(count)
        exact.append(contentsOf: self)
        self = exact
    }
}
