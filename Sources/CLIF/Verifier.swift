import SourceText

/// A verifier error: the diagnostic and the entity Cranelift would report it on.
public struct VerifierError: Sendable {
    public var location: EntityLocation
    public var diagnostic: Diagnostic
}

/// What the verifier knows of the target: Cranelift verifies with the ISA when a file names one.
public struct VerifierContext: Sendable {
    /// The pointer type of the target ISA; nil when there is none (checks needing it are skipped).
    public var pointerType: CLIFType?
    public var enablePinnedReg: Bool
    public var preserveFramePointers: Bool

    public init(pointerType: CLIFType? = nil, enablePinnedReg: Bool = false, preserveFramePointers: Bool = false) {
        self.pointerType = pointerType
        self.enablePinnedReg = enablePinnedReg
        self.preserveFramePointers = preserveFramePointers
    }

    /// What Wasmtime verifies its output with: x86_64 and frame pointers preserved.
    public static let wasmtime = VerifierContext(pointerType: .i64, enablePinnedReg: false, preserveFramePointers: true)

    /// The context of one `target` line and the file's `set` lines; no ISA for an unknown target.
    public init(target: HeaderLine?, settings: [HeaderLine]) {
        self.init()
        if let target {
            let words = target.text.split(separator: " ")
            if words.count > 1 {
                let architecture = words[1].split(separator: "-").first.map(String.init) ?? ""
                if Parser.knownArchitectures.contains(architecture) {
                    pointerType = architecture.hasPrefix("pulley32") ? .i32 : .i64
                }
            }
        }
        for line in settings {
            for word in line.text.split(separator: " ").dropFirst() {
                let parts = word.split(separator: "=", maxSplits: 1)
                let enabled = parts.count == 1 || parts[1] == "true" || parts[1] == "1"
                if parts.first == "enable_pinned_reg" { enablePinnedReg = enabled }
                if parts.first == "preserve_frame_pointers" { preserveFramePointers = enabled }
            }
        }
    }

    /// The context for checking a whole file: its target when it names exactly one (as
    /// Cranelift's filetest runner does for tests without an ISA), Wasmtime's for files with no
    /// headers at all (`wasmtime compile --emit-clif` output), otherwise no ISA.
    public init(file: CLIFFile) {
        if file.targets.count == 1 {
            self.init(target: file.targets[0], settings: file.settings)
        } else if file.targets.isEmpty && file.testCommands.isEmpty && file.settings.isEmpty {
            self = .wasmtime
        } else {
            self.init(target: nil, settings: file.settings)
        }
    }
}

/// Checks a function the way Cranelift's `verifier/mod.rs` does: references, SSA dominance,
/// types against the opcode table, branch and call arguments, terminators, memflags.
public enum Verifier {
    public static func verify(_ function: Function, context: VerifierContext = VerifierContext()) -> [VerifierError] {
        var pass = VerifierPass(function: function, context: context)
        pass.run()
        return pass.errors
    }
}
