/// A validation failure: a short message in the words `wasm-tools validate` uses, the module item
/// where it was found (an instruction, a global, an export, ...) and the definitions involved.
public struct ValidationError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public var item: ModuleItem
    public var related: [ValidationNote]

    public init(_ message: String, at item: ModuleItem, related: [ValidationNote] = []) {
        self.message = message
        self.item = item
        self.related = related
    }

    public var description: String { "\(message) (at \(item))" }

    /// The binary offset of the item, when the map recorded it.
    public func offset(in map: OffsetMap) -> Int? {
        map.offset(of: item)
    }
}

/// A definition a validation error refers to ("function type defined here").
public struct ValidationNote: Hashable, Sendable {
    public var message: String
    public var item: ModuleItem

    public init(_ message: String, at item: ModuleItem) {
        self.message = message
        self.item = item
    }

    public func offset(in map: OffsetMap) -> Int? {
        map.offset(of: item)
    }
}
