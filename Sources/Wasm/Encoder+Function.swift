extension Module {
    /// One defined function's body encoded on its own, as the module encoder writes it (size first,
    /// at offset 0), with the module and the offsets of the body, its local groups and its
    /// instructions: enough to translate that function again without encoding the whole module.
    public func encodedBody(ofFunction index: Int) -> (decoded: DecodedModule, bytes: [UInt8])? {
        guard functions.indices.contains(index) else { return nil }
        var encoder = ModuleEncoder(module: self)
        encoder.body(index)
        var map = OffsetMap()
        for (item, offset) in encoder.pending { map.record(item, at: offset) }
        if index < encoder.bodyOffsets.count { map.setInstructionOffsets(function: index, encoder.bodyOffsets[index]) }
        return (DecodedModule(module: self, offsets: map), encoder.out.bytes)
    }
}
