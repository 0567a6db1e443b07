extension ModulePrinter {
    /// Deeper blocks are printed at this indentation, so the text stays linear in the input.
    static let maximumIndent = 100

    mutating func function(_ function: Function, index: UInt32) {
        localNames = PrintedNames(module.names.locals[index])
        labelNames = PrintedNames(module.names.labels[index], duplicatesAllowed: true)
        out.newline(indent: 1)
        out.write("(func")
        definitionName(functionNames, index)
        out.write(" (type ")
        reference(function.typeIndex, typeNames)
        out.write(")")
        var localIndex: UInt32 = 0
        if Int(function.typeIndex) < types.count, let signature = types[Int(function.typeIndex)].functionType {
            localIndex = declarations("param", signature.parameters, from: 0)
            results(signature.results)
        }
        var first = true
        for group in function.locals where group.count > 0 {
            if first {
                out.newline(indent: 2)
                first = false
            } else {
                out.write(" ")
            }
            localIndex = declarations("local", Array(repeating: group.type, count: Int(group.count)), from: localIndex)
        }
        var depth = 2
        var labelIndex: UInt32 = 0
        let body = function.body
        for position in 0..<body.count {
            let instruction = body[position]
            let structure = OpcodeTables.shared.structures[Int(instruction.opcode.rawValue)]
            if structure == .closesBlock || structure == .continuesBlock { depth -= 1 }
            if position == body.count - 1, instruction.opcode == .end, depth <= 1 { break }
            out.newline(indent: min(max(depth, 1), Self.maximumIndent))
            self.instruction(instruction, label: structure == .opensBlock ? labelIndex : nil)
            if structure == .opensBlock {
                labelIndex += 1
                depth += 1
            } else if structure == .continuesBlock {
                depth += 1
            }
        }
        out.newline(indent: 1)
        out.write(")")
    }

    /// `(param $a i32) (param i64 f32)`: named entries alone, unnamed runs grouped.
    mutating func declarations(_ keyword: String, _ types: [ValueType], from start: UInt32) -> UInt32 {
        var index = start
        var groupOpen = false
        var first = true
        for type in types {
            if localNames.ids[index] != nil || localNames.annotations[index] != nil {
                if groupOpen {
                    out.write(")")
                    groupOpen = false
                }
                out.write(first && keyword == "local" ? "" : " ")
                out.write("(\(keyword)")
                nameOrAnnotation(localNames, index)
                out.write(" ")
                valueType(type)
                out.write(")")
            } else {
                if !groupOpen {
                    out.write(first && keyword == "local" ? "" : " ")
                    out.write("(\(keyword)")
                    groupOpen = true
                }
                out.write(" ")
                valueType(type)
            }
            first = false
            index += 1
        }
        if groupOpen { out.write(")") }
        return index
    }

    /// A constant expression as flat instructions on one line, without its final `end`.
    mutating func constExpr(_ expression: ConstExpr) {
        var first = true
        for position in 0..<expression.instructions.count {
            let instruction = expression.instructions[position]
            if position == expression.instructions.count - 1, instruction.opcode == .end { break }
            if !first { out.write(" ") }
            first = false
            self.instruction(instruction, label: nil)
        }
    }
}
