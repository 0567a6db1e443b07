import SourceText

/// CLIF text of a function together with the range of every printed instruction.
public struct PrintedFunction: Sendable {
    public var text: String
    /// Per block (layout order), per instruction: the range of its line without the indent.
    public var instructionRanges: [[TextRange]]
}

/// Writes functions exactly as Cranelift's `write.rs` does (`func.display()`).
public enum Printer {
    public static func print(_ function: Function) -> String {
        printWithRanges(function).text
    }

    public static func printWithRanges(_ function: Function) -> PrintedFunction {
        var writer = FunctionWriter(function: function)
        writer.write()
        return PrintedFunction(text: writer.out, instructionRanges: writer.ranges)
    }
}

/// Writes one function into `out`, Cranelift style, collecting instruction ranges.
struct FunctionWriter {
    let function: Function
    var out = ""
    var ranges: [[TextRange]] = []
    /// Defining block index of each value (by number), -1 when unknown.
    var definingBlock: [Int32] = []
    /// For values defined by constant instructions: the printed constant.
    var constantText: [Int: String] = [:]
    var aliasesOf: [Value: [Value]] = [:]

    init(function: Function) {
        self.function = function
    }

    mutating func write() {
        indexValues()
        out += "function \(function.name)\(function.signature) {\n"
        var any = writePreamble()
        var hasLocations = false
        for blockIndex in function.blocks.indices where !hasLocations {
            for index in function.blocks[blockIndex].instructions.indices {
                if function.blocks[blockIndex].instructions[index].sourceLocation != nil
                    || function.blocks[blockIndex].instructions[index].hasDebugTags {
                    hasLocations = true
                    break
                }
            }
        }
        let indent = hasLocations ? 36 : 4
        for block in function.blocks {
            if any { out += "\n" }
            any = true
            writeBlock(block, indent: indent)
        }
        out += "}\n"
    }

    mutating func indexValues() {
        var maxNumber = function.valueTypes.count
        for alias in function.aliases { maxNumber = max(maxNumber, Int(alias.alias.number) + 1) }
        definingBlock = Array(repeating: -1, count: maxNumber)
        for (blockIndex, block) in function.blocks.enumerated() {
            for param in block.params where Int(param.value.number) < maxNumber {
                definingBlock[Int(param.value.number)] = Int32(blockIndex)
            }
            for instruction in block.instructions {
                for result in instruction.results where Int(result.number) < maxNumber {
                    definingBlock[Int(result.number)] = Int32(blockIndex)
                }
                if instruction.results.count == 1, let text = constantComment(instruction) {
                    constantText[Int(instruction.results[0].number)] = text
                }
            }
        }
        for alias in function.aliases.sorted(by: { $0.alias < $1.alias }) {
            aliasesOf[alias.target, default: []].append(alias.alias)
        }
    }

    func constantComment(_ instruction: Instruction) -> String? {
        switch instruction.immediates {
        case .imm64(let raw) where instruction.opcode.format == .unaryImm:
            return NumberFormat.imm64(signExtended(raw, instruction.controllingType))
        case .ieee16(let bits): return NumberFormat.float(bits: UInt128(bits), exponentBits: 5, significandBits: 10)
        case .ieee32(let bits): return NumberFormat.float(bits: UInt128(bits), exponentBits: 8, significandBits: 23)
        case .ieee64(let bits): return NumberFormat.float(bits: UInt128(bits), exponentBits: 11, significandBits: 52)
        case .constant(let number):
            if instruction.opcode == .f128const,
               let data = function.constants.first(where: { $0.number == number })?.data, data.bytes.count == 16 {
                var bits: UInt128 = 0
                for byte in data.bytes.reversed() { bits = bits << 8 | UInt128(byte) }
                return NumberFormat.float(bits: bits, exponentBits: 15, significandBits: 112)
            }
            return "const\(number)"
        default:
            return nil
        }
    }

    func signExtended(_ raw: Int64, _ type: CLIFType) -> Int64 {
        let bits = type.bits
        guard bits > 0 && bits < 64 else { return raw }
        let shift = Int64(64 - bits)
        return (raw << shift) >> shift
    }

    mutating func writePreamble() -> Bool {
        var any = false
        func line(_ entity: String, _ text: String) {
            out += "    \(entity) = \(text)\n"
            any = true
        }
        for item in function.dynamicTypes.sorted(by: { $0.number < $1.number }) {
            line("dt\(item.number)", "\(item.data.baseType)*gv\(item.data.scale)")
        }
        for item in function.dynamicStackSlots.sorted(by: { $0.number < $1.number }) {
            line("dss\(item.number)", "\(item.data.kind.rawValue) dt\(item.data.dynamicType)")
        }
        for item in function.stackSlots.sorted(by: { $0.number < $1.number }) {
            line("ss\(item.number)", item.data.description)
        }
        for item in function.regions.sorted(by: { $0.number < $1.number }) {
            line("region\(item.number)", "\(item.data.userID) \"\(item.data.description)\"")
        }
        for item in function.globalValues.sorted(by: { $0.number < $1.number }) {
            line("gv\(item.number)", globalValueText(item.data))
        }
        for item in function.signatures.sorted(by: { $0.number < $1.number }) {
            line("sig\(item.number)", item.data.description)
        }
        for item in function.functionRefs.sorted(by: { $0.number < $1.number }) {
            var text = item.data.colocated ? "colocated " : ""
            if item.data.patchable { text += "patchable " }
            line("fn\(item.number)", text + "\(item.data.name) sig\(item.data.signature)")
        }
        for item in function.constants.sorted(by: { $0.number < $1.number }) {
            line("const\(item.number)", item.data.description)
        }
        if let limit = function.stackLimit {
            line("stack_limit", "gv\(limit.data)")
        }
        return any
    }

    func globalValueText(_ data: GlobalValueData) -> String {
        switch data {
        case .vmContext:
            return "vmctx"
        case .load(let base, let offset, let type, let flags):
            return "load.\(type)\(flags) gv\(base)\(NumberFormat.offset32(offset))"
        case .iaddImm(let base, let offset, let type):
            return "iadd_imm.\(type) gv\(base), \(NumberFormat.imm64(offset))"
        case .symbol(let name, let offset, let colocated, let tls):
            var text = "symbol " + (colocated ? "colocated " : "") + (tls ? "tls " : "") + name.description
            if offset > 0 { text += "+" }
            if offset != 0 { text += NumberFormat.imm64(offset) }
            return text
        case .dynScaleTargetConst(let vectorType):
            return "dyn_scale_target_const.\(vectorType)"
        }
    }

    mutating func writeBlock(_ block: BlockData, indent: Int) {
        out += String(repeating: " ", count: indent - 4) + block.block.description
        if !block.params.isEmpty {
            out += "(" + block.params.map { "\($0.value): \($0.type)" }.joined(separator: ", ") + ")"
        }
        out += block.isCold ? " cold:\n" : ":\n"
        for param in block.params { writeAliases(of: param.value, indent: indent) }
        var blockRanges: [TextRange] = []
        blockRanges.reserveCapacity(block.instructions.count)
        for instruction in block.instructions {
            blockRanges.append(writeInstruction(instruction, indent: indent))
        }
        ranges.append(blockRanges)
    }

    mutating func writeAliases(of target: Value, indent: Int) {
        var stack = [target]
        while let current = stack.popLast() {
            for alias in aliasesOf[current] ?? [] {
                out += String(repeating: " ", count: indent) + "\(alias) -> \(current)\n"
                stack.append(alias)
            }
        }
    }

    mutating func writeInstruction(_ instruction: Instruction, indent: Int) -> TextRange {
        var width = indent
        let lineStart = out.utf8.count
        if instruction.hasDebugTags {
            let tags = "<" + instruction.debugTags.map(\.description).joined(separator: ", ") + "> "
            out += tags
            width = max(0, width - tags.utf8.count)
        }
        var prefix = ""
        if let location = instruction.sourceLocation {
            let hex = String(location, radix: 16)
            prefix = "@" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex + " "
        }
        out += prefix
        if prefix.utf8.count < width { out += String(repeating: " ", count: width - prefix.utf8.count) }
        let start = instruction.sourceLocation != nil || instruction.hasDebugTags ? lineStart : out.utf8.count
        if !instruction.results.isEmpty {
            out += instruction.results.map(\.description).joined(separator: ", ") + " = "
        }
        out += instruction.opcode.name
        if let suffix = typeSuffix(instruction) { out += "." + suffix.description }
        writeOperands(instruction)
        writeConstantComments(instruction)
        let end = out.utf8.count
        out += "\n"
        for result in instruction.results { writeAliases(of: result, indent: indent) }
        return TextRange(start: start, end: end)
    }

    func typeSuffix(_ instruction: Instruction) -> CLIFType? {
        let info = instruction.opcode.info
        guard info.isPolymorphic else { return nil }
        if info.typeFromOperand, info.typeVariableOperand < instruction.arguments.count {
            let operand = function.resolveAlias(instruction.arguments[info.typeVariableOperand])
            let index = Int(operand.number)
            if index < definingBlock.count, definingBlock[index] >= 0,
               let own = instructionBlock(instruction), Int(definingBlock[index]) == own {
                return nil
            }
            let operandType = function.type(of: operand)
            return operandType.isInvalid ? instruction.controllingType : operandType
        }
        return instruction.controllingType
    }

    /// The block index holding `instruction`, found through its results or the current block.
    func instructionBlock(_ instruction: Instruction) -> Int? {
        ranges.count < function.blocks.count ? ranges.count : nil
    }

    mutating func writeOperands(_ instruction: Instruction) {
        let args = instruction.arguments
        func list(_ values: Slice<ValueList>) -> String { values.map(\.description).joined(separator: ", ") }
        func arg(_ index: Int) -> String { index < args.count ? args[index].description : "v?" }
        switch (instruction.opcode.format, instruction.immediates) {
        case (.atomicRmw, .atomicRmw(_, let op)):
            out += " \(op.rawValue) \(arg(0)), \(arg(1))"
        case (.atomicCas, _):
            out += " \(arg(0)), \(arg(1)), \(arg(2))"
        case (.loadNoOffset, .memory(let flags, _)):
            out += "\(flags) \(arg(0))"
        case (.storeNoOffset, .memory(let flags, _)):
            out += "\(flags) \(arg(0)), \(arg(1))"
        case (.unary, _):
            out += " \(arg(0))"
        case (.unaryImm, .imm64(let raw)):
            out += " " + NumberFormat.imm64(signExtended(raw, instruction.controllingType))
        case (.unaryIeee16, .ieee16(let bits)):
            out += " " + NumberFormat.float(bits: UInt128(bits), exponentBits: 5, significandBits: 10)
        case (.unaryIeee32, .ieee32(let bits)):
            out += " " + NumberFormat.float(bits: UInt128(bits), exponentBits: 8, significandBits: 23)
        case (.unaryIeee64, .ieee64(let bits)):
            out += " " + NumberFormat.float(bits: UInt128(bits), exponentBits: 11, significandBits: 52)
        case (.unaryGlobalValue, .globalValue(let gv)):
            out += " gv\(gv)"
        case (.unaryConst, .constant(let number)):
            out += " const\(number)"
        case (.binary, _):
            out += " \(arg(0)), \(arg(1))"
        case (.binaryImm8, .uimm8(let imm)):
            out += " \(arg(0)), \(imm)"
        case (.ternary, _):
            out += " \(arg(0)), \(arg(1)), \(arg(2))"
        case (.multiAry, _):
            if !args.isEmpty { out += " " + list(args[...]) }
        case (.nullAry, _):
            out += " "
        case (.ternaryImm8, .uimm8(let imm)):
            out += " \(arg(0)), \(arg(1)), \(imm)"
        case (.shuffle, .shuffleMask(let mask)):
            out += " \(arg(0)), \(arg(1)), \(ConstantData(bytes: mask.bytes))"
        case (.intCompare, .intCC(let cc)):
            out += " \(cc.rawValue) \(arg(0)), \(arg(1))"
        case (.intAddTrap, .trapCode(let code)):
            out += " \(arg(0)), \(arg(1)), \(code)"
        case (.floatCompare, .floatCC(let cc)):
            out += " \(cc.rawValue) \(arg(0)), \(arg(1))"
        case (.jump, _):
            out += " " + (instruction.destinations.first?.description ?? "")
        case (.brif, _):
            let destinations = instruction.destinations
            out += " \(arg(0)), \(destinations.first?.description ?? ""), \(destinations.dropFirst().first?.description ?? "")"
        case (.branchTable, _):
            let destinations = instruction.destinations
            out += " \(arg(0)), \(destinations.first?.description ?? ""), ["
            out += destinations.dropFirst().map(\.description).joined(separator: ", ") + "]"
        case (.call, .functionRef(let ref)):
            out += " fn\(ref)(\(list(args[...])))"
            writeStackMap(instruction)
        case (.callIndirect, .signatureRef(let sig)):
            out += " sig\(sig), \(arg(0))(\(list(args.dropFirst())))"
            writeStackMap(instruction)
        case (.tryCall, .exceptionTable(let callee, let sig)):
            out += " fn\(callee ?? 0)(\(list(args[...]))), "
            writeExceptionTable(instruction, signature: sig, items: instruction.exceptionItems)
            writeStackMap(instruction)
        case (.tryCallIndirect, .exceptionTable(_, let sig)):
            out += " \(arg(0))(\(list(args.dropFirst()))), "
            writeExceptionTable(instruction, signature: sig, items: instruction.exceptionItems)
            writeStackMap(instruction)
        case (.funcAddr, .functionRef(let ref)):
            out += " fn\(ref)"
        case (.stackAddr, .stackSlot(let slot, let offset)):
            out += " ss\(slot)\(NumberFormat.offset32(offset))"
        case (.dynamicStackAddr, .dynamicStackSlot(let slot)):
            out += " dss\(slot)"
        case (.load, .memory(let flags, let offset)):
            out += "\(flags) \(arg(0))\(NumberFormat.offset32(offset))"
        case (.store, .memory(let flags, let offset)):
            out += "\(flags) \(arg(0)), \(arg(1))\(NumberFormat.offset32(offset))"
        case (.trap, .trapCode(let code)):
            out += " \(code)"
        case (.condTrap, .trapCode(let code)):
            out += " \(arg(0)), \(code)"
        case (.exceptionHandlerAddress, .exceptionHandler(let block, let index)):
            out += " \(block), \(NumberFormat.imm64(index))"
        default:
            out += " " + list(args[...])
        }
    }

    mutating func writeExceptionTable(_ instruction: Instruction, signature: UInt32, items: [ExceptionTableItem]) {
        let destinations = instruction.destinations
        out += "sig\(signature), \(destinations.first?.description ?? ""), ["
        var next = 1
        var first = true
        for item in items {
            out += first ? " " : ", "
            first = false
            switch item {
            case .tag(let tag):
                out += "tag\(tag): \(next < destinations.count ? destinations[next].description : "")"
                next += 1
            case .default:
                out += "default: \(next < destinations.count ? destinations[next].description : "")"
                next += 1
            case .context(let value):
                out += "context \(value)"
            }
        }
        out += first ? "]" : " ]"
    }

    mutating func writeStackMap(_ instruction: Instruction) {
        guard !instruction.stackMap.isEmpty else { return }
        out += ", stack_map=[" + instruction.stackMap.map { "\($0.type) @ ss\($0.slot)+\($0.offset)" }.joined(separator: ", ") + "]"
    }

    mutating func writeConstantComments(_ instruction: Instruction) {
        var separator = "  ; "
        for value in instruction.usedValues {
            let resolved = function.resolveAlias(value)
            guard let text = constantText[Int(resolved.number)] else { continue }
            out += "\(separator)\(value) = \(text)"
            separator = ", "
        }
    }
}
