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
        var writer = FunctionWriter(function: function, recordRanges: false)
        writer.write()
        return writer.out.string()
    }

    public static func printWithRanges(_ function: Function) -> PrintedFunction {
        var writer = FunctionWriter(function: function, recordRanges: true)
        writer.write()
        return PrintedFunction(text: writer.out.string(), instructionRanges: writer.ranges)
    }
}

/// Writes one function into a byte buffer, Cranelift style, collecting instruction ranges.
struct FunctionWriter: ~Copyable {
    let function: Function
    var out: TextOutput
    let recordRanges: Bool
    var ranges: [[TextRange]] = []
    /// The layout index of the block being written.
    var currentBlock = 0
    /// Defining block index of each value (by number), -1 when unknown.
    var definingBlock: [Int32] = []
    /// For values defined by a constant instruction: its block index << 32 | instruction index.
    var constantDefinition: [Int64] = []
    /// The direct target of each alias (by value number), `UInt32.max` for values that are no alias.
    var aliasTarget: [UInt32] = []
    var aliasesOf: [Value: [Value]] = [:]

    init(function: Function, recordRanges: Bool = true, capacity: Int? = nil) {
        self.function = function
        self.recordRanges = recordRanges
        out = TextOutput(capacity: capacity ?? 256 + 96 * function.valueTypes.count)
    }

    /// The instruction as Cranelift's `display_inst` writes it (for messages): results, opcode,
    /// a type suffix when the opcode cannot take its type from an operand, and the operands.
    mutating func writeDisplayText(_ instruction: Instruction) {
        withUnsafePointer(to: instruction) { writeDisplayText(at: $0) }
    }

    /// `v1, v2 = opcode`: the results (if any) and the opcode's name, without its type suffix.
    mutating func writeResultsAndName(of instruction: UnsafePointer<Instruction>) {
        let results = instruction.pointee.results
        if !results.isEmpty {
            for index in results.indices {
                if index > 0 { out.append(", ") }
                writeValue(results[index])
            }
            out.append(" = ")
        }
        out.append(OpcodeTable.nameBytes[Int(instruction.pointee.opcode.index)])
    }

    mutating func writeDisplayText(at instruction: UnsafePointer<Instruction>) {
        writeResultsAndName(of: instruction)
        if instruction.pointee.opcode.info.isPolymorphic && !instruction.pointee.opcode.info.typeFromOperand {
            out.append(UInt8(ascii: "."))
            writeType(instruction.pointee.controllingType)
        }
        writeOperands(instruction)
    }

    mutating func write() {
        indexValues()
        out.append("function ")
        writeName(function.name)
        writeSignature(function.signature)
        out.append(" {\n")
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
        if recordRanges { ranges.reserveCapacity(function.blocks.count) }
        for blockIndex in function.blocks.indices {
            if any { out.append(UInt8(ascii: "\n")) }
            any = true
            currentBlock = blockIndex
            writeBlock(blockIndex, indent: indent)
        }
        out.append("}\n")
    }

    mutating func indexValues() {
        var maxNumber = function.valueTypes.count
        for alias in function.aliases { maxNumber = max(maxNumber, Int(alias.alias.number) + 1) }
        definingBlock = Array(repeating: -1, count: maxNumber)
        constantDefinition = Array(repeating: -1, count: maxNumber)
        for blockIndex in function.blocks.indices {
            for param in function.blocks[blockIndex].params where Int(param.value.number) < maxNumber {
                definingBlock[Int(param.value.number)] = Int32(blockIndex)
            }
            function.blocks[blockIndex].instructions.withUnsafeBufferPointer { instructions in
                guard let base = instructions.baseAddress else { return }
                for index in instructions.indices {
                    let results = (base + index).pointee.results
                    for result in results where Int(result.number) < maxNumber {
                        definingBlock[Int(result.number)] = Int32(blockIndex)
                    }
                    if results.count == 1, Int(results[0].number) < maxNumber, hasConstantComment(base + index) {
                        constantDefinition[Int(results[0].number)] = Int64(blockIndex) << 32 | Int64(index)
                    }
                }
            }
        }
        guard !function.aliases.isEmpty else { return }
        aliasTarget = Array(repeating: UInt32.max, count: maxNumber)
        for alias in function.aliases where Int(alias.alias.number) < maxNumber {
            aliasTarget[Int(alias.alias.number)] = alias.target.number
        }
        for alias in function.aliases.sorted(by: { $0.alias < $1.alias }) {
            aliasesOf[alias.target, default: []].append(alias.alias)
        }
    }

    /// The value behind a chain of aliases (the last alias written for a value wins).
    func resolveAlias(_ value: Value) -> Value {
        guard !aliasTarget.isEmpty else { return value }
        var current = value
        var steps = 0
        while Int(current.number) < aliasTarget.count, aliasTarget[Int(current.number)] != UInt32.max,
              steps <= function.aliases.count {
            current = Value(aliasTarget[Int(current.number)])
            steps += 1
        }
        return current
    }

    func hasConstantComment(_ instruction: UnsafePointer<Instruction>) -> Bool {
        switch instruction.pointee.immediates {
        case .imm64: instruction.pointee.opcode.shape.format == .unaryImm
        case .ieee16, .ieee32, .ieee64, .constant: true
        default: false
        }
    }

    /// The constant a value defined by a constant instruction holds, as the comment shows it.
    mutating func writeConstant(of instruction: UnsafePointer<Instruction>) {
        switch instruction.pointee.immediates {
        case .imm64(let raw):
            writeImm64(signExtended(raw, instruction.pointee.controllingType))
        case .ieee16(let bits):
            out.appendString(NumberFormat.float(bits: UInt128(bits), exponentBits: 5, significandBits: 10))
        case .ieee32(let bits):
            out.appendString(NumberFormat.float(bits: UInt128(bits), exponentBits: 8, significandBits: 23))
        case .ieee64(let bits):
            out.appendString(NumberFormat.float(bits: UInt128(bits), exponentBits: 11, significandBits: 52))
        case .constant(let number):
            if instruction.pointee.opcode == .f128const,
               let data = function.constants.first(where: { $0.number == number })?.data, data.bytes.count == 16 {
                var bits: UInt128 = 0
                for byte in data.bytes.reversed() { bits = bits << 8 | UInt128(byte) }
                out.appendString(NumberFormat.float(bits: bits, exponentBits: 15, significandBits: 112))
            } else {
                out.append("const")
                out.appendDecimal(number)
            }
        default:
            break
        }
    }

    func signExtended(_ raw: Int64, _ type: CLIFType) -> Int64 {
        let bits = type.bits
        guard bits > 0 && bits < 64 else { return raw }
        let shift = Int64(64 - bits)
        return (raw << shift) >> shift
    }

    // MARK: Pieces

    mutating func writeValue(_ value: Value) {
        out.append(UInt8(ascii: "v"))
        out.appendDecimal(value.number)
    }

    mutating func writeBlockName(_ block: Block) {
        out.append("block")
        out.appendDecimal(block.number)
    }

    mutating func writeType(_ type: CLIFType) {
        switch type {
        case .i32: out.append("i32")
        case .i64: out.append("i64")
        case .i8: out.append("i8")
        case .f64: out.append("f64")
        case .f32: out.append("f32")
        case .i8x16: out.append("i8x16")
        case .i16: out.append("i16")
        case .i128: out.append("i128")
        default: writeTypeSlowly(type)
        }
    }

    mutating func writeTypeSlowly(_ type: CLIFType) {
        if type.isInvalid {
            out.append("INVALID")
            return
        }
        out.append(type.isFloat ? UInt8(ascii: "f") : UInt8(ascii: "i"))
        out.appendDecimal(type.laneBits)
        if type.log2Lanes > 0 {
            out.append(UInt8(ascii: "x"))
            out.appendDecimal(type.laneCount)
        }
        if type.isDynamic { out.append("xN") }
    }

    mutating func writeName(_ name: FunctionName) {
        switch name {
        case .testcase(let text):
            out.append(UInt8(ascii: "%"))
            out.appendString(text)
        case .user(let namespace, let index):
            out.append(UInt8(ascii: "u"))
            out.appendDecimal(namespace)
            out.append(UInt8(ascii: ":"))
            out.appendDecimal(index)
        }
    }

    mutating func writeAbiParam(_ param: AbiParam) {
        writeType(param.type)
        switch param.extension_ {
        case .none: break
        case .uext: out.append(" uext")
        case .sext: out.append(" sext")
        }
        if param.purpose != .normal {
            out.append(UInt8(ascii: " "))
            out.appendString(param.purpose.description)
        }
    }

    mutating func writeSignature(_ signature: Signature) {
        out.append(UInt8(ascii: "("))
        for (index, param) in signature.params.enumerated() {
            if index > 0 { out.append(", ") }
            writeAbiParam(param)
        }
        out.append(UInt8(ascii: ")"))
        if !signature.returns.isEmpty {
            out.append(" -> ")
            for (index, param) in signature.returns.enumerated() {
                if index > 0 { out.append(", ") }
                writeAbiParam(param)
            }
        }
        out.append(UInt8(ascii: " "))
        out.appendString(signature.callConv.rawValue)
    }

    /// `Imm64` display: decimal below 10000 (so every negative number), grouped hex above.
    mutating func writeImm64(_ value: Int64) {
        if value < 10_000 {
            out.appendDecimal(value)
        } else {
            writeGroupedHex(UInt64(bitPattern: value))
        }
    }

    mutating func writeGroupedHex(_ value: UInt64) {
        let bitLength = 64 - value.leadingZeroBitCount
        var position = (bitLength - 1) & 0xf0
        out.append("0x")
        out.appendHex(value >> UInt64(position) & 0xFFFF, minimumDigits: 4)
        while position > 0 {
            position -= 16
            out.append(UInt8(ascii: "_"))
            out.appendHex(value >> UInt64(position) & 0xFFFF, minimumDigits: 4)
        }
    }

    /// `Offset32` display: nothing for 0, otherwise always signed.
    mutating func writeOffset32(_ value: Int32) {
        if value == 0 { return }
        out.append(value < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
        let magnitude = Int64(value).magnitude
        if magnitude < 10_000 { out.appendDecimal(magnitude) } else { writeGroupedHex(magnitude) }
    }

    mutating func writeTrapCode(_ code: TrapCode) {
        switch code {
        case .stackOverflow: out.append("stk_ovf")
        case .integerOverflow: out.append("int_ovf")
        case .heapOutOfBounds: out.append("heap_oob")
        case .integerDivisionByZero: out.append("int_divz")
        case .badConversionToInteger: out.append("bad_toint")
        default:
            out.append("user")
            out.appendDecimal(UInt64(code.raw))
        }
    }

    /// Each flag with a leading space, as Cranelift writes them after an opcode.
    mutating func writeMemFlags(_ flags: MemFlags) {
        if let trapCode = flags.trapCode {
            if trapCode != .heapOutOfBounds {
                out.append(UInt8(ascii: " "))
                writeTrapCode(trapCode)
            }
        } else {
            out.append(" notrap")
        }
        if flags.aligned { out.append(" aligned") }
        if flags.readonly { out.append(" readonly") }
        if flags.canMove { out.append(" can_move") }
        if flags.bigEndian { out.append(" big") }
        if flags.littleEndian { out.append(" little") }
        if let region = flags.region {
            out.append(" region")
            out.appendDecimal(region)
        }
    }

    mutating func writeBlockCall(_ call: BlockCall) {
        writeBlockName(call.block)
        guard !call.arguments.isEmpty else { return }
        out.append(UInt8(ascii: "("))
        for (index, argument) in call.arguments.enumerated() {
            if index > 0 { out.append(", ") }
            switch argument {
            case .value(let value): writeValue(value)
            case .tryCallReturn(let index):
                out.append("ret")
                out.appendDecimal(index)
            case .tryCallException(let index):
                out.append("exn")
                out.appendDecimal(index)
            }
        }
        out.append(UInt8(ascii: ")"))
    }

    mutating func writeConstantBytes(_ bytes: [UInt8]) {
        if bytes.isEmpty { return }
        out.append("0x")
        for byte in bytes.reversed() { out.appendHex(UInt64(byte), minimumDigits: 2) }
    }

    static func name(of cc: IntCC) -> StaticString {
        switch cc {
        case .eq: "eq"
        case .ne: "ne"
        case .slt: "slt"
        case .sge: "sge"
        case .sgt: "sgt"
        case .sle: "sle"
        case .ult: "ult"
        case .uge: "uge"
        case .ugt: "ugt"
        case .ule: "ule"
        }
    }

    static func name(of cc: FloatCC) -> StaticString {
        switch cc {
        case .ord: "ord"
        case .uno: "uno"
        case .eq: "eq"
        case .ne: "ne"
        case .one: "one"
        case .ueq: "ueq"
        case .lt: "lt"
        case .le: "le"
        case .gt: "gt"
        case .ge: "ge"
        case .ult: "ult"
        case .ule: "ule"
        case .ugt: "ugt"
        case .uge: "uge"
        }
    }

    static func name(of op: AtomicRmwOp) -> StaticString {
        switch op {
        case .add: "add"
        case .sub: "sub"
        case .and: "and"
        case .nand: "nand"
        case .or: "or"
        case .xor: "xor"
        case .xchg: "xchg"
        case .umin: "umin"
        case .umax: "umax"
        case .smin: "smin"
        case .smax: "smax"
        }
    }

    // MARK: Preamble

    mutating func preambleLine(_ prefix: StaticString, _ number: UInt32) {
        out.append("    ")
        out.append(prefix)
        out.appendDecimal(number)
        out.append(" = ")
    }

    mutating func writePreamble() -> Bool {
        var any = false
        for item in function.dynamicTypes.sorted(by: { $0.number < $1.number }) {
            preambleLine("dt", item.number)
            writeType(item.data.baseType)
            out.append("*gv")
            out.appendDecimal(item.data.scale)
            out.append(UInt8(ascii: "\n"))
            any = true
        }
        for item in function.dynamicStackSlots.sorted(by: { $0.number < $1.number }) {
            preambleLine("dss", item.number)
            out.appendString(item.data.kind.rawValue)
            out.append(" dt")
            out.appendDecimal(item.data.dynamicType)
            out.append(UInt8(ascii: "\n"))
            any = true
        }
        for item in function.stackSlots.sorted(by: { $0.number < $1.number }) {
            preambleLine("ss", item.number)
            out.appendString(item.data.description)
            out.append(UInt8(ascii: "\n"))
            any = true
        }
        for item in function.regions.sorted(by: { $0.number < $1.number }) {
            preambleLine("region", item.number)
            out.appendDecimal(item.data.userID)
            out.append(" \"")
            out.appendString(item.data.description)
            out.append("\"\n")
            any = true
        }
        for item in function.globalValues.sorted(by: { $0.number < $1.number }) {
            preambleLine("gv", item.number)
            writeGlobalValue(item.data)
            out.append(UInt8(ascii: "\n"))
            any = true
        }
        for item in function.signatures.sorted(by: { $0.number < $1.number }) {
            preambleLine("sig", item.number)
            writeSignature(item.data)
            out.append(UInt8(ascii: "\n"))
            any = true
        }
        for item in function.functionRefs.sorted(by: { $0.number < $1.number }) {
            preambleLine("fn", item.number)
            if item.data.colocated { out.append("colocated ") }
            if item.data.patchable { out.append("patchable ") }
            out.appendString(item.data.name.description)
            out.append(" sig")
            out.appendDecimal(item.data.signature)
            out.append(UInt8(ascii: "\n"))
            any = true
        }
        for item in function.constants.sorted(by: { $0.number < $1.number }) {
            preambleLine("const", item.number)
            writeConstantBytes(item.data.bytes)
            out.append(UInt8(ascii: "\n"))
            any = true
        }
        if let limit = function.stackLimit {
            out.append("    stack_limit = gv")
            out.appendDecimal(limit.data)
            out.append(UInt8(ascii: "\n"))
            any = true
        }
        return any
    }

    mutating func writeGlobalValue(_ data: GlobalValueData) {
        switch data {
        case .vmContext:
            out.append("vmctx")
        case .load(let base, let offset, let type, let flags):
            out.append("load.")
            writeType(type)
            writeMemFlags(flags)
            out.append(" gv")
            out.appendDecimal(base)
            writeOffset32(offset)
        case .iaddImm(let base, let offset, let type):
            out.append("iadd_imm.")
            writeType(type)
            out.append(" gv")
            out.appendDecimal(base)
            out.append(", ")
            writeImm64(offset)
        case .symbol(let name, let offset, let colocated, let tls):
            out.append("symbol ")
            if colocated { out.append("colocated ") }
            if tls { out.append("tls ") }
            out.appendString(name.description)
            if offset > 0 { out.append(UInt8(ascii: "+")) }
            if offset != 0 { writeImm64(offset) }
        case .dynScaleTargetConst(let vectorType):
            out.append("dyn_scale_target_const.")
            writeType(vectorType)
        }
    }

    // MARK: Blocks and instructions

    mutating func writeBlock(_ blockIndex: Int, indent: Int) {
        let block = function.blocks[blockIndex]
        out.appendSpaces(indent - 4)
        writeBlockName(block.block)
        if !block.params.isEmpty {
            out.append(UInt8(ascii: "("))
            for (index, param) in block.params.enumerated() {
                if index > 0 { out.append(", ") }
                writeValue(param.value)
                out.append(": ")
                writeType(param.type)
            }
            out.append(UInt8(ascii: ")"))
        }
        out.append(block.isCold ? " cold:\n" as StaticString : ":\n")
        if !aliasesOf.isEmpty {
            for param in block.params { writeAliases(of: param.value, indent: indent) }
        }
        var blockRanges: [TextRange] = []
        if recordRanges { blockRanges.reserveCapacity(block.instructions.count) }
        block.instructions.withUnsafeBufferPointer { instructions in
            guard let base = instructions.baseAddress else { return }
            for index in instructions.indices {
                let range = writeInstruction(base + index, indent: indent)
                if recordRanges { blockRanges.append(range) }
            }
        }
        if recordRanges { ranges.append(blockRanges) }
    }

    mutating func writeAliases(of target: Value, indent: Int) {
        var stack = [target]
        while let current = stack.popLast() {
            for alias in aliasesOf[current] ?? [] {
                out.appendSpaces(indent)
                writeValue(alias)
                out.append(" -> ")
                writeValue(current)
                out.append(UInt8(ascii: "\n"))
                stack.append(alias)
            }
        }
    }

    mutating func writeInstruction(_ instruction: UnsafePointer<Instruction>, indent: Int) -> TextRange {
        var width = indent
        let lineStart = out.count
        if instruction.pointee.hasDebugTags {
            out.append(UInt8(ascii: "<"))
            for (index, tag) in instruction.pointee.debugTags.enumerated() {
                if index > 0 { out.append(", ") }
                switch tag {
                case .user(let value): out.appendDecimal(value)
                case .stackSlot(let slot):
                    out.append("ss")
                    out.appendDecimal(slot)
                }
            }
            out.append("> ")
            width = max(0, width - (out.count - lineStart))
        }
        let prefixStart = out.count
        if let location = instruction.pointee.sourceLocation {
            out.append(UInt8(ascii: "@"))
            out.appendHex(UInt64(location), minimumDigits: 4)
            out.append(UInt8(ascii: " "))
        }
        out.appendSpaces(width - (out.count - prefixStart))
        let start = instruction.pointee.sourceLocation != nil || instruction.pointee.hasDebugTags ? lineStart : out.count
        writeResultsAndName(of: instruction)
        if let suffix = typeSuffix(instruction) {
            out.append(UInt8(ascii: "."))
            writeType(suffix)
        }
        writeOperands(instruction)
        writeConstantComments(instruction)
        let end = out.count
        out.append(UInt8(ascii: "\n"))
        if !aliasesOf.isEmpty {
            for result in instruction.pointee.results { writeAliases(of: result, indent: indent) }
        }
        return TextRange(start: start, end: end)
    }

    func typeSuffix(_ instruction: UnsafePointer<Instruction>) -> CLIFType? {
        let info = instruction.pointee.opcode.shape
        guard info.isPolymorphic else { return nil }
        if info.typeFromOperand, info.typeVariableOperand < instruction.pointee.arguments.count {
            let operand = resolveAlias(instruction.pointee.arguments[info.typeVariableOperand])
            let index = Int(operand.number)
            if index < definingBlock.count, definingBlock[index] >= 0, Int(definingBlock[index]) == currentBlock {
                return nil
            }
            let operandType = function.type(of: operand)
            return operandType.isInvalid ? instruction.pointee.controllingType : operandType
        }
        return instruction.pointee.controllingType
    }

    mutating func writeArgument(_ args: ValueList, _ index: Int) {
        if index < args.count { writeValue(args[index]) } else { out.append("v?") }
    }

    /// Values `from` on, separated by commas.
    mutating func writeList(_ args: ValueList, from: Int = 0) {
        var index = from
        while index < args.count {
            if index > from { out.append(", ") }
            writeValue(args[index])
            index += 1
        }
    }

    /// ` a, b`, ` a, b, c`: the first `count` arguments after a space.
    mutating func writeArguments(_ args: ValueList, count: Int) {
        out.append(UInt8(ascii: " "))
        for index in 0..<count {
            if index > 0 { out.append(", ") }
            writeArgument(args, index)
        }
    }

    mutating func writeOperands(_ instruction: UnsafePointer<Instruction>) {
        let args = instruction.pointee.arguments
        switch (instruction.pointee.opcode.shape.format, instruction.pointee.immediates) {
        case (.atomicRmw, .atomicRmw(_, let op)):
            out.append(UInt8(ascii: " "))
            out.append(Self.name(of: op))
            writeArguments(args, count: 2)
        case (.atomicCas, _):
            writeArguments(args, count: 3)
        case (.loadNoOffset, .memory(let flags, _)):
            writeMemFlags(flags)
            writeArguments(args, count: 1)
        case (.storeNoOffset, .memory(let flags, _)):
            writeMemFlags(flags)
            writeArguments(args, count: 2)
        case (.unary, _):
            writeArguments(args, count: 1)
        case (.unaryImm, .imm64(let raw)):
            out.append(UInt8(ascii: " "))
            writeImm64(signExtended(raw, instruction.pointee.controllingType))
        case (.unaryIeee16, .ieee16(let bits)):
            out.append(UInt8(ascii: " "))
            out.appendString(NumberFormat.float(bits: UInt128(bits), exponentBits: 5, significandBits: 10))
        case (.unaryIeee32, .ieee32(let bits)):
            out.append(UInt8(ascii: " "))
            out.appendString(NumberFormat.float(bits: UInt128(bits), exponentBits: 8, significandBits: 23))
        case (.unaryIeee64, .ieee64(let bits)):
            out.append(UInt8(ascii: " "))
            out.appendString(NumberFormat.float(bits: UInt128(bits), exponentBits: 11, significandBits: 52))
        case (.unaryGlobalValue, .globalValue(let gv)):
            out.append(" gv")
            out.appendDecimal(gv)
        case (.unaryConst, .constant(let number)):
            out.append(" const")
            out.appendDecimal(number)
        case (.binary, _):
            writeArguments(args, count: 2)
        case (.binaryImm8, .uimm8(let imm)):
            writeArguments(args, count: 1)
            out.append(", ")
            out.appendDecimal(UInt64(imm))
        case (.ternary, _):
            writeArguments(args, count: 3)
        case (.multiAry, _):
            if !args.isEmpty {
                out.append(UInt8(ascii: " "))
                writeList(args)
            }
        case (.nullAry, _):
            out.append(UInt8(ascii: " "))
        case (.ternaryImm8, .uimm8(let imm)):
            writeArguments(args, count: 2)
            out.append(", ")
            out.appendDecimal(UInt64(imm))
        case (.shuffle, .shuffleMask(let mask)):
            writeArguments(args, count: 2)
            out.append(", ")
            writeConstantBytes(mask.bytes)
        case (.intCompare, .intCC(let cc)):
            out.append(UInt8(ascii: " "))
            out.append(Self.name(of: cc))
            writeArguments(args, count: 2)
        case (.intAddTrap, .trapCode(let code)):
            writeArguments(args, count: 2)
            out.append(", ")
            writeTrapCode(code)
        case (.floatCompare, .floatCC(let cc)):
            out.append(UInt8(ascii: " "))
            out.append(Self.name(of: cc))
            writeArguments(args, count: 2)
        case (.jump, _):
            out.append(UInt8(ascii: " "))
            if let first = instruction.pointee.destinations.first { writeBlockCall(first) }
        case (.brif, _):
            writeArguments(args, count: 1)
            out.append(", ")
            let destinations = instruction.pointee.destinations
            if destinations.count > 0 { writeBlockCall(destinations[0]) }
            out.append(", ")
            if destinations.count > 1 { writeBlockCall(destinations[1]) }
        case (.branchTable, _):
            writeArguments(args, count: 1)
            out.append(", ")
            let destinations = instruction.pointee.destinations
            if let first = destinations.first { writeBlockCall(first) }
            out.append(", [")
            var index = 1
            while index < destinations.count {
                if index > 1 { out.append(", ") }
                writeBlockCall(destinations[index])
                index += 1
            }
            out.append(UInt8(ascii: "]"))
        case (.call, .functionRef(let ref)):
            out.append(" fn")
            out.appendDecimal(ref)
            out.append(UInt8(ascii: "("))
            writeList(args)
            out.append(UInt8(ascii: ")"))
            writeStackMap(instruction)
        case (.callIndirect, .signatureRef(let sig)):
            out.append(" sig")
            out.appendDecimal(sig)
            out.append(", ")
            writeArgument(args, 0)
            out.append(UInt8(ascii: "("))
            writeList(args, from: 1)
            out.append(UInt8(ascii: ")"))
            writeStackMap(instruction)
        case (.tryCall, .exceptionTable(let callee, let sig)):
            out.append(" fn")
            out.appendDecimal(callee ?? 0)
            out.append(UInt8(ascii: "("))
            writeList(args)
            out.append("), ")
            writeExceptionTable(instruction, signature: sig)
            writeStackMap(instruction)
        case (.tryCallIndirect, .exceptionTable(_, let sig)):
            writeArguments(args, count: 1)
            out.append(UInt8(ascii: "("))
            writeList(args, from: 1)
            out.append("), ")
            writeExceptionTable(instruction, signature: sig)
            writeStackMap(instruction)
        case (.funcAddr, .functionRef(let ref)):
            out.append(" fn")
            out.appendDecimal(ref)
        case (.stackAddr, .stackSlot(let slot, let offset)):
            out.append(" ss")
            out.appendDecimal(slot)
            writeOffset32(offset)
        case (.dynamicStackAddr, .dynamicStackSlot(let slot)):
            out.append(" dss")
            out.appendDecimal(slot)
        case (.load, .memory(let flags, let offset)):
            writeMemFlags(flags)
            writeArguments(args, count: 1)
            writeOffset32(offset)
        case (.store, .memory(let flags, let offset)):
            writeMemFlags(flags)
            writeArguments(args, count: 2)
            writeOffset32(offset)
        case (.trap, .trapCode(let code)):
            out.append(UInt8(ascii: " "))
            writeTrapCode(code)
        case (.condTrap, .trapCode(let code)):
            writeArguments(args, count: 1)
            out.append(", ")
            writeTrapCode(code)
        case (.exceptionHandlerAddress, .exceptionHandler(let block, let index)):
            out.append(UInt8(ascii: " "))
            writeBlockName(block)
            out.append(", ")
            writeImm64(index)
        default:
            out.append(UInt8(ascii: " "))
            writeList(args)
        }
    }

    mutating func writeExceptionTable(_ instruction: UnsafePointer<Instruction>, signature: UInt32) {
        let destinations = instruction.pointee.destinations
        out.append("sig")
        out.appendDecimal(signature)
        out.append(", ")
        if let first = destinations.first { writeBlockCall(first) }
        out.append(", [")
        var next = 1
        var first = true
        for item in instruction.pointee.exceptionItems {
            out.append(first ? " " as StaticString : ", ")
            first = false
            switch item {
            case .tag(let tag):
                out.append("tag")
                out.appendDecimal(tag)
                out.append(": ")
                if next < destinations.count { writeBlockCall(destinations[next]) }
                next += 1
            case .default:
                out.append("default: ")
                if next < destinations.count { writeBlockCall(destinations[next]) }
                next += 1
            case .context(let value):
                out.append("context ")
                writeValue(value)
            }
        }
        out.append(first ? "]" as StaticString : " ]")
    }

    mutating func writeStackMap(_ instruction: UnsafePointer<Instruction>) {
        let entries = instruction.pointee.stackMap
        guard !entries.isEmpty else { return }
        out.append(", stack_map=[")
        for (index, entry) in entries.enumerated() {
            if index > 0 { out.append(", ") }
            writeType(entry.type)
            out.append(" @ ss")
            out.appendDecimal(entry.slot)
            out.append(UInt8(ascii: "+"))
            out.appendDecimal(entry.offset)
        }
        out.append(UInt8(ascii: "]"))
    }

    /// `  ; v3 = 0, v4 = 0x1.0p0` for each used value that a constant instruction defines.
    mutating func writeConstantComments(_ instruction: UnsafePointer<Instruction>) {
        var first = true
        let args = instruction.pointee.arguments
        for index in args.indices {
            writeConstantComment(args[index], first: &first)
        }
        for destination in instruction.pointee.destinations {
            for case .value(let value) in destination.arguments { writeConstantComment(value, first: &first) }
        }
        if instruction.pointee.hasExtras {
            for case .context(let value) in instruction.pointee.exceptionItems { writeConstantComment(value, first: &first) }
        }
    }

    mutating func writeConstantComment(_ value: Value, first: inout Bool) {
        let resolved = resolveAlias(value)
        let number = Int(resolved.number)
        guard number < constantDefinition.count else { return }
        let location = constantDefinition[number]
        guard location >= 0 else { return }
        out.append(first ? "  ; " as StaticString : ", ")
        first = false
        writeValue(value)
        out.append(" = ")
        function.blocks[Int(location >> 32)].instructions.withUnsafeBufferPointer { instructions in
            if let base = instructions.baseAddress { writeConstant(of: base + Int(location & 0xFFFF_FFFF)) }
        }
    }
}
