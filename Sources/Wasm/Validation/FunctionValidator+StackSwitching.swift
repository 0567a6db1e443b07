/// Stack switching: `cont.new`, `cont.bind`, `suspend`, `resume`, `resume_throw`, `resume_throw_ref`
/// and `switch`, with
/// the typing rules wasm-tools (wasmparser) applies.
extension FunctionValidator {
    mutating func stackSwitchingStep(_ instruction: Instruction) throws(ValidationError) {
        switch (instruction.opcode, instruction.immediates) {
        case (.contNew, .index(let type)):
            let function = try continuationFunction(type)
            try pop(.ref(RefType(nullable: true, heapType: .concrete(function.index))))
            push(.ref(RefType(nullable: false, heapType: .concrete(type))))
        case (.contBind, .indexPair(let argumentType, let resultType)):
            let argument = try continuationFunction(argumentType).type
            let result = try continuationFunction(resultType).type
            guard argument.parameters.count >= result.parameters.count else {
                throw fail("type mismatch in continuation arguments")
            }
            let bound = argument.parameters.count - result.parameters.count
            guard allSubtypes(result.parameters, Array(argument.parameters[bound...])),
                  argument.results.count == result.results.count, allSubtypes(argument.results, result.results)
            else { throw fail("type mismatch in continuation types") }
            try pop(.ref(RefType(nullable: true, heapType: .concrete(argumentType))))
            try popAll(Array(argument.parameters[..<bound]))
            push(.ref(RefType(nullable: false, heapType: .concrete(resultType))))
        case (.suspend, .index(let tagIndex)):
            let tag = try tag(tagIndex)
            try popAll(tag.parameters)
            push(tag.results)
        case (.resume, .resume(let type, nil, let handlers)):
            let function = try resumeTable(type, handlers)
            try pop(.ref(RefType(nullable: true, heapType: .concrete(type))))
            try popAll(function.parameters)
            push(function.results)
        case (.resumeThrow, .resume(let type, let tagIndex?, let handlers)):
            let function = try resumeTable(type, handlers)
            let tag = try tag(tagIndex)
            guard tag.results.isEmpty else { throw fail("type mismatch: non-empty tag result type") }
            try pop(.ref(RefType(nullable: true, heapType: .concrete(type))))
            try popAll(tag.parameters)
            push(function.results)
        case (.resumeThrowRef, .resume(let type, nil, let handlers)):
            let function = try resumeTable(type, handlers)
            try pop(.ref(RefType(nullable: true, heapType: .concrete(type))))
            try pop(.ref(RefType(nullable: true, heapType: .abstract(.exn))))
            push(function.results)
        case (.switch, .indexPair(let type, let tagIndex)):
            try switchStep(type: type, tagIndex: tagIndex)
        default:
            throw fail("unsupported instruction \(instruction.opcode.name)")
        }
    }

    /// `switch $ct $tag`: `$ct`'s last parameter is the continuation the current one becomes.
    private mutating func switchStep(type: UInt32, tagIndex: UInt32) throws(ValidationError) {
        let function = try continuationFunction(type).type
        let tag = try tag(tagIndex)
        guard tag.parameters.isEmpty else { throw fail("type mismatch: non-empty tag parameter type") }
        guard let last = function.parameters.last else {
            throw fail("type mismatch: instruction requires a continuation reference")
        }
        guard case .ref(let reference) = last, case .concrete(let otherIndex) = reference.heapType else {
            throw fail("type mismatch: expected a continuation reference, found \(Self.list([last]))")
        }
        let other = try continuationFunction(otherIndex).type
        guard function.results.count == tag.results.count, allSubtypes(function.results, tag.results),
              other.results.count == tag.results.count, allSubtypes(tag.results, other.results)
        else { throw fail("type mismatch in continuation types") }
        try pop(.ref(RefType(nullable: true, heapType: .concrete(type))))
        try popAll(Array(function.parameters.dropLast()))
        push(other.parameters)
    }

    /// Checks a handler table against the continuation type `type`; returns its function type.
    private func resumeTable(_ type: UInt32, _ handlers: [ResumeHandler]) throws(ValidationError) -> FunctionType {
        let function = try continuationFunction(type).type
        for handler in handlers {
            let tag = try tag(handler.tag)
            guard let depth = handler.label else {
                guard tag.parameters.isEmpty else { throw fail("type mismatch: non-empty tag parameter type") }
                continue
            }
            let labelTypes = try label(depth).labelTypes
            guard let last = labelTypes.last else {
                throw fail("type mismatch: instruction requires continuation reference type but label has none")
            }
            guard case .ref(let reference) = last, case .concrete(let index) = reference.heapType else {
                throw fail("type mismatch: \(Self.list([last]))")
            }
            guard let resumed = try? continuationFunction(index).type else { throw fail("non-continuation type") }
            guard resumed.parameters.count == tag.results.count, allSubtypes(resumed.parameters, tag.results),
                  function.results.count == resumed.results.count, allSubtypes(function.results, resumed.results)
            else { throw fail("type mismatch in continuation type") }
            guard allSubtypes(tag.parameters, Array(labelTypes.dropLast())) else {
                throw fail("type mismatch between tag type and label type")
            }
        }
        return function
    }

    /// The function type (and its index) of continuation type `index`.
    func continuationFunction(_ index: UInt32) throws(ValidationError) -> (index: UInt32, type: FunctionType) {
        guard Int(index) < types.count else { throw fail("unknown type: type index out of bounds") }
        guard case .continuation(let functionIndex) = types.types[Int(index)].composite.kind else {
            throw fail("non-continuation type \(index)",
                       related: [ValidationNote("type defined here", at: .type(Int(index)))])
        }
        guard let function = types.functionType(functionIndex) else {
            throw fail("type mismatch: type \(functionIndex) is not a function type")
        }
        return (functionIndex, function)
    }

    private func allSubtypes(_ subtypes: [ValueType], _ supertypes: [ValueType]) -> Bool {
        subtypes.count == supertypes.count && zip(subtypes, supertypes).allSatisfy { types.isSubtype($0, $1) }
    }
}
