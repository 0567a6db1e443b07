extension LanguageServer {
    /// Every request method the server answers (besides `initialize` and `shutdown`), for tests
    /// that must cover them all, such as cancellation.
    public static var queryMethods: [String] { builtinQueries.keys.sorted() }
}
