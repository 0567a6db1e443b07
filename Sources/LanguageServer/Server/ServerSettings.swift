import JSON

/// The server's settings, from `initializationOptions` and `workspace/didChangeConfiguration`.
/// Keys are documented in protocol/README.md; unknown keys are ignored, a `null` keeps the value.
public struct ServerSettings: Sendable, Equatable {
    /// How long after the last edit analysis starts.
    public var debounce: Duration = .milliseconds(150)
    /// How long a request waits for the analysis of the document version it needs.
    public var requestWait: Duration = .seconds(5)

    public init() {}

    /// Applies a settings object; a `{"clifford": {...}}` wrapper is accepted too.
    public mutating func apply(_ value: JSONValue?) {
        guard var object = value?.objectValue else { return }
        if let nested = object["clifford"]?.objectValue { object = nested }
        if let milliseconds = object["debounceMs"]?.intValue, milliseconds >= 0, milliseconds <= 10_000 {
            debounce = .milliseconds(milliseconds)
        }
    }
}
