import Testing
import SourceText
@testable import LanguageServer

/// The rules that link a `.clif` file on disk to its WAT module, and the `file:` URI handling
/// they rest on.
@Suite struct CLIFSourceLinkTests {
    @Test func fileURIsRoundTripWithPercentEncoding() {
        let path = "/work/out dir/wasm[0]--function[3]--main.clif"
        let uri = FileURI.uri(forPath: path)
        #expect(uri == "file:///work/out%20dir/wasm%5B0%5D--function%5B3%5D--main.clif")
        #expect(FileURI.path(of: uri) == path)
        #expect(FileURI.path(of: "file://localhost/a/b.wat") == "/a/b.wat")
        #expect(FileURI.path(of: "clifford-clif:file:///a.wat") == nil)
        #expect(FileURI.normalized("/a/./b/../c//d.wat") == "/a/c/d.wat")
        #expect(FileURI.relativePath(from: "/w/out", to: "/w/src/m.wat") == "../src/m.wat")
        #expect(FileURI.relativePath(from: "/w", to: "/w/m.wat") == "m.wat")
    }

    @Test func candidatesInRuleOrder() {
        let clif = "file:///w/m-clif/wasm%5B0%5D--function%5B0%5D.clif"
        let file = SourceFile("function u0:0() tail {\nblock0:\n    return\n}\n;; clifford source: ../src/m.wat\n")
        let candidates = CLIFSourceLink.candidates(ofCLIF: clif, file: file, settings: ["file:///w/m-clif": "/w/other.wat",
                                                                                      "/w": "/w/too-short.wat"])
        #expect(candidates == [
            "file:///w/other.wat",       // the setting with the longest matching key
            "file:///w/src/m.wat",       // the comment, relative to the file's folder
            "file:///w/m-clif.wat", "file:///w/m-clif.wast",  // the folder's own name
            "file:///w/m.wat", "file:///w/m.wast",            // without its -clif suffix
        ])
    }

    @Test func anOpenDocumentIsMatchedByPath() {
        let clif = "file:///w/m/f.clif"
        let file = SourceFile("function u0:0() tail {\nblock0:\n    return\n}\n")
        // No file exists on disk here; the open document (spelled differently) is the link.
        let linked = CLIFSourceLink.source(ofCLIF: clif, file: file, settings: [:], openURIs: ["file:///w/./m.wat"])
        #expect(linked == "file:///w/./m.wat")
        #expect(CLIFSourceLink.source(ofCLIF: clif, file: file, settings: [:], openURIs: []) == nil)
    }

    @Test func onlyTheLastLinesAreSearchedForTheComment() {
        let early = SourceFile(";; clifford source: a.wat\n" + String(repeating: "; filler\n", count: 20))
        #expect(CLIFSourceLink.commentedSource(in: early) == nil)
        let late = SourceFile(String(repeating: "; filler\n", count: 20) + ";; clifford source: a.wat\n")
        #expect(CLIFSourceLink.commentedSource(in: late) == "a.wat")
    }
}
