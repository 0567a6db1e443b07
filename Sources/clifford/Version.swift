/// The version clifford reports (`--version`, `serverInfo`).
enum CliffordVersion {
    static let string = "0.1.0"
}
