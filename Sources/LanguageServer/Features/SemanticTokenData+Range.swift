/// `semanticTokens/range`: the tokens of one stretch, decoded from the checkpoint before it.
extension SemanticTokenData {
    typealias Place = (line: Int, character: Int)

    /// The integers of the tokens that end after `start` and start before `end` (absolute
    /// positions in the data's encoding), every piece of each, the first piece's deltas made
    /// absolute as a range answer needs. A token ends where its last piece ends.
    func integers(endingAfter start: Place, startingBefore end: Place) -> [UInt32] {
        var result: [UInt32] = []
        guard count > 0 else { return result }
        // The last checkpoint at or before `start`: every token before it ends before it.
        var low = 0
        var high = checkpoints.count
        while low < high {
            let middle = (low + high) / 2
            let checkpoint = checkpoints[middle]
            if (Int(checkpoint.line), Int(checkpoint.character)) <= start { low = middle + 1 } else { high = middle }
        }
        let from = checkpoints[max(0, low - 1)]
        var token: [UInt32] = []
        var tokenStart: Place = (0, 0)
        var tokenEnd: Place = (0, 0)
        /// Sends the token read so far if it meets the range; false once tokens start past it.
        func finish() -> Bool {
            guard !token.isEmpty else { return true }
            if tokenEnd <= start { return true }
            if tokenStart >= end { return false }
            if result.isEmpty {
                token[0] = UInt32(tokenStart.line)
                token[1] = UInt32(tokenStart.character)
            }
            result += token
            return true
        }
        bytes.withUnsafeBufferPointer { bytes in
            var offset = Int(from.offset)
            var piece = Int(from.piece)
            var place: Place = (Int(from.line), Int(from.character))
            while offset < bytes.count {
                let lineDelta = Self.decode(bytes, &offset)
                let startDelta = Self.decode(bytes, &offset)
                let length = Self.decode(bytes, &offset)
                let type = Self.decode(bytes, &offset)
                let modifiers = Self.decode(bytes, &offset)
                if piece != Int(from.piece) {
                    place = lineDelta == 0 ? (place.line, place.character + Int(startDelta)) : (place.line + Int(lineDelta), Int(startDelta))
                }
                if !continuesToken(piece) {
                    guard finish() else { return }
                    token.removeAll(keepingCapacity: true)
                    tokenStart = place
                }
                token += [lineDelta, startDelta, length, type, modifiers]
                tokenEnd = (place.line, place.character + Int(length))
                piece += 1
            }
            _ = finish()
        }
        return result
    }
}
