/// The language services the real server runs, one per language.
public enum LanguageServices {
    public static var standard: [DocumentLanguage: any LanguageService] {
        [.clif: CLIFService(), .wat: WATService(), .wast: WATService()]
    }
}
