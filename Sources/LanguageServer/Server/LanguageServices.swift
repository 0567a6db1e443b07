import WasmToCLIF

/// The language services the real server runs, one per language.
public enum LanguageServices {
    public static var standard: [DocumentLanguage: any LanguageService] { standard(tunables: Tunables()) }

    /// The services, translating WAT with `tunables`.
    public static func standard(tunables: Tunables) -> [DocumentLanguage: any LanguageService] {
        [.clif: CLIFService(), .wat: WATService(tunables: tunables), .wast: WATService(tunables: tunables)]
    }
}
