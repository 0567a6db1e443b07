import SourceText

/// The index spaces a `$name` can live in.
public enum IndexSpace: String, Sendable, Hashable {
    case type, function = "func", table, memory, global, tag, element = "elem", data, local, label, field
}

/// One resolved use of a name: where it is used and where it is defined.
public struct NameReference: Sendable, Hashable {
    public var use: TextRange
    public var definition: TextRange
    public var space: IndexSpace
}

/// Every resolved name use of a module, for go-to-definition and find-references.
public struct NameResolution: Sendable, Hashable {
    public var references: [NameReference] = []

    public init() {}

    /// The definition of the name used at `offset`, if a name is used there.
    public func definition(at offset: Int) -> NameReference? {
        references.first { $0.use.contains(offset) || $0.use.end == offset }
    }

    /// Every use of the item defined at `definition`.
    public func uses(of definition: TextRange) -> [NameReference] {
        references.filter { $0.definition == definition }
    }
}

/// The names defined in one index space, numbered in order of definition.
struct Namespace {
    var names: [String: (index: UInt32, range: TextRange)] = [:]
    var count: UInt32 = 0

    /// Numbers the next item; a repeated name is reported with both places.
    mutating func register(_ id: Identifier?, space: IndexSpace, diagnostics: inout [Diagnostic]) -> UInt32 {
        let index = count
        count += 1
        if let id {
            if let previous = names[id.name] {
                diagnostics.append(.error("duplicate \(space.rawValue) identifier `$\(id.name)`", at: id.range,
                                          code: "wat-names",
                                          related: [RelatedLocation(range: previous.range, message: "first defined here")]))
            } else {
                names[id.name] = (index, id.range)
            }
        }
        return index
    }
}
