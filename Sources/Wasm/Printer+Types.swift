extension ModulePrinter {
    mutating func typeDefinition(_ type: SubType, index: UInt32) {
        out.write("(type")
        definitionName(typeNames, index)
        out.write(" ")
        let wrapped = !type.isFinal || type.supertype != nil
        if wrapped {
            out.write(type.isFinal ? "(sub final" : "(sub")
            if let supertype = type.supertype {
                out.write(" ")
                reference(supertype, typeNames)
            }
            out.write(" ")
        }
        compositeType(type.composite, typeIndex: index)
        if wrapped { out.write(")") }
        out.write(")")
    }

    mutating func compositeType(_ composite: CompositeType, typeIndex: UInt32) {
        if composite.shared { out.write("(shared ") }
        if let describes = composite.describes {
            out.write("(describes ")
            reference(describes, typeNames)
            out.write(") ")
        }
        if let descriptor = composite.descriptor {
            out.write("(descriptor ")
            reference(descriptor, typeNames)
            out.write(") ")
        }
        switch composite.kind {
        case .function(let function):
            out.write("(func")
            let parameterNames = PrintedNames(module.names.parameters[typeIndex])
            var groupOpen = false
            for (index, parameter) in function.parameters.enumerated() {
                if parameterNames.ids[UInt32(index)] != nil || parameterNames.annotations[UInt32(index)] != nil {
                    if groupOpen { out.write(")") }
                    groupOpen = false
                    out.write(" (param")
                    nameOrAnnotation(parameterNames, UInt32(index))
                    out.write(" ")
                    valueType(parameter)
                    out.write(")")
                } else {
                    out.write(groupOpen ? " " : " (param ")
                    groupOpen = true
                    valueType(parameter)
                }
            }
            if groupOpen { out.write(")") }
            results(function.results)
            out.write(")")
        case .struct(let fields):
            out.write("(struct")
            let fieldNames = PrintedNames(module.names.fields[typeIndex])
            for (index, field) in fields.enumerated() {
                out.write(" (field")
                nameOrAnnotation(fieldNames, UInt32(index))
                out.write(" ")
                fieldType(field)
                out.write(")")
            }
            out.write(")")
        case .array(let field):
            out.write("(array ")
            fieldType(field)
            out.write(")")
        case .continuation(let index):
            out.write("(cont ")
            reference(index, typeNames)
            out.write(")")
        }
        if composite.shared { out.write(")") }
    }

    mutating func results(_ results: [ValueType]) {
        guard !results.isEmpty else { return }
        out.write(" (result")
        for result in results {
            out.write(" ")
            valueType(result)
        }
        out.write(")")
    }

    mutating func fieldType(_ field: FieldType) {
        if field.mutable { out.write("(mut ") }
        switch field.storage {
        case .i8: out.write("i8")
        case .i16: out.write("i16")
        case .value(let type): valueType(type)
        }
        if field.mutable { out.write(")") }
    }

    mutating func valueType(_ type: ValueType) {
        switch type {
        case .i32: out.write("i32")
        case .i64: out.write("i64")
        case .f32: out.write("f32")
        case .f64: out.write("f64")
        case .v128: out.write("v128")
        case .ref(let ref): refType(ref)
        }
    }

    mutating func refType(_ type: RefType) {
        if type.nullable, case .abstract(let kind, false) = type.heapType, kind == .func || kind == .extern {
            out.write(kind == .func ? "funcref" : "externref")
            return
        }
        out.write(type.nullable ? "(ref null " : "(ref ")
        heapType(type.heapType)
        out.write(")")
    }

    mutating func heapType(_ type: HeapType) {
        switch type {
        case .abstract(let kind, let shared):
            if shared {
                out.write("(shared \(kind.name))")
            } else {
                out.write(kind.name)
            }
        case .concrete(let index):
            reference(index, typeNames)
        case .exact(let index):
            out.write("(exact ")
            reference(index, typeNames)
            out.write(")")
        }
    }

    mutating func limits(_ limits: Limits) {
        if limits.is64 { out.write("i64 ") }
        out.write(limits.min)
        if let max = limits.max {
            out.write(" ")
            out.write(max)
        }
        if limits.shared { out.write(" shared") }
        if let pageSize = limits.pageSizeLog2 { out.write(" (pagesize \(UInt64(1) << UInt64(pageSize)))") }
    }

    mutating func tableType(_ type: TableType) {
        limits(type.limits)
        out.write(" ")
        refType(type.elementType)
    }

    mutating func memoryType(_ type: MemoryType) {
        limits(type.limits)
    }

    mutating func globalType(_ type: GlobalType) {
        if type.shared { out.write("(shared ") }
        if type.mutable { out.write("(mut ") }
        valueType(type.valueType)
        if type.mutable { out.write(")") }
        if type.shared { out.write(")") }
    }
}
