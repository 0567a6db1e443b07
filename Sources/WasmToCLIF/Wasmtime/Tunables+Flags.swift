/// The settings of `clifford translate` as one parser, shared by the CLI's `--target`/`-O`/`-W`/`-C`
/// options and the language server's `target`/`optimize`/`wasm`/`codegen` settings.
extension Tunables {
    /// Tunables for `target` with every `-O`, `-W` and `-C` setting applied in that order. Settings
    /// that are not understood are skipped and named in `rejected` (`unknown setting -O foo=1`,
    /// `unknown target mips`); an unknown target leaves the default one.
    public static func parse(target: String, optimize: [String] = [], wasm: [String] = [], codegen: [String] = [])
        -> (tunables: Tunables, rejected: [String])
    {
        var tunables = Tunables()
        var rejected: [String] = []
        for (option, settings) in [("O", optimize), ("W", wasm), ("C", codegen)] {
            for setting in settings where !tunables.apply(option: Character(option), setting) {
                rejected.append("unknown setting -\(option) \(setting)")
            }
        }
        if let known = Target(rawValue: target) {
            tunables.target = known
        } else {
            rejected.append("unknown target \(target)")
        }
        return (tunables, rejected)
    }
}
