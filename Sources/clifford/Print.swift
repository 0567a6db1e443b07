import ArgumentParser
import Foundation
import Wasm

/// `clifford print FILE.wasm`: a binary module as WAT text on stdout.
struct Print: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print a binary module (.wasm) as WAT text.")

    @Argument(help: "The .wasm file to print.")
    var file: String

    func run() throws {
        guard let data = FileManager.default.contents(atPath: file) else {
            FileHandle.standardError.write(Data("error: cannot read \(file)\n".utf8))
            throw ExitCode.failure
        }
        let decoded: DecodedModule
        do {
            decoded = try Module.decode([UInt8](data))
        } catch {
            FileHandle.standardError.write(
                Data("\(file): error: \(error.message) at byte offset \(error.offset) (0x\(String(error.offset, radix: 16)))\n".utf8))
            throw ExitCode.failure
        }
        FileHandle.standardOutput.write(Data(decoded.module.printed().utf8))
    }
}
