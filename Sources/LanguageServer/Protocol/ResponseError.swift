import JSON

/// A JSON-RPC error answer, with the codes the LSP specification defines.
public struct ResponseError: Error, Sendable, Hashable {
    public var code: Int
    public var message: String

    public init(code: Int, message: String) {
        self.code = code
        self.message = message
    }

    public static let parseErrorCode = -32700
    public static let invalidRequestCode = -32600
    public static let methodNotFoundCode = -32601
    public static let invalidParamsCode = -32602
    public static let internalErrorCode = -32603
    public static let serverNotInitializedCode = -32002
    public static let requestFailedCode = -32803
    public static let requestCancelledCode = -32800
    public static let contentModifiedCode = -32801

    public static func parseError(_ message: String) -> ResponseError { .init(code: parseErrorCode, message: message) }
    public static func invalidRequest(_ message: String) -> ResponseError { .init(code: invalidRequestCode, message: message) }
    public static func methodNotFound(_ method: String) -> ResponseError {
        .init(code: methodNotFoundCode, message: "method not found: \(method)")
    }
    public static func invalidParams(_ message: String) -> ResponseError { .init(code: invalidParamsCode, message: message) }
    public static func internalError(_ message: String) -> ResponseError { .init(code: internalErrorCode, message: message) }
    public static let serverNotInitialized = ResponseError(code: serverNotInitializedCode, message: "server not initialized")
    public static let cancelled = ResponseError(code: requestCancelledCode, message: "request cancelled")

    public var json: JSONValue {
        ["code": .int(Int64(code)), "message": .string(message)]
    }
}
