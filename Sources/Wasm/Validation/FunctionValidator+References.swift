extension FunctionValidator {
    /// Reference, table, GC and conversion instructions.
    mutating func referenceStep(_ instruction: Instruction) throws(ValidationError) {
        let immediates = instruction.immediates
        switch instruction.opcode {
        case .refNull:
            guard case .heapType(let heap) = immediates else { throw fail("malformed heap type") }
            try checkHeapType(heap)
            push(.ref(RefType(nullable: true, heapType: heap)))
        case .refIsNull:
            _ = try popReference()
            push(.i32)
        case .refAsNonNull:
            let reference = try popReference()
            if let reference { push(.ref(RefType(nullable: false, heapType: reference.heapType))) } else { operands.append(nil) }
        case .refFunc:
            guard case .index(let index) = immediates else { throw fail("malformed function index") }
            guard Int(index) < context.functionTypes.count else {
                throw fail("unknown function \(index): function index out of bounds")
            }
            if !isConstant, !context.declaredFunctions[Int(index)] {
                throw fail("undeclared function reference", related: functionNote(index))
            }
            let typeIndex = context.functionTypes[Int(index)]
            push(.ref(RefType(nullable: false, heapType: context.exactFunctions[Int(index)] ? .exact(typeIndex) : .concrete(typeIndex))))
        case .refEq:
            let eqref = ValueType.ref(RefType(nullable: true, heapType: .abstract(.eq)))
            try popEq(eqref)
            try popEq(eqref)
            push(.i32)
        case .brOnNull:
            guard case .index(let depth) = immediates else { throw fail("malformed label") }
            let reference = try popReference()
            let labelTypes = try label(depth).labelTypes
            try popAll(labelTypes)
            push(labelTypes)
            if let reference { push(.ref(RefType(nullable: false, heapType: reference.heapType))) } else { operands.append(nil) }
        case .brOnNonNull:
            guard case .index(let depth) = immediates else { throw fail("malformed label") }
            let reference = try popReference()
            var labelTypes = try label(depth).labelTypes
            guard let last = labelTypes.popLast(), case .ref = last else {
                throw fail("type mismatch: br_on_non_null target does not end with a reference type")
            }
            if let reference {
                let nonNull = ValueType.ref(RefType(nullable: false, heapType: reference.heapType))
                guard types.isSubtype(nonNull, last) else {
                    throw fail("type mismatch: expected \(last.validationName), found \(nonNull.validationName)")
                }
            }
            try popAll(labelTypes)
            push(labelTypes)
        case .tableGet:
            guard case .index(let index) = immediates else { throw fail("malformed table index") }
            let table = try table(index)
            try pop(context.addressType(ofTable: table))
            push(.ref(context.tables[table].elementType))
        case .tableSet:
            guard case .index(let index) = immediates else { throw fail("malformed table index") }
            let table = try table(index)
            try pop(.ref(context.tables[table].elementType))
            try pop(context.addressType(ofTable: table))
        case .tableSize:
            guard case .index(let index) = immediates else { throw fail("malformed table index") }
            push(context.addressType(ofTable: try table(index)))
        case .tableGrow:
            guard case .index(let index) = immediates else { throw fail("malformed table index") }
            let table = try table(index)
            let address = context.addressType(ofTable: table)
            try pop(address)
            try pop(.ref(context.tables[table].elementType))
            push(address)
        case .tableFill:
            guard case .index(let index) = immediates else { throw fail("malformed table index") }
            let table = try table(index)
            let address = context.addressType(ofTable: table)
            try pop(address)
            try pop(.ref(context.tables[table].elementType))
            try pop(address)
        case .tableCopy:
            guard case .indexPair(let destination, let source) = immediates else { throw fail("malformed table.copy") }
            let target = try table(destination)
            let origin = try table(source)
            guard types.isSubtype(context.tables[origin].elementType, context.tables[target].elementType) else {
                throw fail("type mismatch: table \(source) elements are not a subtype of table \(destination) elements")
            }
            let targetAddress = context.addressType(ofTable: target)
            let originAddress = context.addressType(ofTable: origin)
            try pop(targetAddress == .i64 && originAddress == .i64 ? .i64 : .i32)
            try pop(originAddress)
            try pop(targetAddress)
        case .tableInit:
            guard case .indexPair(let element, let index) = immediates else { throw fail("malformed table.init") }
            let table = try table(index)
            let segment = try elementSegment(element)
            guard types.isSubtype(segment, context.tables[table].elementType) else {
                throw fail("type mismatch: elem segment \(element) does not match table \(index)")
            }
            try pop(.i32)
            try pop(.i32)
            try pop(context.addressType(ofTable: table))
        case .elemDrop:
            guard case .index(let element) = immediates else { throw fail("malformed elem index") }
            _ = try elementSegment(element)
        case .refI31:
            try pop(.i32)
            push(.ref(RefType(nullable: false, heapType: .abstract(.i31))))
        case .i31GetS, .i31GetU:
            let reference = try popReference()
            if let reference, !types.isSubtype(reference.heapType, .abstract(.i31, shared: types.isShared(reference.heapType))) {
                throw fail("type mismatch: expected (ref null i31), found \(reference.validationName)")
            }
            push(.i32)
        case .anyConvertExtern, .externConvertAny:
            let toAny = instruction.opcode == .anyConvertExtern
            let reference = try popReference()
            if let reference {
                let shared = types.isShared(reference.heapType)
                let source: AbstractHeapType = toAny ? .extern : .any
                guard types.isSubtype(reference.heapType, .abstract(source, shared: shared)) else {
                    throw fail("type mismatch: expected \(source.name)ref, found \(reference.validationName)")
                }
                push(.ref(RefType(nullable: reference.nullable, heapType: .abstract(toAny ? .any : .extern, shared: shared))))
            } else {
                operands.append(nil)
            }
        case .refTest, .refCast:
            guard case .refType(let target) = immediates else { throw fail("malformed reference type") }
            try checkHeapType(target.heapType)
            let reference = try popReference()
            if let reference, types.top(of: reference.heapType) != types.top(of: target.heapType) {
                throw fail("type mismatch: expected \(RefType(nullable: true, heapType: types.top(of: target.heapType)).validationName), found \(reference.validationName)")
            }
            push(instruction.opcode == .refTest ? .i32 : .ref(target))
        case .brOnCast, .brOnCastFail:
            try branchOnCast(instruction)
        default:
            try aggregateStep(instruction)
        }
    }

    mutating func popEq(_ eqref: ValueType) throws(ValidationError) {
        let reference = try popReference(expected: "eqref")
        if let reference, !types.isSubtype(reference.heapType, .abstract(.eq, shared: types.isShared(reference.heapType))) {
            throw fail("type mismatch: expected eqref, found \(reference.validationName)")
        }
    }

    mutating func branchOnCast(_ instruction: Instruction) throws(ValidationError) {
        guard case .branchOnCast(let depth, let from, let to) = instruction.immediates else { throw fail("malformed cast") }
        try checkHeapType(from.heapType)
        try checkHeapType(to.heapType)
        let related = relaxedCasts ? types.top(of: to.heapType) == types.top(of: from.heapType) : types.isSubtype(to, from)
        guard related else {
            throw fail("type mismatch: expected \(from.validationName), found \(to.validationName)")
        }
        var labelTypes = try label(depth).labelTypes
        guard let last = labelTypes.popLast(), case .ref(let labelReference) = last else {
            throw fail("type mismatch: cast target label does not end with a reference type")
        }
        try pop(.ref(from))
        let difference = RefType(nullable: from.nullable && !to.nullable, heapType: from.heapType)
        let target = RefType(nullable: from.nullable && to.nullable, heapType: to.heapType)
        let branched = instruction.opcode == .brOnCast ? target : difference
        let continuing = instruction.opcode == .brOnCast ? difference : target
        guard types.isSubtype(branched, labelReference) else {
            throw fail("type mismatch: expected \(labelReference.validationName), found \(branched.validationName)")
        }
        try popAll(labelTypes)
        push(labelTypes)
        push(.ref(continuing))
    }

    func structType(_ index: UInt32) throws(ValidationError) -> [FieldType] {
        guard Int(index) < types.count else { throw fail("unknown type: type index out of bounds") }
        guard let fields = types.structFields(index) else {
            throw fail("type mismatch: expected struct type at index \(index)",
                       related: [ValidationNote("type defined here", at: .type(Int(index)))])
        }
        return fields
    }

    func arrayType(_ index: UInt32) throws(ValidationError) -> FieldType {
        guard Int(index) < types.count else { throw fail("unknown type: type index out of bounds") }
        guard let field = types.arrayField(index) else {
            throw fail("type mismatch: expected array type at index \(index)",
                       related: [ValidationNote("type defined here", at: .type(Int(index)))])
        }
        return field
    }

    func field(_ typeIndex: UInt32, _ fieldIndex: UInt32) throws(ValidationError) -> FieldType {
        let fields = try structType(typeIndex)
        guard Int(fieldIndex) < fields.count else { throw fail("unknown field: field index out of bounds") }
        return fields[Int(fieldIndex)]
    }

    /// Struct and array instructions.
    mutating func aggregateStep(_ instruction: Instruction) throws(ValidationError) {
        let immediates = instruction.immediates
        switch instruction.opcode {
        case .structNew, .structNewDefault:
            guard case .index(let index) = immediates else { throw fail("malformed type index") }
            let fields = try structType(index)
            if types.types[Int(index)].composite.descriptor != nil {
                throw fail("type with descriptor requires descriptor allocation")
            }
            if instruction.opcode == .structNew {
                for field in fields.reversed() { try pop(field.storage.unpacked) }
            } else {
                for field in fields where !field.storage.unpacked.isDefaultable {
                    throw fail("invalid type: struct.new_default requires all fields to be defaultable")
                }
            }
            push(.ref(RefType(nullable: false, heapType: .exact(index))))
        case .structGet, .structGetS, .structGetU:
            guard case .indexPair(let index, let fieldIndex) = immediates else { throw fail("malformed field") }
            let field = try field(index, fieldIndex)
            if field.storage.isPacked != (instruction.opcode != .structGet) {
                throw fail(field.storage.isPacked
                    ? "type mismatch: cannot use struct.get with packed storage types"
                    : "type mismatch: cannot use struct.get_s or struct.get_u with non-packed storage types")
            }
            try pop(.ref(RefType(nullable: true, heapType: .concrete(index))))
            push(field.storage.unpacked)
        case .structSet:
            guard case .indexPair(let index, let fieldIndex) = immediates else { throw fail("malformed field") }
            let field = try field(index, fieldIndex)
            guard field.mutable else { throw fail("immutable field: field \(fieldIndex) of type \(index) is immutable") }
            try pop(field.storage.unpacked)
            try pop(.ref(RefType(nullable: true, heapType: .concrete(index))))
        case .arrayNew, .arrayNewDefault:
            guard case .index(let index) = immediates else { throw fail("malformed type index") }
            let field = try arrayType(index)
            try pop(.i32)
            if instruction.opcode == .arrayNew {
                try pop(field.storage.unpacked)
            } else if !field.storage.unpacked.isDefaultable {
                throw fail("invalid type: array.new_default requires a defaultable element type")
            }
            push(.ref(RefType(nullable: false, heapType: .exact(index))))
        case .arrayNewFixed:
            guard case .indexPair(let index, let count) = immediates else { throw fail("malformed array.new_fixed") }
            let field = try arrayType(index)
            for _ in 0..<count { try pop(field.storage.unpacked) }
            push(.ref(RefType(nullable: false, heapType: .exact(index))))
        case .arrayNewData, .arrayInitData:
            guard case .indexPair(let index, let data) = immediates else { throw fail("malformed array data") }
            let field = try arrayType(index)
            if instruction.opcode == .arrayInitData, !field.mutable { throw fail("immutable array: array type \(index) is immutable") }
            switch field.storage {
            case .value(.ref): throw fail("array type is not numeric or vector")
            default: break
            }
            try dataSegment(data)
            try pop(.i32)
            try pop(.i32)
            if instruction.opcode == .arrayNewData {
                push(.ref(RefType(nullable: false, heapType: .exact(index))))
            } else {
                try pop(.i32)
                try pop(.ref(RefType(nullable: true, heapType: .concrete(index))))
            }
        case .arrayNewElem, .arrayInitElem:
            guard case .indexPair(let index, let element) = immediates else { throw fail("malformed array elem") }
            let field = try arrayType(index)
            if instruction.opcode == .arrayInitElem, !field.mutable { throw fail("immutable array: array type \(index) is immutable") }
            let segment = try elementSegment(element)
            guard case .value(let elementType) = field.storage, types.isSubtype(.ref(segment), elementType) else {
                throw fail("type mismatch: elem segment \(element) does not match the array element type")
            }
            try pop(.i32)
            try pop(.i32)
            if instruction.opcode == .arrayNewElem {
                push(.ref(RefType(nullable: false, heapType: .exact(index))))
            } else {
                try pop(.i32)
                try pop(.ref(RefType(nullable: true, heapType: .concrete(index))))
            }
        case .arrayGet, .arrayGetS, .arrayGetU:
            guard case .index(let index) = immediates else { throw fail("malformed type index") }
            let field = try arrayType(index)
            if field.storage.isPacked != (instruction.opcode != .arrayGet) {
                throw fail(field.storage.isPacked
                    ? "type mismatch: cannot use array.get with packed storage types"
                    : "type mismatch: cannot use array.get_s or array.get_u with non-packed storage types")
            }
            try pop(.i32)
            try pop(.ref(RefType(nullable: true, heapType: .concrete(index))))
            push(field.storage.unpacked)
        case .arraySet:
            guard case .index(let index) = immediates else { throw fail("malformed type index") }
            let field = try arrayType(index)
            guard field.mutable else { throw fail("immutable array: array type \(index) is immutable") }
            try pop(field.storage.unpacked)
            try pop(.i32)
            try pop(.ref(RefType(nullable: true, heapType: .concrete(index))))
        case .arrayLen:
            try pop(.ref(RefType(nullable: true, heapType: .abstract(.array))))
            push(.i32)
        case .arrayFill:
            guard case .index(let index) = immediates else { throw fail("malformed type index") }
            let field = try arrayType(index)
            guard field.mutable else { throw fail("immutable array: array type \(index) is immutable") }
            try pop(.i32)
            try pop(field.storage.unpacked)
            try pop(.i32)
            try pop(.ref(RefType(nullable: true, heapType: .concrete(index))))
        case .arrayCopy:
            guard case .indexPair(let destination, let source) = immediates else { throw fail("malformed array.copy") }
            let target = try arrayType(destination)
            let origin = try arrayType(source)
            guard target.mutable else { throw fail("immutable array: array type \(destination) is immutable") }
            guard types.isSubtype(origin.storage, target.storage) else {
                throw fail("array types do not match: array \(source) cannot be copied into array \(destination)")
            }
            try pop(.i32)
            try pop(.i32)
            try pop(.ref(RefType(nullable: true, heapType: .concrete(source))))
            try pop(.i32)
            try pop(.ref(RefType(nullable: true, heapType: .concrete(destination))))
        default:
            try descriptorStep(instruction)
        }
    }
}
