import SourceText

/// Where a value comes from, for dominance checks.
enum ValueDefinition {
    case param(block: Int)
    case result(block: Int, index: Int)
}

/// Raised by a fatal verifier error: Cranelift stops verifying the function there.
struct VerifierStop: Error {}

/// One verification of one function; checks run in Cranelift's order, with its fatal stops.
struct VerifierPass {
    let function: Function
    let context: VerifierContext
    var errors: [VerifierError] = []

    var signatures: [UInt32: Signature] = [:]
    var functionRefs: [UInt32: ExternalFunctionData] = [:]
    var globalValues: [UInt32: Declared<GlobalValueData>] = [:]
    var stackSlots: Set<UInt32> = []
    var dynamicStackSlots: Set<UInt32> = []
    var regions: Set<UInt32> = []
    var constants: [UInt32: ConstantData] = [:]
    var blockIndex: [UInt32: Int] = [:]
    /// Definition of each value by number.
    var definitionTable: [ValueDefinition?] = []
    var aliasTargets: [Value: Value] = [:]
    var dominators: Dominators

    init(function: Function, context: VerifierContext) {
        self.function = function
        self.context = context
        for item in function.signatures { signatures[item.number] = item.data }
        for item in function.functionRefs { functionRefs[item.number] = item.data }
        for item in function.globalValues { globalValues[item.number] = item }
        stackSlots = Set(function.stackSlots.map(\.number))
        dynamicStackSlots = Set(function.dynamicStackSlots.map(\.number))
        regions = Set(function.regions.map(\.number))
        for item in function.constants { constants[item.number] = item.data }
        var table = [ValueDefinition?](repeating: nil, count: function.valueTypes.count)
        func define(_ value: Value, _ definition: ValueDefinition) {
            let number = Int(value.number)
            if number >= table.count {
                table.append(contentsOf: repeatElement(nil, count: number + 1 - table.count))
            }
            table[number] = definition
        }
        var blocks: [UInt32: Int] = [:]
        for index in function.blocks.indices where blocks[function.blocks[index].block.number] == nil {
            blocks[function.blocks[index].block.number] = index
            for param in function.blocks[index].params { define(param.value, .param(block: index)) }
            for instructionIndex in function.blocks[index].instructions.indices {
                for result in function.blocks[index].instructions[instructionIndex].results {
                    define(result, .result(block: index, index: instructionIndex))
                }
            }
        }
        definitionTable = table
        blockIndex = blocks
        aliasTargets = function.aliasTargets
        dominators = Dominators(function: function, blockIndex: blocks)
    }

    mutating func run() {
        do {
            try runChecks()
        } catch {}
    }

    // MARK: Reporting

    func range(of location: EntityLocation) -> TextRange {
        switch location {
        case .function:
            return function.nameRange ?? function.range ?? TextRange(at: 0)
        case .stackLimit:
            return function.stackLimit?.range ?? function.range ?? TextRange(at: 0)
        case .instruction(let block, let index):
            let instruction = function.blocks[block].instructions[index]
            return instruction.range ?? function.range ?? TextRange(at: 0)
        case .entity(let entity):
            return declarationRange(entity) ?? function.range ?? TextRange(at: 0)
        }
    }

    func declarationRange(_ entity: EntityRef) -> TextRange? {
        switch entity.kind {
        case .block: return function.blocks.first { $0.block.number == entity.number }?.nameRange
        case .globalValue: return globalValues[entity.number]?.range
        case .region: return function.regions.first { $0.number == entity.number }?.range
        case .signature: return function.signatures.first { $0.number == entity.number }?.range
        case .functionRef: return function.functionRefs.first { $0.number == entity.number }?.range
        case .value: return definitionRange(of: Value(entity.number))
        default: return nil
        }
    }

    func definitionRange(of value: Value) -> TextRange? {
        function.mentions.first { $0.isDefinition && $0.entity == EntityRef(.value, value.number) }?.range
    }

    /// The range of `value` where `location`'s instruction uses it, else the instruction.
    func useRange(of value: Value, at location: EntityLocation) -> TextRange {
        if case .instruction(let block, let index) = location {
            let instruction = function.blocks[block].instructions[index]
            let target = EntityRef(.value, value.number)
            if let mention = function.mentions[instruction.mentions].first(where: { $0.entity == target && !$0.isDefinition }) {
                return mention.range
            }
        }
        return range(of: location)
    }

    mutating func report(_ location: EntityLocation, _ message: String, at range: TextRange? = nil,
                         related: [RelatedLocation] = []) {
        let diagnostic = Diagnostic.error(message, at: range ?? self.range(of: location), code: "clif-verifier", related: related)
        errors.append(VerifierError(location: location, diagnostic: diagnostic))
    }

    mutating func fatal(_ location: EntityLocation, _ message: String, at range: TextRange? = nil,
                        related: [RelatedLocation] = []) throws -> Never {
        report(location, message, at: range, related: related)
        throw VerifierStop()
    }

    func definition(of value: Value) -> ValueDefinition? {
        let number = Int(value.number)
        return number < definitionTable.count ? definitionTable[number] : nil
    }

    func resolve(_ value: Value) -> Value {
        if aliasTargets.isEmpty { return value }
        var current = value
        var steps = 0
        while let next = aliasTargets[current], steps <= aliasTargets.count {
            current = next
            steps += 1
        }
        return current
    }

    func type(of value: Value) -> CLIFType { function.type(of: resolve(value)) }

    func isAllowed(_ value: Value) -> Bool { definition(of: resolve(value)) != nil }

    // MARK: Function-level checks

    mutating func runChecks() throws {
        verifyGlobalValues()
        verifyAliasRegions()
        try typecheckEntryBlockParams()
        try checkEntryNotCold()
        try typecheckFunctionSignature()
        try verifySignatures()
        for index in function.blocks.indices {
            if function.blocks[index].instructions.isEmpty {
                let block = function.blocks[index].block
                try fatal(.entity(EntityRef(.block, block.number)), "\(block) cannot be empty")
            }
            for instructionIndex in function.blocks[index].instructions.indices {
                try verifyInstruction(block: index, index: instructionIndex)
            }
            try encodableAsBasicBlock(index)
        }
    }

    mutating func verifyGlobalValues() {
        var cycleSeen = false
        let vmctxDeclared = function.signature.params.contains { $0.purpose == .vmContext }
        for item in function.globalValues.sorted(by: { $0.number < $1.number }) {
            let location = EntityLocation.entity(EntityRef(.globalValue, item.number))
            var seen: [UInt32] = [item.number]
            var current = item.data
            var cyclic = false
            while let base = current.base {
                if seen.contains(base) {
                    if !cycleSeen {
                        report(location, "global value cycle: [" + seen.map { "gv\($0)" }.joined(separator: ", ") + "]")
                        cycleSeen = true
                    }
                    cyclic = true
                    break
                }
                seen.append(base)
                guard let next = globalValues[base]?.data else { break }
                current = next
            }
            if cyclic { continue }
            switch item.data {
            case .vmContext:
                if !vmctxDeclared { report(location, "undeclared vmctx reference gv\(item.number)") }
            case .iaddImm(let base, _, let type):
                if !(type.isInt && type.isScalar) {
                    report(location, "iadd_imm global value with non-int type \(type)")
                } else if context.pointerType != nil, let baseType = globalType(base), baseType != type {
                    report(location, "iadd_imm type \(type) differs from operand type \(baseType)")
                }
            case .load(let base, _, _, let flags):
                if let pointer = context.pointerType, let baseType = globalType(base), baseType != pointer {
                    report(location, "base gv\(base) has type \(baseType), which is not the pointer type \(pointer)")
                }
                if let region = flags.region, !regions.contains(region) {
                    report(location, "undefined alias region region\(region)")
                }
            default:
                break
            }
        }
    }

    func globalType(_ number: UInt32) -> CLIFType? {
        guard let data = globalValues[number]?.data else { return nil }
        switch data {
        case .vmContext, .symbol, .dynScaleTargetConst: return context.pointerType
        case .iaddImm(_, _, let type), .load(_, _, let type, _): return type
        }
    }

    mutating func verifyAliasRegions() {
        var seen: [UInt32: UInt32] = [:]
        for item in function.regions.sorted(by: { $0.number < $1.number }) {
            if let previous = seen[item.data.userID] {
                report(.entity(EntityRef(.region, item.number)),
                       "duplicate alias region user_id \(item.data.userID): region\(previous) and region\(item.number)")
            } else {
                seen[item.data.userID] = item.number
            }
        }
    }

    var hasErrors: Bool { !errors.isEmpty }

    mutating func typecheckEntryBlockParams() throws {
        if let entry = function.blocks.first {
            let location = EntityLocation.entity(EntityRef(.block, entry.block.number))
            let expected = function.signature.params
            if entry.params.count != expected.count {
                try fatal(location, "entry block parameters (\(entry.params.count)) must match function signature (\(expected.count))")
            }
            for (index, param) in entry.params.enumerated() where param.type != expected[index].type {
                report(location, "entry block parameter \(index) expected to have type \(expected[index]), got \(param.type)",
                       at: param.range)
            }
        }
        if hasErrors { throw VerifierStop() }
    }

    mutating func checkEntryNotCold() throws {
        if let entry = function.blocks.first, entry.isCold {
            try fatal(.entity(EntityRef(.block, entry.block.number)), "entry block cannot be marked as cold")
        }
        if hasErrors { throw VerifierStop() }
    }

    mutating func typecheckFunctionSignature() throws {
        let items = function.signature.params.enumerated().map { (true, $0.offset, $0.element) }
            + function.signature.returns.enumerated().map { (false, $0.offset, $0.element) }
        for (isArgument, index, param) in items {
            let item = isArgument ? "Parameter" : "Return value"
            if case .structArgument = param.purpose, !isArgument {
                report(.function, "\(item) at position \(index) can't be an struct argument")
            }
            if !(param.type.isInt && param.type.isScalar) && param.extension_ != .none {
                let name = param.extension_ == .uext ? "Uext" : "Sext"
                report(.function, "\(item) at position \(index) has invalid extension \(name)")
            }
        }
        if hasErrors { throw VerifierStop() }
    }

    mutating func verifySignatures() throws {
        if function.signature.callConv == .preserveAll && !function.signature.returns.isEmpty {
            try fatal(.function, "Signature with `preserve_all` ABI cannot have return values")
        }
        for item in function.functionRefs.sorted(by: { $0.number < $1.number }) {
            if let signature = signatures[item.data.signature], signature.callConv == .preserveAll, !signature.returns.isEmpty {
                try fatal(.entity(EntityRef(.functionRef, item.number)), "Signature with `preserve_all` ABI cannot have return values")
            }
        }
        for item in function.signatures.sorted(by: { $0.number < $1.number })
        where item.data.callConv == .preserveAll && !item.data.returns.isEmpty {
            try fatal(.entity(EntityRef(.signature, item.number)), "Signature with `preserve_all` ABI cannot have return values")
        }
    }

    mutating func encodableAsBasicBlock(_ block: Int) throws {
        let instructions = function.blocks[block].instructions
        guard let branch = instructions.firstIndex(where: { $0.opcode.info.properties.contains(.branch) }) else { return }
        if branch + 1 < instructions.count {
            try fatal(.instruction(block: block, index: branch + 1), "post-terminator instruction")
        }
    }
}
