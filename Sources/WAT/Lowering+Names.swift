import Wasm

extension Lowerer {
    /// The name section wasm-tools writes: `(@name …)` annotations, else identifiers, for every
    /// item, parameter, local, label and struct field that has one.
    mutating func buildNames(_ syntax: ModuleSyntax) {
        var names = NameSection()
        names.module = syntax.nameAnnotation?.text ?? syntax.id?.name
        var counters = (function: UInt32(0), table: UInt32(0), memory: UInt32(0), global: UInt32(0), tag: UInt32(0),
                        type: UInt32(0), element: UInt32(0), data: UInt32(0))
        var definedFunction = 0
        func name(_ id: Identifier?, _ annotation: String?) -> String? { annotation ?? id?.name }
        func add(_ map: inout NameMap, _ index: inout UInt32, _ name: String?) {
            if let name { map.entries.append(Naming(index: index, name: name)) }
            index += 1
        }

        for item in items {
            switch item {
            case .type(let definition):
                addTypeNames(definition, &names, &counters.type)
            case .recursiveGroup(let group):
                for definition in group.types { addTypeNames(definition, &names, &counters.type) }
            case .import(let item):
                let itemName = name(item.id, item.nameAnnotation)
                switch item.description {
                case .function: add(&names.functions, &counters.function, itemName)
                case .table: add(&names.tables, &counters.table, itemName)
                case .memory: add(&names.memories, &counters.memory, itemName)
                case .global: add(&names.globals, &counters.global, itemName)
                case .tag: add(&names.tags, &counters.tag, itemName)
                }
            case .function(let function):
                var locals = NameMap()
                var localIndex: UInt32 = 0
                var discardLocals = false
                if let inline = function.type.inline {
                    for param in inline.params {
                        if let paramName = name(param.id, param.nameAnnotation) {
                            locals.entries.append(Naming(index: localIndex, name: paramName))
                        }
                        localIndex += 1
                    }
                } else {
                    let typeIndex = module.functions[definedFunction].typeIndex
                    if Int(typeIndex) < scope.typeInfo.count, case .function(let type) = scope.typeInfo[Int(typeIndex)] {
                        localIndex = UInt32(type.params.count)
                    } else {
                        discardLocals = true
                    }
                }
                for local in function.locals {
                    if let localName = name(local.id, local.nameAnnotation) {
                        locals.entries.append(Naming(index: localIndex, name: localName))
                    }
                    localIndex += 1
                }
                if !discardLocals && !locals.isEmpty {
                    names.locals.entries.append(IndirectNaming(index: counters.function, names: locals))
                }
                let labels = labelNamesPerFunction[definedFunction]
                if !labels.isEmpty {
                    names.labels.entries.append(IndirectNaming(index: counters.function,
                                                               names: NameMap(labels.map { Naming(index: $0.index, name: $0.name) })))
                }
                definedFunction += 1
                add(&names.functions, &counters.function, name(function.id, function.nameAnnotation))
            case .table(let table, _, _):
                add(&names.tables, &counters.table, name(table.id, table.nameAnnotation))
            case .memory(let memory, _):
                add(&names.memories, &counters.memory, name(memory.id, memory.nameAnnotation))
            case .global(let global):
                add(&names.globals, &counters.global, name(global.id, global.nameAnnotation))
            case .tag(let tag):
                add(&names.tags, &counters.tag, name(tag.id, tag.nameAnnotation))
            case .element(let element):
                add(&names.elements, &counters.element, name(element.id, element.nameAnnotation))
            case .data(let data):
                add(&names.data, &counters.data, name(data.id, data.nameAnnotation))
            case .export, .start, .custom:
                break
            }
        }
        module.names = names
    }

    /// A type's name, its struct field names and its parameter names.
    func addTypeNames(_ definition: TypeDefinitionSyntax, _ names: inout NameSection, _ index: inout UInt32) {
        switch definition.composite {
        case .structure(let fields):
            var fieldMap = NameMap()
            for (fieldIndex, field) in fields.enumerated() {
                if let id = field.id { fieldMap.entries.append(Naming(index: UInt32(fieldIndex), name: id.name)) }
            }
            if !fieldMap.isEmpty { names.fields.entries.append(IndirectNaming(index: index, names: fieldMap)) }
        case .function(let type):
            var paramMap = NameMap()
            for (paramIndex, param) in type.params.enumerated() {
                if let name = param.nameAnnotation ?? param.id?.name {
                    paramMap.entries.append(Naming(index: UInt32(paramIndex), name: name))
                }
            }
            if !paramMap.isEmpty { names.parameters.entries.append(IndirectNaming(index: index, names: paramMap)) }
        default:
            break
        }
        if let name = definition.nameAnnotation ?? definition.id?.name {
            names.types.entries.append(Naming(index: index, name: name))
        }
        index += 1
    }
}
