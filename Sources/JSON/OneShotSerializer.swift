import CJSONC

/// A json-c object's own serializer that writes its text once, straight into the output buffer
/// of the message being written, and then lets go of what it captured (so that a message waiting
/// for the pipe does not keep its source alive).
enum OneShotSerializer {
    /// The writer: appends the object's text to the buffer (given json-c's serialization flags);
    /// false when it could not.
    typealias Write = (UnsafeMutablePointer<printbuf>, _ flags: Int32) -> Bool

    /// Makes `write` the serializer of `object`; json-c frees it with the object.
    static func attach(_ write: @escaping Write, to object: OpaquePointer) {
        let box = Unmanaged.passRetained(Box(write)).toOpaque()
        json_object_set_serializer(object, { object, buffer, _, flags in
            guard let object, let buffer, let userdata = json_object_get_userdata(object) else { return -1 }
            let box = Unmanaged<Box>.fromOpaque(userdata).takeUnretainedValue()
            guard let write = box.write else { return -1 }
            box.write = nil
            return write(buffer, flags) ? 0 : -1
        }, box, { _, box in
            if let box { Unmanaged<Box>.fromOpaque(box).release() }
        })
    }

    /// What the serializer reads through json-c's userdata pointer, until it has run.
    private final class Box {
        var write: Write?
        init(_ write: @escaping Write) { self.write = write }
    }
}
