/// One runtime-specific choice the environment made while translating a Wasm instruction, kept
/// beside the CLIF so tools can say why that code is there ("no bounds check: …"). `offset` is the
/// Wasm instruction's byte offset, the `@offset` of its CLIF. Environments record decisions with
/// `FunctionBuilder.note(_:)`; the translator hands them on in `TranslatedFunction.decisions`.
public struct RuntimeDecision: Sendable, Hashable {
    /// Which rung of Wasmtime's bounds-check ladder (`bounds_check_field_access`) guards an access.
    public enum BoundsCheck: Sendable, Hashable {
        /// The access ends beyond the largest size the memory can ever have: an unconditional trap.
        case alwaysTraps
        /// The reservation plus the guard region cover every 32-bit index and the access: no check.
        case coveredByReservationAndGuard(reservation: UInt64, guardSize: UInt64)
        /// A constant index whose access ends within the memory's minimum size: no check.
        case constantIndexInBounds
        /// The memory never moves and fits its reservation: one compare against a constant bound.
        case againstReservation(bound: UInt64)
        /// A one-byte access: `index >= length`.
        case againstLengthOneByte
        /// The access's end lies in the guard region: `index > length`.
        case againstLengthGuardCoversAccess
        /// `index > length - (offset + size)`, the access ending within the minimum size.
        case againstLengthMinusAccess
        /// `index + (offset + size)` with an overflow trap, then compared to the length.
        case overflowCheckedAdd
    }

    /// What was decided.
    public enum Kind: Sendable, Hashable {
        /// A linear-memory access and its bounds check; `spectreGuard`: out-of-bounds addresses
        /// are replaced by null through `select_spectre_guard` instead of a conditional trap.
        case memoryAccess(memory: UInt32, check: BoundsCheck, spectreGuard: Bool)
        /// A table element access: a bounds check (a Spectre guard or a conditional trap), and
        /// whether null `funcref` entries are initialised lazily through a runtime call.
        case tableAccess(table: UInt32, spectreGuard: Bool, lazyInit: Bool)
        /// An indirect call compares the callee's type id with the expected one.
        case signatureCheck(type: UInt32)
    }

    public var offset: Int
    public var kind: Kind

    public init(offset: Int, kind: Kind) {
        self.offset = offset
        self.kind = kind
    }

    /// One line on why the runtime-specific code is there.
    public var explanation: String {
        switch kind {
        case .memoryAccess(let memory, let check, let spectreGuard):
            let guardText = spectreGuard ? "out-of-bounds addresses become null through `select_spectre_guard`"
                : "out of bounds traps (`trapnz`)"
            switch check {
            case .alwaysTraps:
                return "Memory \(memory): the access ends beyond any size the memory can have, so it always traps."
            case .coveredByReservationAndGuard(let reservation, let guardSize):
                return "Memory \(memory): no bounds check: the \(Self.size(reservation)) reservation plus the "
                    + "\(Self.size(guardSize)) guard region cover every 32-bit index."
            case .constantIndexInBounds:
                return "Memory \(memory): no bounds check: the constant index stays within the minimum size."
            case .againstReservation(let bound):
                return "Memory \(memory): bounds check against the constant \(String(bound, radix: 16).prefixed) "
                    + "(the memory never moves and fits its reservation); \(guardText)."
            case .againstLengthOneByte:
                return "Memory \(memory): bounds check `index >= length` (one-byte access); \(guardText)."
            case .againstLengthGuardCoversAccess:
                return "Memory \(memory): bounds check `index > length` (the guard region covers the access); \(guardText)."
            case .againstLengthMinusAccess:
                return "Memory \(memory): bounds check `index > length - (offset + size)`; \(guardText)."
            case .overflowCheckedAdd:
                return "Memory \(memory): bounds check with an overflow-trapping `index + offset + size`; \(guardText)."
            }
        case .tableAccess(let table, let spectreGuard, let lazyInit):
            return "Table \(table): bounds check (\(spectreGuard ? "`select_spectre_guard`" : "`trapnz`"))"
                + (lazyInit ? " + lazy init: a null entry is initialised through the runtime on first use." : ".")
        case .signatureCheck(let type):
            return "Indirect call: the callee's type id is compared with type \(type)'s (trap on mismatch)."
        }
    }

    static func size(_ bytes: UInt64) -> String {
        for (unit, shift) in [("GiB", UInt64(30)), ("MiB", 20), ("KiB", 10)] where bytes >= 1 << shift && bytes % (1 << shift) == 0 {
            return "\(bytes >> shift) \(unit)"
        }
        return "\(bytes)-byte"
    }
}

extension String {
    fileprivate var prefixed: String { "0x" + self }
}

extension FunctionBuilder {
    /// Records a decision for the Wasm instruction being translated.
    mutating func note(_ kind: RuntimeDecision.Kind) {
        guard let sourceLocation else { return }
        decisions.append(RuntimeDecision(offset: Int(sourceLocation), kind: kind))
    }
}
