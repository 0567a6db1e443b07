import JSON

/// One JSON-RPC 2.0 message received from the client.
public enum IncomingMessage: Sendable, Equatable {
    case request(id: RequestID, method: String, params: JSONValue?)
    case notification(method: String, params: JSONValue?)
    /// An answer to a request the server sent.
    case response(id: RequestID?, result: JSONValue?, error: JSONValue?)

    /// Classifies a parsed JSON value. Errors carry the id to answer with, when one could be read.
    public static func classify(_ json: JSONValue) -> Result<IncomingMessage, InvalidMessage> {
        guard case .object(let object) = json else {
            return .failure(InvalidMessage(id: nil, error: .invalidRequest("a message must be a JSON object")))
        }
        let rawID = object["id"]
        let id = rawID.flatMap(RequestID.init(json:))
        if let rawID, id == nil, !rawID.isNull {
            return .failure(InvalidMessage(id: nil, error: .invalidRequest("id must be an integer or a string")))
        }
        guard object["jsonrpc"]?.stringValue == "2.0" else {
            return .failure(InvalidMessage(id: id, error: .invalidRequest("jsonrpc must be \"2.0\"")))
        }
        // Some clients send `"params": null` for shutdown and exit; treat it as absent.
        let params = object["params"]?.isNull == true ? nil : object["params"]
        if let params, params.arrayValue == nil, params.objectValue == nil {
            return .failure(InvalidMessage(id: id, error: .invalidRequest("params must be an object or an array")))
        }
        guard let methodValue = object["method"] else {
            if object["result"] != nil || object["error"] != nil {
                return .success(.response(id: id, result: object["result"], error: object["error"]))
            }
            return .failure(InvalidMessage(id: id, error: .invalidRequest("message has neither method nor result")))
        }
        guard let method = methodValue.stringValue else {
            return .failure(InvalidMessage(id: id, error: .invalidRequest("method must be a string")))
        }
        if let id { return .success(.request(id: id, method: method, params: params)) }
        if rawID != nil {
            return .failure(InvalidMessage(id: nil, error: .invalidRequest("request id must not be null")))
        }
        return .success(.notification(method: method, params: params))
    }
}

/// A message that is JSON but not a valid JSON-RPC message, with the id to answer, if any.
public struct InvalidMessage: Error, Sendable, Equatable {
    public var id: RequestID?
    public var error: ResponseError
}

/// Builders for the messages the server sends.
public enum OutgoingMessage {
    public static func response(id: RequestID, result: JSONValue) -> JSONValue {
        ["jsonrpc": "2.0", "id": id.json, "result": result]
    }

    public static func error(id: RequestID?, _ error: ResponseError) -> JSONValue {
        ["jsonrpc": "2.0", "id": id?.json ?? .null, "error": error.json]
    }

    public static func notification(method: String, params: JSONValue) -> JSONValue {
        ["jsonrpc": "2.0", "method": .string(method), "params": params]
    }

    /// A request of the server's to the client; `params` is left out when nil.
    public static func request(id: RequestID, method: String, params: JSONValue?) -> JSONValue {
        var object: JSONObject = ["jsonrpc": "2.0", "id": id.json, "method": .string(method)]
        if let params { object["params"] = params }
        return .object(object)
    }
}
