/// Names the virtual document holding the CLIF generated for a WAT document:
/// `clifford-clif:<WAT URI>`, with `#module=N` for the N-th module of a `.wast` script (N > 0).
public enum GeneratedCLIFDocument {
    public static let scheme = "clifford-clif"

    public static func uri(forSource source: String, module: Int = 0) -> String {
        scheme + ":" + source + (module == 0 ? "" : "#module=\(module)")
    }

    /// The WAT URI and module index a generated URI stands for, or nil for any other URI.
    public static func source(of uri: String) -> (uri: String, module: Int)? {
        guard uri.hasPrefix(scheme + ":") else { return nil }
        var rest = String(uri.dropFirst(scheme.count + 1))
        var module = 0
        if let hash = rest.firstRange(of: "#module=") {
            module = Int(rest[hash.upperBound...]) ?? 0
            rest = String(rest[..<hash.lowerBound])
        }
        return (rest, module)
    }
}
