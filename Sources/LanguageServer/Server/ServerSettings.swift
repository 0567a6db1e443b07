import JSON
import WasmToCLIF

/// The server's settings, from `initializationOptions`, `workspace/didChangeConfiguration` and
/// the client's answers to `workspace/configuration`. Keys are documented in protocol/README.md;
/// unknown keys are ignored, a `null` or missing key keeps the current value.
public struct ServerSettings: Sendable, Equatable {
    /// How long after the last edit analysis starts.
    public var debounce: Duration = .milliseconds(150)
    /// How long a request waits for the analysis of the document version it needs.
    public var requestWait: Duration = .seconds(5)
    /// The translator settings, spelled as `clifford translate`'s `--target`, `-O`, `-W`, `-C`.
    public var target = "x86_64"
    public var optimize: [String] = []
    public var wasm: [String] = []
    public var codegen: [String] = []
    /// Which kinds of diagnostics are shown.
    public var diagnostics = DiagnosticFilter()
    /// `.clif` file or folder (URI or absolute path) → the WAT module it was translated from.
    public var clifSources: [String: String] = [:]

    public init() {}

    /// The tunables the translator settings give, parsed as the CLI parses its flags (settings
    /// that are not understood are left out).
    public var tunables: Tunables {
        Tunables.parse(target: target, optimize: optimize, wasm: wasm, codegen: codegen).tunables
    }

    /// Applies a settings object; a `{"clifford": {...}}` wrapper is accepted too. Returns what was
    /// wrong with it (values of the wrong type or out of range, flags not understood), each
    /// ignored.
    @discardableResult
    public mutating func apply(_ value: JSONValue?) -> [String] {
        guard var object = value?.objectValue else { return [] }
        if let nested = object["clifford"] {
            guard let nestedObject = nested.objectValue else { return [] }
            object = nestedObject
        }
        var problems: [String] = []
        func present(_ key: String) -> JSONValue? {
            guard let value = object[key], !value.isNull else { return nil }
            return value
        }
        if let value = present("debounceMs") {
            if let milliseconds = value.intValue, milliseconds >= 0, milliseconds <= 10_000 {
                debounce = .milliseconds(milliseconds)
            } else {
                problems.append("debounceMs must be an integer from 0 to 10000")
            }
        }
        if let value = present("target") {
            if let name = value.stringValue, Tunables.Target(rawValue: name) != nil {
                target = name
            } else {
                problems.append("unknown target \(value.stringValue ?? "\(value)"); keeping \(target)")
            }
        }
        func flags(_ key: String) -> [String]? {
            guard let value = present(key) else { return nil }
            guard let array = value.arrayValue, array.allSatisfy({ $0.stringValue != nil }) else {
                problems.append("\(key) must be an array of strings")
                return nil
            }
            return array.compactMap(\.stringValue)
        }
        let optimize = flags("optimize")
        let wasm = flags("wasm")
        let codegen = flags("codegen")
        if optimize != nil || wasm != nil || codegen != nil {
            let candidate = (optimize ?? self.optimize, wasm ?? self.wasm, codegen ?? self.codegen)
            problems += Tunables.parse(target: target, optimize: candidate.0, wasm: candidate.1, codegen: candidate.2)
                .rejected.map { $0 + " (ignored)" }
            (self.optimize, self.wasm, self.codegen) = candidate
        }
        if let value = present("clifSources") {
            if let object = value.objectValue, object.allSatisfy({ $0.value.stringValue != nil }) {
                clifSources = Dictionary(object.map { ($0.key, $0.value.stringValue!) }) { _, last in last }
            } else {
                problems.append("clifSources must be an object of strings")
            }
        }
        if let value = present("diagnostics") {
            if let kinds = value.objectValue {
                problems += diagnostics.apply(kinds)
            } else {
                problems.append("diagnostics must be an object of booleans")
            }
        }
        return problems
    }
}
