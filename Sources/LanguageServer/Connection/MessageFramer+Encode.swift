extension MessageFramer {
    /// A message body with its `Content-Length` header, ready to write.
    public static func frame(_ body: [UInt8]) -> [UInt8] {
        var framed = Array("Content-Length: \(body.count)\r\n\r\n".utf8)
        framed.append(contentsOf: body)
        return framed
    }
}
