import SourceText

extension VerifierPass {
    /// Cranelift's `typecheck`: every sub-check runs, none stops verification.
    mutating func typecheck(_ instruction: Instruction, location: EntityLocation) {
        let info = instruction.opcode.info
        var ctrl = CLIFType.invalid
        if let set = info.controllingTypes {
            ctrl = effectiveControllingType(instruction)
            if !set.contains(ctrl) {
                report(location, "has an invalid controlling type \(ctrl)")
            }
        }
        typecheckResults(instruction, ctrl: ctrl, location: location)
        typecheckFixedArguments(instruction, ctrl: ctrl, location: location)
        _ = try? typecheckVariableArguments(instruction, location: location)
        typecheckReturn(instruction, location: location)
        typecheckSpecial(instruction, location: location)
    }

    /// Cranelift's `ctrl_typevar`: the type of the type-variable operand when the opcode takes
    /// its type from there (whatever suffix was written), else the stored controlling type.
    func effectiveControllingType(_ instruction: Instruction) -> CLIFType {
        let info = instruction.opcode.info
        if info.typeFromOperand, info.typeVariableOperand < instruction.arguments.count {
            let operand = instruction.arguments[info.typeVariableOperand]
            if isAllowed(operand) { return type(of: operand) }
        }
        return instruction.controllingType
    }

    func expectedResultTypes(_ instruction: Instruction, ctrl: CLIFType) -> [CLIFType?] {
        let info = instruction.opcode.info
        if info.variadicResults {
            return (function.calledSignature(of: instruction)?.returns ?? []).map { Optional($0.type) }
        }
        return info.results.map { $0.resolve(controllingType: ctrl) }
    }

    mutating func typecheckResults(_ instruction: Instruction, ctrl: CLIFType, location: EntityLocation) {
        let info = instruction.opcode.info
        if !info.variadicResults && info.results.count == instruction.results.count {
            for (index, result) in instruction.results.enumerated() {
                if let type = info.results[index].resolve(controllingType: ctrl), type != function.type(of: result) {
                    report(location, "expected result \(index) (\(result)) to have type \(type), found \(function.type(of: result))")
                }
            }
            return
        }
        let expected = expectedResultTypes(instruction, ctrl: ctrl)
        for (index, result) in instruction.results.enumerated() {
            guard index < expected.count else {
                report(location, "has more result values than expected")
                return
            }
            if let type = expected[index], type != function.type(of: result) {
                report(location, "expected result \(index) (\(result)) to have type \(type), found \(function.type(of: result))")
            }
        }
        if instruction.results.count < expected.count {
            report(location, "has fewer result values than expected")
        }
    }

    mutating func typecheckFixedArguments(_ instruction: Instruction, ctrl: CLIFType, location: EntityLocation) {
        let constraints = instruction.opcode.info.operands
        for (index, constraint) in constraints.enumerated() where index < instruction.arguments.count {
            let argument = instruction.arguments[index]
            guard isAllowed(argument) else { continue }
            let argumentType = type(of: argument)
            switch constraint {
            case .free(let set):
                if !set.contains(argumentType) {
                    report(location, "arg \(index) (\(argument)) with type \(argumentType) failed to satisfy type set",
                           at: useRange(of: argument, at: location))
                }
            case .narrower, .wider:
                let narrower = constraint == .narrower
                let sameShape = argumentType.isInt == ctrl.isInt && argumentType.laneCount == ctrl.laneCount
                    && argumentType.isDynamic == ctrl.isDynamic
                let ordered = narrower ? argumentType.laneBits < ctrl.laneBits : argumentType.laneBits > ctrl.laneBits
                if !(sameShape && ordered) {
                    report(location, "arg \(index) (\(argument)) with type \(argumentType) failed to satisfy type set",
                           at: useRange(of: argument, at: location))
                }
            default:
                guard let expected = constraint.resolve(controllingType: ctrl) else { continue }
                if argumentType != expected {
                    report(location, "arg \(index) (\(argument)) has type \(argumentType), expected \(expected)",
                           at: useRange(of: argument, at: location))
                }
            }
        }
    }

    mutating func typecheckVariableArguments(_ instruction: Instruction, location: EntityLocation) throws {
        let info = instruction.opcode.info
        switch info.format {
        case .jump, .brif, .branchTable:
            for destination in instruction.destinations {
                try typecheckBlockCall(instruction, destination, target: .normal, location: location)
            }
        case .tryCall, .tryCallIndirect:
            for (index, destination) in instruction.destinations.enumerated() {
                try typecheckBlockCall(instruction, destination, target: index == 0 ? .exceptionNormalReturn : .exception,
                                       location: location)
            }
        default:
            break
        }
        guard info.properties.contains(.call) else { return }
        var variableArguments = instruction.arguments
        var parameterTypes: [CLIFType]?
        switch instruction.immediates {
        case .functionRef(let ref):
            if let callee = functionRefs[ref] { parameterTypes = signatures[callee.signature]?.params.map(\.type) }
        case .signatureRef(let sig):
            parameterTypes = signatures[sig]?.params.map(\.type)
            variableArguments = ValueList(variableArguments.dropFirst())
        case .exceptionTable(let callee, let sig):
            if callee == nil { variableArguments = ValueList(variableArguments.dropFirst()) }
            if let callee, let calleeData = functionRefs[callee], let expected = signatures[calleeData.signature],
               let actual = signatures[sig], expected != actual {
                report(location, "exception table signature sig\(sig) did not match function fn\(callee)'s signature sig\(calleeData.signature)")
            }
            parameterTypes = signatures[sig]?.params.map(\.type)
        default:
            break
        }
        guard let parameterTypes else { return }
        for (index, expected) in parameterTypes.enumerated() where index < variableArguments.count {
            let argument = variableArguments[index]
            guard isAllowed(argument) else { continue }
            if type(of: argument) != expected {
                report(location, "arg \(index) (\(argument)) has type \(type(of: argument)), expected \(expected)",
                       at: useRange(of: argument, at: location))
            }
        }
        if parameterTypes.count != variableArguments.count {
            report(location, "mismatched argument count for `\(instructionText(instruction))`: got \(variableArguments.count), expected \(parameterTypes.count)")
        }
    }

    /// The instruction as Cranelift's `display_inst` writes it, for messages.
    func instructionText(_ instruction: Instruction) -> String {
        var writer = FunctionWriter(function: function, capacity: 128)
        writer.writeDisplayText(instruction)
        return writer.out.string()
    }

    mutating func typecheckBlockCall(_ instruction: Instruction, _ call: BlockCall, target: BlockCallTarget,
                                     location: EntityLocation) throws {
        guard let index = blockIndex[call.block.number] else { return }
        let params = function.blocks[index].params
        if call.arguments.count != params.count {
            report(location, "mismatched argument count for `\(instructionText(instruction))`: got \(call.arguments.count), expected \(params.count)")
            return
        }
        for (argument, param) in zip(call.arguments, params) {
            guard let argumentType = try blockCallArgumentType(argument, instruction, target: target, location: location) else { continue }
            if argumentType != param.type {
                report(location, "arg \(argument) has type \(argumentType), expected \(param.type)")
                return
            }
        }
    }

    mutating func blockCallArgumentType(_ argument: BlockArg, _ instruction: Instruction, target: BlockCallTarget,
                                        location: EntityLocation) throws -> CLIFType? {
        switch argument {
        case .value(let value):
            return isAllowed(value) ? type(of: value) : nil
        case .tryCallReturn(let index):
            guard case .exceptionTable(_, let sig) = instruction.immediates else {
                try fatal(location, "`retN` block argument in block-call not on `try_call` instruction")
            }
            guard target == .exceptionNormalReturn else {
                try fatal(location, "`retN` block argument used outside normal-return target of `try_call`")
            }
            guard let signature = signatures[sig] else { return nil }
            guard Int(index) < signature.returns.count else { try fatal(location, "out-of-bounds `retN` block argument") }
            return signature.returns[Int(index)].type
        case .tryCallException(let index):
            guard case .exceptionTable(_, let sig) = instruction.immediates else {
                try fatal(location, "`retN` block argument in block-call not on `try_call` instruction")
            }
            guard target == .exception else {
                try fatal(location, "`exnN` block argument used outside normal-return target of `try_call`")
            }
            guard let pointer = context.pointerType, let signature = signatures[sig] else { return nil }
            let payloads: [CLIFType] = [.tail, .systemV, .preserveAll, .appleAarch64].contains(signature.callConv) ? [pointer, pointer] : []
            guard Int(index) < payloads.count else { try fatal(location, "out-of-bounds `exnN` block argument") }
            return payloads[Int(index)]
        }
    }

    mutating func typecheckReturn(_ instruction: Instruction, location: EntityLocation) {
        switch instruction.opcode {
        case .return:
            let types = instruction.arguments.map { isAllowed($0) ? type(of: $0) : .invalid }
            typecheckReturnTypes(types, location: location, message: "arguments of return must match function signature")
        case .returnCall, .returnCallIndirect:
            var signature: Signature?
            switch instruction.immediates {
            case .functionRef(let ref): signature = functionRefs[ref].flatMap { signatures[$0.signature] }
            case .signatureRef(let sig): signature = signatures[sig]
            default: break
            }
            guard let signature else { return }
            if signature.callConv != .tail {
                report(location, "calling convention `\(signature.callConv.rawValue)` does not support tail calls")
            }
            if signature.callConv != function.signature.callConv {
                report(location, "callee's calling convention must match caller")
            }
            typecheckReturnTypes(signature.returns.map(\.type), location: location, message: "results of callee must match caller")
        default:
            break
        }
    }

    mutating func typecheckReturnTypes(_ types: [CLIFType], location: EntityLocation, message: String) {
        let expected = function.signature.returns
        if types.count != expected.count {
            report(location, message)
            return
        }
        for (index, (actual, wanted)) in zip(types, expected).enumerated() where actual != wanted.type && !actual.isInvalid {
            report(location, "result \(index) has type \(actual), must match function signature of \(wanted)")
        }
    }

    mutating func typecheckSpecial(_ instruction: Instruction, location: EntityLocation) {
        guard case .globalValue(let gv) = instruction.immediates, context.pointerType != nil,
              let result = instruction.results.first, let globalType = globalType(gv) else { return }
        let resultType = function.type(of: result)
        if resultType != globalType {
            report(location, "global_value instruction with type \(resultType) references global value with type \(globalType)")
        }
    }
}
