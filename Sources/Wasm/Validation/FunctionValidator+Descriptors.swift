extension FunctionValidator {
    /// Custom-descriptor instructions (struct.new_desc, ref.get_desc, descriptor casts).
    mutating func descriptorStep(_ instruction: Instruction) throws(ValidationError) {
        switch instruction.opcode {
        case .structNewDesc, .structNewDefaultDesc:
            guard case .index(let index) = instruction.immediates else { throw fail("malformed type index") }
            let fields = try structType(index)
            guard let descriptor = types.types[Int(index)].composite.descriptor else {
                throw fail("type without descriptor requires non-descriptor allocation")
            }
            try pop(.ref(RefType(nullable: true, heapType: .exact(descriptor))))
            if instruction.opcode == .structNewDesc {
                for field in fields.reversed() { try pop(field.storage.unpacked) }
            } else {
                for field in fields where !field.storage.unpacked.isDefaultable {
                    throw fail("invalid type: struct.new_default_desc requires all fields to be defaultable")
                }
            }
            push(.ref(RefType(nullable: false, heapType: .exact(index))))
        case .refGetDesc:
            guard case .index(let index) = instruction.immediates else { throw fail("malformed type index") }
            guard Int(index) < types.count else { throw fail("unknown type: type index out of bounds") }
            guard let descriptor = types.types[Int(index)].composite.descriptor else {
                throw fail("type without descriptor: type \(index) has no descriptor")
            }
            let operand = try pop(.ref(RefType(nullable: true, heapType: .concrete(index))))
            var exact = true
            if case .ref(let reference)? = operand {
                switch reference.heapType {
                case .exact(let j): exact = types.sameType(Int(j), Int(index))
                case .concrete: exact = false
                case .abstract: exact = true
                }
            }
            push(.ref(RefType(nullable: false, heapType: exact ? .exact(descriptor) : .concrete(descriptor))))
        case .refCastDescEq:
            guard case .refType(let target) = instruction.immediates else { throw fail("malformed reference type") }
            try checkHeapType(target.heapType)
            let descriptor = try descriptorOperand(of: target.heapType)
            try pop(.ref(RefType(nullable: true, heapType: descriptor)))
            let reference = try popReference()
            if let reference, types.top(of: reference.heapType) != types.top(of: target.heapType) {
                throw fail("type mismatch: expected \(RefType(nullable: true, heapType: types.top(of: target.heapType)).validationName), found \(reference.validationName)")
            }
            push(.ref(target))
        case .brOnCastDescEq, .brOnCastDescEqFail:
            guard case .branchOnCast(let depth, let from, let to) = instruction.immediates else { throw fail("malformed cast") }
            try checkHeapType(from.heapType)
            try checkHeapType(to.heapType)
            guard types.top(of: to.heapType) == types.top(of: from.heapType) else {
                throw fail("type mismatch: expected \(from.validationName), found \(to.validationName)")
            }
            let descriptor = try descriptorOperand(of: to.heapType)
            var labelTypes = try label(depth).labelTypes
            guard let last = labelTypes.popLast(), case .ref(let labelReference) = last else {
                throw fail("type mismatch: cast target label does not end with a reference type")
            }
            try pop(.ref(RefType(nullable: true, heapType: descriptor)))
            try pop(.ref(from))
            let difference = RefType(nullable: from.nullable && !to.nullable, heapType: from.heapType)
            let target = RefType(nullable: from.nullable && to.nullable, heapType: to.heapType)
            let branched = instruction.opcode == .brOnCastDescEq ? target : difference
            let continuing = instruction.opcode == .brOnCastDescEq ? difference : target
            guard types.isSubtype(branched, labelReference) else {
                throw fail("type mismatch: expected \(labelReference.validationName), found \(branched.validationName)")
            }
            try popAll(labelTypes)
            push(labelTypes)
            push(.ref(continuing))
        default:
            try stackSwitchingStep(instruction)
        }
    }

    /// The descriptor heap type a descriptor cast to `heap` takes: exact when the target is exact.
    func descriptorOperand(of heap: HeapType) throws(ValidationError) -> HeapType {
        switch heap {
        case .concrete(let i), .exact(let i):
            guard let descriptor = types.types[Int(i)].composite.descriptor else {
                throw fail("type \(i) does not have a descriptor")
            }
            if case .exact = heap { return .exact(descriptor) }
            return .concrete(descriptor)
        case .abstract(let kind, _):
            throw fail("type \(kind.name) does not have a descriptor")
        }
    }
}
