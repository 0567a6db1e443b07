import TestSupport

/// A binary written as hex pairs with position markers between them: the bytes, and the byte offset
/// each marker stands at. `"00 61 1️⃣73"` is three bytes with 1️⃣ at offset 2.
struct MarkedBinary {
    let bytes: [UInt8]
    let markers: [String: Int]

    init(_ marked: String) {
        let source = MarkedSource(marked)
        let text = Array(source.text.utf8)
        var bytes: [UInt8] = []
        var byteOffsetAtText: [Int: Int] = [:]
        var index = 0
        while index <= text.count {
            byteOffsetAtText[index] = bytes.count
            guard index < text.count else { break }
            if let high = Self.hexValue(text[index]), index + 1 < text.count, let low = Self.hexValue(text[index + 1]) {
                for skip in 1...2 { byteOffsetAtText[index + skip] = bytes.count + 1 }
                bytes.append(high << 4 | low)
                index += 2
            } else {
                index += 1
            }
        }
        self.bytes = bytes
        self.markers = source.markers.mapValues { byteOffsetAtText[$0] ?? bytes.count }
    }

    subscript(marker: String) -> Int { markers[marker]! }

    static func hexValue(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
        default: nil
        }
    }
}
