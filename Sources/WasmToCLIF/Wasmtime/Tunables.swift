/// The settings of Wasmtime that change the CLIF it generates: memory layout tunables, Wasm
/// features that add code (fuel, epochs), Cranelift flags, and the target. The defaults are
/// Wasmtime 49's for x86_64; `apply(flag:)` understands the `-O`, `-W`, `-C` spellings of its CLI.
public struct Tunables: Sendable, Hashable {
    /// The compilation target.
    public enum Target: String, Sendable, Hashable, CaseIterable {
        case x86_64, aarch64, riscv64, s390x
    }

    public var target: Target = .x86_64
    public var memoryReservation: UInt64 = 1 << 32
    public var memoryGuardSize: UInt64 = 32 << 20
    public var memoryReservationForGrowth: UInt64 = 2 << 30
    public var memoryMayMove = true
    public var signalsBasedTraps = true
    public var heapAccessSpectreMitigation = true
    public var tableLazyInit = true
    /// `-O memory-init-cow`: active data segments become one memory image when they can.
    public var memoryInitCOW = true
    public var consumeFuel = false
    public var epochInterruption = false
    /// Whether the x86_64 target has SSE 4.1 (rounding instructions inline).
    public var hasSSE41 = true
    public var pageSizeLog2: UInt8 = 12

    public init() {}

    /// Applies one `-O key=value`, `-W key=value` or `-C key=value` setting (the value part of the
    /// flag, e.g. `memory-reservation=0`). Returns false for a setting that is not understood.
    @discardableResult
    public mutating func apply(option: Character, _ setting: String) -> Bool {
        let parts = setting.split(separator: "=", maxSplits: 1).map(String.init)
        let key = parts[0]
        let value = parts.count > 1 ? parts[1] : nil
        func bool() -> Bool { value.map { ["y", "yes", "true", "1"].contains($0) } ?? true }
        func number() -> UInt64? {
            guard let value else { return nil }
            let text = String(value.filter { $0 != "_" })
            if text.hasPrefix("0x") { return UInt64(text.dropFirst(2), radix: 16) }
            return UInt64(text)
        }
        switch (option, key) {
        case ("O", "memory-reservation"), ("O", "static-memory-maximum-size"):
            guard let n = number() else { return false }
            memoryReservation = n
        case ("O", "memory-guard-size"), ("O", "static-memory-guard-size"), ("O", "dynamic-memory-guard-size"):
            guard let n = number() else { return false }
            memoryGuardSize = n
        case ("O", "memory-reservation-for-growth"):
            guard let n = number() else { return false }
            memoryReservationForGrowth = n
        case ("O", "memory-may-move"): memoryMayMove = bool()
        case ("O", "static-memory-forced"): memoryMayMove = !bool()
        case ("O", "signals-based-traps"): signalsBasedTraps = bool()
        case ("O", "table-lazy-init"): tableLazyInit = bool()
        case ("O", "memory-init-cow"): memoryInitCOW = bool()
        case ("O", "opt-level"): break
        case ("W", "fuel"): consumeFuel = true
        case ("W", "epoch-interruption"): epochInterruption = bool()
        case ("W", _): break
        case ("C", "cranelift-enable-heap-access-spectre-mitigation"): heapAccessSpectreMitigation = bool()
        case ("C", "cranelift-has-sse41"), ("C", "cranelift-has_sse41"): hasSSE41 = bool()
        default: return false
        }
        return true
    }

    /// Applies command-line words such as `-O`, `memory-reservation=0`, `-Wmemory64`.
    /// Returns the words that were not understood.
    public mutating func apply(flags words: [String]) -> [String] {
        var unknown: [String] = []
        var index = 0
        while index < words.count {
            let word = words[index]
            index += 1
            guard word.hasPrefix("-"), word.count >= 2 else { unknown.append(word); continue }
            let option = word[word.index(after: word.startIndex)]
            var setting = String(word.dropFirst(2))
            if setting.isEmpty {
                guard index < words.count else { unknown.append(word); continue }
                setting = words[index]
                index += 1
            }
            if !apply(option: option, setting) { unknown.append(word + (word.count == 2 ? " " + setting : "")) }
        }
        return unknown
    }
}
