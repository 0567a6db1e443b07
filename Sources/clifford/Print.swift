import ArgumentParser
import Wasm

/// `clifford print FILE.wasm`: a binary module as WAT text on stdout.
struct Print: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print a binary module (.wasm) as WAT text.")

    @Argument(help: "The .wasm file to print.")
    var file: String

    func run() throws {
        guard let data = FileIO.read(file) else {
            FileIO.printError("error: cannot read \(file)")
            throw ExitCode.failure
        }
        let decoded: DecodedModule
        do {
            decoded = try Module.decode(data)
        } catch {
            FileIO.printError("\(file): error: \(error.message) at byte offset \(error.offset) (0x\(String(error.offset, radix: 16)))")
            throw ExitCode.failure
        }
        FileIO.writeAll(Array(decoded.module.printed().utf8), descriptor: 1)
    }
}
