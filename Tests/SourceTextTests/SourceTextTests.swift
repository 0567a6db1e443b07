// SourceTextTests
