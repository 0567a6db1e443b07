// LanguageServerTests
