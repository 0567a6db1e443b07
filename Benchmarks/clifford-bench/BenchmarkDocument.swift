import Foundation
import Wasm

/// The large WAT document the language-server suites measure, and the `clifford` binary they start.
enum BenchmarkDocument {
    /// The `clifford` executable built beside this benchmark.
    static var siblingBinary: String {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("clifford").path
    }

    /// The bytes of `path`, or without one `realworld/c-graphviz.wasm` of the corpus printed as
    /// WAT (what `clifford print` writes). Nil, after saying why under `suite`'s name, when the
    /// file cannot be read.
    static func wat(suite: String, path: String?) throws -> [UInt8]? {
        if let path {
            guard let contents = FileManager.default.contents(atPath: path) else {
                print("\(suite): cannot read \(path)")
                return nil
            }
            return [UInt8](contents)
        }
        let corpus = ProcessInfo.processInfo.environment["CLIFFORD_CORPUS"] ?? "../shared/corpus"
        guard let module = FileManager.default.contents(atPath: corpus + "/realworld/c-graphviz.wasm") else {
            print("\(suite): no \(corpus)/realworld/c-graphviz.wasm (give a .wat file or set CLIFFORD_CORPUS)")
            return nil
        }
        return Array(try Module.decode([UInt8](module)).module.printed().utf8)
    }
}
