/// The text `wasmtime compile --emit-clif` writes for a function: one comment line naming its
/// symbol, then the function as Cranelift prints it. `clifford translate` and the language
/// server's generated CLIF documents both use this, so the two never differ.
extension TranslatedFunction {
    /// The first line of the function's emitted text (without its line break).
    public var emittedCommentLine: String {
        ";; Intermediate Representation of function <\(symbol)>:"
    }
}
