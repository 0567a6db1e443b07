import SourceText
import Wasm
import WasmToCLIF

/// The CLIF clifford generates for one WAT module: a header line, then every translated function
/// in order exactly as `clifford translate` prints it. The whole text is not kept (for a large
/// module it is several times the WAT): only each function's place in the document and in the
/// binary, and the text of the largest functions in compact form within a budget. Any other function's text is
/// printed again when a feature reads it (`printed(_:)`), the whole text only when a client asks
/// for the document (`text()`).
public struct GeneratedCLIF: Sendable {
    /// One function of the document.
    public struct FunctionEntry: Sendable {
        public var definedIndex: Int
        /// The index in the module's function index space (imports first).
        public var functionIndex: Int
        /// The document line of its `;; Intermediate Representation …` comment.
        public var firstLine: Int
        /// Its lines: the comment line, the function and a blank line.
        public var lineCount: Int
        /// Its text's length in bytes when it was printed (a hint: a body that moved in the binary
        /// may print its `@offset` columns wider).
        var byteCount: Int
        /// Its body in the module binary, size field included: every source location of its CLIF
        /// is inside.
        var body: Range<Int>
        /// Its printed text in compact form when the analysis kept it (large functions, within a
        /// budget), printed for a body `keptShift` bytes before this one.
        var kept: CompactTranslation?
        var keptShift: Int
    }

    public let header: String
    public let functions: [FunctionEntry]
    /// Equal for two documents only if their texts are equal (up to hash collisions).
    public let fingerprint: Int
    let printer: FunctionPrinter

    init(header: String, functions: [FunctionEntry], fingerprint: Int, printer: FunctionPrinter) {
        self.header = header
        self.functions = functions
        self.fingerprint = fingerprint
        self.printer = printer
    }

    /// The document's line count, the empty line after its final line break included.
    public var lineCount: Int {
        functions.last.map { $0.firstLine + $0.lineCount + 1 } ?? 2
    }

    /// The function whose instructions came from Wasm offset `offset`: bodies follow each other
    /// in the binary in function order.
    public func function(forSourceLocation offset: Int) -> FunctionEntry? {
        var low = 0
        var high = functions.count - 1
        while low <= high {
            let middle = (low + high) / 2
            let body = functions[middle].body
            if offset < body.lowerBound { high = middle - 1 } else if offset >= body.upperBound { low = middle + 1 } else {
                return functions[middle]
            }
        }
        return nil
    }

    /// The function with defined index `definedIndex`, if it has CLIF.
    public func function(definedIndex: Int) -> FunctionEntry? {
        var low = 0
        var high = functions.count - 1
        while low <= high {
            let middle = (low + high) / 2
            if functions[middle].definedIndex < definedIndex { low = middle + 1 } else if functions[middle].definedIndex > definedIndex {
                high = middle - 1
            } else {
                return functions[middle]
            }
        }
        return nil
    }

    /// The function whose text holds document line `line`.
    public func function(atLine line: Int) -> FunctionEntry? {
        var low = 0
        var high = functions.count - 1
        while low <= high {
            let middle = (low + high) / 2
            let function = functions[middle]
            if line < function.firstLine { high = middle - 1 } else if line >= function.firstLine + function.lineCount {
                low = middle + 1
            } else {
                return function
            }
        }
        return nil
    }

    /// How many functions keep their printed text, and roughly the bytes its compact form holds.
    public var keptText: (functions: Int, bytes: Int) {
        functions.reduce((0, 0)) { sum, function in
            guard let kept = function.kept else { return sum }
            return (sum.0 + 1, sum.1 + kept.keptBytes)
        }
    }

    /// How many functions keep their printed text, its length and its compact form's size.
    public var keptTextSizes: (functions: Int, textBytes: Int, compactBytes: Int) {
        functions.reduce((0, 0, 0)) { sum, function in
            guard let kept = function.kept else { return sum }
            return (sum.0 + 1, sum.1 + kept.byteCount, sum.2 + kept.keptBytes)
        }
    }

    /// The function's text: expanded from its kept form, or translated and printed again (recent
    /// ones are remembered).
    func printed(_ function: FunctionEntry) -> PrintedTranslation? {
        printer.printed(function)
    }

    /// What a request about the Wasm instruction at `offset` reads of the function: all of it,
    /// or for a large kept function only the part that holds the instruction's lines (with the
    /// preamble); its lines, declarations and decisions for `offset` are the whole function's.
    func printed(_ function: FunctionEntry, around offset: Int) -> PrintedTranslation? {
        printer.printed(function, around: offset)
    }

    /// The whole document's text, printed function by function; not kept.
    public func text() -> [UInt8] {
        var bytes = Array(header.utf8)
        bytes.append(0x0A)
        bytes.reserveCapacity(bytes.count + functions.reduce(0) { $0 + $1.byteCount } + 4096)
        for function in functions {
            bytes += printer.text(of: function)
        }
        return bytes
    }
}

extension GeneratedCLIF {
    /// The document of the functions translated from `decoded` (in function order), laid out one
    /// after the other below the header.
    init(_ translated: [(index: Int, entry: TranslationCache.Entry)], decoded: DecodedModule, bytes: [UInt8],
         environment: WasmtimeEnvironment) {
        let header = "; CLIF generated by clifford (Wasmtime 49, \(environment.tunables.target.rawValue)) before optimisation"
        let imported = decoded.module.importCount(of: .function)
        var functions: [FunctionEntry] = []
        var hasher = Hasher()
        hasher.combine(header)
        var line = 1
        for (index, entry) in translated {
            guard let printed = entry.printed else { continue }
            functions.append(FunctionEntry(
                definedIndex: index, functionIndex: imported + index, firstLine: line, lineCount: printed.lineCount,
                byteCount: printed.byteCount, body: TranslationCache.bodyRange(of: index, in: decoded, bytes: bytes), kept: entry.kept, keptShift: entry.keptShift))
            line += printed.lineCount
            hasher.combine(index)
            hasher.combine(entry.fingerprint)
        }
        self.init(header: header, functions: functions, fingerprint: hasher.finalize(),
                  printer: FunctionPrinter(module: decoded, bytes: bytes, environment: environment))
    }
}
