/// Why the translation of one instruction stopped.
public enum TranslationFailure: Error, Sendable, Hashable {
    /// The operator has no translation yet.
    case notTranslated(String)
    /// The body is not valid Wasm in a way the translator noticed (stack underflow, bad index).
    case invalid(String)

    public var message: String {
        switch self {
        case .notTranslated(let what): "not translated yet: \(what)"
        case .invalid(let why): "cannot translate: \(why)"
        }
    }
}
