import Testing
import JSON
@testable import LanguageServer

@Suite struct MessageClassificationTests {
    func classify(_ text: String) throws -> Result<IncomingMessage, InvalidMessage> {
        IncomingMessage.classify(try JSONValue.parse(text))
    }

    @Test func requestsWithIntegerAndStringIds() throws {
        #expect(try classify(#"{"jsonrpc":"2.0","id":7,"method":"m"}"#).get() == .request(id: .int(7), method: "m", params: nil))
        #expect(try classify(#"{"jsonrpc":"2.0","id":"α","method":"m","params":{}}"#).get()
            == .request(id: .string("α"), method: "m", params: .object(JSONObject())))
    }

    @Test func notification() throws {
        #expect(try classify(#"{"jsonrpc":"2.0","method":"exit"}"#).get() == .notification(method: "exit", params: nil))
    }

    @Test(arguments: [
        (#"[1,2]"#, nil as RequestID?),
        (#"{"jsonrpc":"2.0","id":1.5,"method":"m"}"#, nil),
        (#"{"jsonrpc":"2.0","id":{},"method":"m"}"#, nil),
        (#"{"id":3,"method":"m"}"#, .int(3)),
        (#"{"jsonrpc":"1.0","id":3,"method":"m"}"#, .int(3)),
        (#"{"jsonrpc":"2.0","id":4,"method":5}"#, .int(4)),
        (#"{"jsonrpc":"2.0","id":5}"#, .int(5)),
        (#"{"jsonrpc":"2.0","id":6,"method":"m","params":3}"#, .int(6)),
        (#"{"jsonrpc":"2.0","id":null,"method":"m"}"#, nil),
    ])
    func invalidRequests(text: String, id: RequestID?) throws {
        switch try classify(text) {
        case .success(let message):
            Issue.record("accepted \(text) as \(message)")
        case .failure(let invalid):
            #expect(invalid.error.code == ResponseError.invalidRequestCode)
            #expect(invalid.id == id)
        }
    }
}
