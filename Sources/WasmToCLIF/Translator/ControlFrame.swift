import CLIF

/// One entry of the control stack while translating (Wasmtime's `ControlStackFrame`).
struct ControlFrame: Sendable {
    enum Kind: Sendable {
        case block
        case loop(header: Block)
        /// `branch` is the `brif` whose else edge goes to `placeholder` until an `else` is seen;
        /// `elseBlock` is set when the else block was allocated eagerly.
        case `if`(branch: Int32?, placeholder: Block?, elseBlock: Block?, headIsReachable: Bool,
                  consequentEndsReachable: Bool?, params: Int)
    }

    var kind: Kind
    var destination: Block
    var paramCount: Int
    var resultCount: Int
    var originalStackSize: Int
    /// For a `try_table`: how many handlers were in scope before it, and its catch blocks (sealed at its end).
    var catchScope: CatchScope?
    /// Whether a branch leaves through this frame's end (never set for loops, whose branches go to the header).
    private(set) var exitIsBranchedTo = false

    mutating func markBranchedTo() {
        if !isLoop { exitIsBranchedTo = true }
    }

    var isLoop: Bool { if case .loop = kind { true } else { false } }

    /// Where a branch to this frame goes: a loop's header, otherwise the code after the frame.
    var branchDestination: Block {
        if case .loop(let header) = kind { return header }
        return destination
    }

    /// How many values a branch to this frame carries.
    var branchArgumentCount: Int { isLoop ? paramCount : resultCount }
}

/// The catch handlers a `try_table` put in scope (Wasmtime's handler-state checkpoint).
struct CatchScope: Sendable {
    var outerHandlerCount: Int
    var catchBlocks: [Block]
}
