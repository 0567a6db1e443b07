import SourceText
import Wasm

extension Lowerer {
    static func abstractHeapType(_ type: AbstractHeapTypeSyntax) -> AbstractHeapType {
        switch type {
        case .func: .func
        case .extern: .extern
        case .any: .any
        case .eq: .eq
        case .struct: .struct
        case .array: .array
        case .i31: .i31
        case .exn: .exn
        case .none: .none
        case .noextern: .noextern
        case .nofunc: .nofunc
        case .noexn: .noexn
        case .cont: .cont
        case .nocont: .nocont
        }
    }

    mutating func lower(_ heap: HeapTypeSyntax) -> HeapType {
        switch heap {
        case .abstract(let type, let shared): .abstract(Lowerer.abstractHeapType(type), shared: shared)
        case .concrete(let index): .concrete(self.index(index, .type))
        case .exact(let index): .exact(self.index(index, .type))
        }
    }

    mutating func lower(_ type: RefTypeSyntax) -> RefType {
        RefType(nullable: type.nullable, heapType: lower(type.heap))
    }

    mutating func lower(_ type: ValueTypeSyntax) -> ValueType {
        switch type {
        case .i32: .i32
        case .i64: .i64
        case .f32: .f32
        case .f64: .f64
        case .v128: .v128
        case .ref(let ref): .ref(lower(ref))
        }
    }

    mutating func lower(_ field: FieldSyntax) -> FieldType {
        let storage: StorageType
        switch field.type {
        case .i8: storage = .i8
        case .i16: storage = .i16
        case .value(let value): storage = .value(lower(value))
        }
        return FieldType(storage: storage, mutable: field.mutable)
    }

    mutating func lower(_ type: FunctionTypeSyntax) -> FunctionType {
        FunctionType(parameters: type.params.map { lower($0.type) }, results: type.results.map { lower($0) })
    }

    mutating func lower(_ definition: TypeDefinitionSyntax) -> SubType {
        let kind: CompositeKind
        switch definition.composite {
        case .function(let type): kind = .function(lower(type))
        case .structure(let fields): kind = .struct(fields.map { lower($0) })
        case .array(let field): kind = .array(lower(field))
        case .continuation(let index): kind = .continuation(self.index(index, .type))
        }
        let composite = CompositeType(kind, shared: definition.shared,
                                      descriptor: definition.descriptor.map { index($0, .type) },
                                      describes: definition.describes.map { index($0, .type) })
        return SubType(isFinal: definition.isFinal ?? true, supertype: definition.supertype.map { index($0, .type) },
                       composite: composite)
    }

    func limits(_ limits: LimitsSyntax, shared: Bool = false, pageSizeLog2: UInt32? = nil) -> Limits {
        Limits(min: limits.minimum, max: limits.maximum, is64: limits.is64, shared: shared, pageSizeLog2: pageSizeLog2)
    }

    mutating func lower(_ type: TableTypeSyntax) -> TableType {
        TableType(elementType: lower(type.element), limits: limits(type.limits, shared: type.shared))
    }

    func lower(_ type: MemoryTypeSyntax) -> MemoryType {
        MemoryType(limits: limits(type.limits, shared: type.shared, pageSizeLog2: type.pageSizeLog2))
    }

    mutating func lower(_ type: GlobalTypeSyntax) -> GlobalType {
        GlobalType(valueType: lower(type.type), mutable: type.mutable, shared: type.shared)
    }

    /// The type index of a type use: the one written, or the implicit one. An inline signature
    /// written beside an index must match the indexed type.
    mutating func typeIndex(of use: TypeUseSyntax) -> UInt32 {
        guard let written = use.index else {
            return scope.functionTypeIndex[FunctionKey(use.inline ?? FunctionTypeSyntax())] ?? 0
        }
        guard let index = resolve(written, .type) else { return 0 }
        if let inline = use.inline {
            switch Int(index) < scope.typeInfo.count ? scope.typeInfo[Int(index)] : nil {
            case .function(let type):
                if FunctionKey(type) != FunctionKey(inline) {
                    let diagnosticsBefore = diagnostics.count
                    let referencesBefore = resolution.references.count
                    let expected = lower(type)
                    let actual = lower(inline)
                    diagnostics.removeSubrange(diagnosticsBefore...)
                    resolution.references.removeSubrange(referencesBefore...)
                    if expected != actual {
                        error("inline function type doesn't match type reference", at: use.range)
                    }
                } else {
                    _ = lower(inline)
                }
            case .other:
                error("invalid type: not a function type", at: written.range)
            case nil:
                error("unknown type: type index out of bounds", at: written.range)
            }
        }
        return index
    }
}
