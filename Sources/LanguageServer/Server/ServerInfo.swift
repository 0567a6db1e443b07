/// The name and version the server reports in `initialize`.
public struct ServerInfo: Sendable {
    public var name: String
    public var version: String

    public init(name: String = "clifford", version: String) {
        self.name = name
        self.version = version
    }
}
