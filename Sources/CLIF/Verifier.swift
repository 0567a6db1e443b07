import SourceText

/// A verifier error: the diagnostic and the entity Cranelift would report it on.
public struct VerifierError: Sendable {
    public var location: EntityLocation
    public var diagnostic: Diagnostic
}

/// Checks a function the way Cranelift's `verifier/mod.rs` does: references, SSA dominance,
/// types against the opcode table, branch and call arguments, terminators, memflags.
public enum Verifier {
    public static func verify(_ function: Function) -> [VerifierError] {
        var checker = VerifierPass(function: function)
        checker.run()
        return checker.errors
    }
}
