/// What the client said it supports in `initialize`, as far as the server's behaviour depends on it.
struct ClientSupport: Sendable, Equatable {
    /// `textDocument.diagnostic`: the client pulls diagnostics instead of being sent them.
    var pullsDiagnostics = false
    /// `workspace.diagnostics.refreshSupport`: it accepts `workspace/diagnostic/refresh`.
    var diagnosticRefresh = false
    /// `workspace.configuration`: it answers `workspace/configuration`.
    var configuration = false
    /// `workspace.textDocumentContent` (LSP 3.18): it accepts `workspace/textDocumentContent/refresh`.
    var textDocumentContent = false
    /// `experimental.cliffordGeneratedClifChanged`: it wants `clifford/didChangeGeneratedClif`.
    var generatedClifNotifications = false

    init() {}

    init(_ capabilities: ParamsReader) {
        pullsDiagnostics = capabilities["textDocument"]["diagnostic"].isPresent
        diagnosticRefresh = capabilities["workspace"]["diagnostics"]["refreshSupport"].value?.boolValue == true
        configuration = capabilities["workspace"]["configuration"].value?.boolValue == true
        textDocumentContent = capabilities["workspace"]["textDocumentContent"].isPresent
        generatedClifNotifications = capabilities["experimental"]["cliffordGeneratedClifChanged"].value?.boolValue == true
    }

    /// Whether the client hears about changed generated CLIF at all.
    var followsGeneratedClif: Bool { textDocumentContent || generatedClifNotifications }
}
