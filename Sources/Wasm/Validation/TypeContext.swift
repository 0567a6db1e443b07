/// The module's defined types prepared for validation: rec groups canonicalised so that structurally
/// equal groups compare equal, and the subtyping relation over value, reference and heap types.
struct TypeContext: Sendable {
    let types: [SubType]
    /// Per type index: the first index of its rec group and one past its last.
    let groupStart: [Int]
    let groupEnd: [Int]
    /// Per type index: the index of the first canonically equal type.
    let canonical: [Int]

    init(_ groups: [RecGroup]) {
        var types: [SubType] = []
        var groupStart: [Int] = []
        var groupEnd: [Int] = []
        var canonical: [Int] = []
        var representatives: [[SubType]: Int] = [:]
        for group in groups {
            let start = types.count
            let end = start + group.types.count
            types += group.types
            var key: [SubType] = []
            key.reserveCapacity(group.types.count)
            for member in group.types {
                key.append(
                    member.mappingIndices { index in
                        let i = Int(index)
                        if i >= start && i < end { return UInt32(0x8000_0000) | UInt32(i - start) }
                        if i < start { return UInt32(canonical[i]) }
                        return index
                    })
            }
            let representative: Int
            if let found = representatives[key] {
                representative = found
            } else {
                representatives[key] = start
                representative = start
            }
            for k in 0..<group.types.count {
                groupStart.append(start)
                groupEnd.append(end)
                canonical.append(representative + k)
            }
        }
        self.types = types
        self.groupStart = groupStart
        self.groupEnd = groupEnd
        self.canonical = canonical
    }

    var count: Int { types.count }

    func functionType(_ index: UInt32) -> FunctionType? {
        guard Int(index) < types.count else { return nil }
        return types[Int(index)].functionType
    }

    func isSubtype(_ a: ValueType, _ b: ValueType) -> Bool {
        if a == b { return true }
        guard case .ref(let x) = a, case .ref(let y) = b else { return false }
        return isSubtype(x, y)
    }

    func isSubtype(_ a: RefType, _ b: RefType) -> Bool {
        if a.nullable && !b.nullable { return false }
        return isSubtype(a.heapType, b.heapType)
    }

    func isSubtype(_ a: HeapType, _ b: HeapType) -> Bool {
        if a == b { return true }
        switch (a, b) {
        case (.concrete(let i), .concrete(let j)), (.exact(let i), .concrete(let j)):
            return isDeclaredSubtype(Int(i), Int(j))
        case (.exact(let i), .exact(let j)):
            return sameType(Int(i), Int(j))
        case (.concrete, .exact):
            return false
        case (.abstract(let x, let xs), .abstract(let y, let ys)):
            return xs == ys && Self.isAbstractSubtype(x, y)
        case (.concrete(let i), .abstract(let y, let ys)), (.exact(let i), .abstract(let y, let ys)):
            guard Int(i) < types.count else { return false }
            let composite = types[Int(i)].composite
            guard composite.shared == ys else { return false }
            switch composite.kind {
            case .function: return y == .func
            case .struct: return y == .struct || y == .eq || y == .any
            case .array: return y == .array || y == .eq || y == .any
            case .continuation: return y == .cont
            }
        case (.abstract(let x, let xs), .concrete(let j)), (.abstract(let x, let xs), .exact(let j)):
            guard Int(j) < types.count else { return false }
            let composite = types[Int(j)].composite
            guard composite.shared == xs else { return false }
            return x == Self.bottom(of: composite.kind)
        }
    }

    func sameType(_ i: Int, _ j: Int) -> Bool {
        i < canonical.count && j < canonical.count && canonical[i] == canonical[j]
    }

    /// Whether type `i` reaches a type equal to `j` through its declared supertypes.
    func isDeclaredSubtype(_ i: Int, _ j: Int) -> Bool {
        guard j < canonical.count else { return false }
        let target = canonical[j]
        var k = i
        var steps = 0
        while k < canonical.count && steps <= canonical.count {
            if canonical[k] == target { return true }
            guard let next = types[k].supertype, Int(next) < k else { return false }
            k = Int(next)
            steps += 1
        }
        return false
    }

    static func isAbstractSubtype(_ x: AbstractHeapType, _ y: AbstractHeapType) -> Bool {
        if x == y { return true }
        switch x {
        case .none: return y == .any || y == .eq || y == .i31 || y == .struct || y == .array
        case .i31, .struct, .array: return y == .eq || y == .any
        case .eq: return y == .any
        case .nofunc: return y == .func
        case .noextern: return y == .extern
        case .noexn: return y == .exn
        case .nocont: return y == .cont
        default: return false
        }
    }

    static func bottom(of kind: CompositeKind) -> AbstractHeapType {
        switch kind {
        case .function: .nofunc
        case .struct, .array: .none
        case .continuation: .nocont
        }
    }

    /// The top of the hierarchy a heap type belongs to (`any`, `func`, `extern`, `exn`, `cont`).
    func top(of heap: HeapType) -> HeapType {
        switch heap {
        case .abstract(let kind, let shared):
            let top: AbstractHeapType
            switch kind {
            case .func, .nofunc: top = .func
            case .extern, .noextern: top = .extern
            case .exn, .noexn: top = .exn
            case .cont, .nocont: top = .cont
            default: top = .any
            }
            return .abstract(top, shared: shared)
        case .concrete(let i), .exact(let i):
            guard Int(i) < types.count else { return .abstract(.any) }
            let composite = types[Int(i)].composite
            switch composite.kind {
            case .function: return .abstract(.func, shared: composite.shared)
            case .struct, .array: return .abstract(.any, shared: composite.shared)
            case .continuation: return .abstract(.cont, shared: composite.shared)
            }
        }
    }

    /// The bottom of the hierarchy a heap type belongs to.
    func bottom(of heap: HeapType) -> HeapType {
        guard case .abstract(let top, let shared) = top(of: heap) else { return .abstract(.none) }
        let bottom: AbstractHeapType
        switch top {
        case .func: bottom = .nofunc
        case .extern: bottom = .noextern
        case .exn: bottom = .noexn
        case .cont: bottom = .nocont
        default: bottom = .none
        }
        return .abstract(bottom, shared: shared)
    }

    func isShared(_ heap: HeapType) -> Bool {
        switch heap {
        case .abstract(_, let shared): shared
        case .concrete(let i), .exact(let i): Int(i) < types.count && types[Int(i)].composite.shared
        }
    }

    func structFields(_ index: UInt32) -> [FieldType]? {
        guard Int(index) < types.count, case .struct(let fields) = types[Int(index)].composite.kind else { return nil }
        return fields
    }

    func arrayField(_ index: UInt32) -> FieldType? {
        guard Int(index) < types.count, case .array(let field) = types[Int(index)].composite.kind else { return nil }
        return field
    }

    func isSubtype(_ a: StorageType, _ b: StorageType) -> Bool {
        switch (a, b) {
        case (.value(let x), .value(let y)): isSubtype(x, y)
        case (.i8, .i8), (.i16, .i16): true
        default: false
        }
    }

    /// Field subtyping: immutable fields are covariant, mutable ones invariant.
    func isSubtype(_ a: FieldType, _ b: FieldType) -> Bool {
        guard a.mutable == b.mutable else { return false }
        if a.mutable { return isSubtype(a.storage, b.storage) && isSubtype(b.storage, a.storage) }
        return isSubtype(a.storage, b.storage)
    }

    /// Whether composite `a` may declare composite `b` as its supertype.
    func isSubtype(_ a: CompositeType, _ b: CompositeType) -> Bool {
        guard a.shared == b.shared else { return false }
        switch (a.kind, b.kind) {
        case (.function(let x), .function(let y)):
            return x.parameters.count == y.parameters.count && x.results.count == y.results.count
                && zip(y.parameters, x.parameters).allSatisfy { isSubtype($0, $1) }
                && zip(x.results, y.results).allSatisfy { isSubtype($0, $1) }
        case (.struct(let x), .struct(let y)):
            return x.count >= y.count && zip(x, y).allSatisfy { isSubtype($0, $1) }
        case (.array(let x), .array(let y)):
            return isSubtype(x, y)
        case (.continuation(let x), .continuation(let y)):
            return isSubtype(HeapType.concrete(x), HeapType.concrete(y))
        default:
            return false
        }
    }
}

extension SubType {
    /// The same type with every type index rewritten (supertype, references, descriptors).
    func mappingIndices(_ map: (UInt32) -> UInt32) -> SubType {
        func heap(_ h: HeapType) -> HeapType {
            switch h {
            case .abstract: h
            case .concrete(let i): .concrete(map(i))
            case .exact(let i): .exact(map(i))
            }
        }
        func value(_ v: ValueType) -> ValueType {
            guard case .ref(let r) = v, !r.heapType.isAbstract else { return v }
            return .ref(RefType(nullable: r.nullable, heapType: heap(r.heapType)))
        }
        func field(_ f: FieldType) -> FieldType {
            guard case .value(let v) = f.storage else { return f }
            return FieldType(storage: .value(value(v)), mutable: f.mutable)
        }
        var result = self
        result.supertype = supertype.map(map)
        result.composite.descriptor = composite.descriptor.map(map)
        result.composite.describes = composite.describes.map(map)
        switch composite.kind {
        case .function(let f):
            result.composite.kind = .function(
                FunctionType(parameters: f.parameters.map(value), results: f.results.map(value)))
        case .struct(let fields):
            result.composite.kind = .struct(fields.map(field))
        case .array(let f):
            result.composite.kind = .array(field(f))
        case .continuation(let i):
            result.composite.kind = .continuation(map(i))
        }
        return result
    }
}

extension HeapType {
    var isAbstract: Bool {
        if case .abstract = self { return true }
        return false
    }
}

extension ValueType {
    /// Whether a local or field of this type has a default value (non-nullable references do not).
    var isDefaultable: Bool {
        if case .ref(let r) = self { return r.nullable }
        return true
    }

    var isReference: Bool {
        if case .ref = self { return true }
        return false
    }

    /// The text-format spelling used in messages: `i32`, `funcref`, `(ref null 3)`, `(ref any)`.
    public var validationName: String {
        switch self {
        case .i32: "i32"
        case .i64: "i64"
        case .f32: "f32"
        case .f64: "f64"
        case .v128: "v128"
        case .ref(let r): r.validationName
        }
    }
}

extension RefType {
    public var validationName: String {
        if nullable, case .abstract(let kind, let shared) = heapType, !shared {
            return kind.name + "ref"
        }
        return "(ref \(nullable ? "null " : "")\(heapType.validationName))"
    }
}

extension HeapType {
    public var validationName: String {
        switch self {
        case .abstract(let kind, let shared): shared ? "(shared \(kind.name))" : kind.name
        case .concrete(let i): "\(i)"
        case .exact(let i): "(exact \(i))"
        }
    }
}

extension StorageType {
    /// The value type a packed field reads as.
    var unpacked: ValueType {
        switch self {
        case .value(let v): v
        case .i8, .i16: .i32
        }
    }

    var isPacked: Bool {
        if case .value = self { return false }
        return true
    }
}
