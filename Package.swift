// swift-tools-version: 6.1
import PackageDescription

/// clifford: a language server and command line for WebAssembly text (WAT) and Cranelift IR (CLIF).
/// The layering follows ../shared/DESIGN.md: each target depends only on the ones below it.
let package = Package(
    name: "clifford",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "clifford", targets: ["clifford"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CJSONC",
            pkgConfig: "json-c",
            providers: [.apt(["libjson-c-dev"])]
        ),
        .target(name: "JSON", dependencies: ["CJSONC"], linkerSettings: [.linkedLibrary("m")]),
        .target(name: "SourceText"),
        .target(name: "Wasm", dependencies: ["SourceText"]),
        .target(name: "WAT", dependencies: ["Wasm", "SourceText"]),
        .target(name: "CLIF", dependencies: ["SourceText"]),
        .target(name: "WasmToCLIF", dependencies: ["Wasm", "CLIF", "SourceText"]),
        .target(name: "LanguageServer", dependencies: ["JSON", "SourceText", "WAT", "Wasm", "CLIF", "WasmToCLIF"]),
        .executableTarget(
            name: "clifford",
            dependencies: [
                "LanguageServer", "WAT", "Wasm", "CLIF", "WasmToCLIF", "SourceText",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "clifford-bench",
            dependencies: ["JSON", "SourceText", "Wasm", "WAT", "CLIF", "WasmToCLIF", "LanguageServer", "TestSupport"],
            path: "Benchmarks/clifford-bench"
        ),
        .target(name: "TestSupport", dependencies: ["SourceText"], path: "Tests/TestSupport"),
        .testTarget(name: "JSONTests", dependencies: ["JSON"]),
        .testTarget(name: "SourceTextTests", dependencies: ["TestSupport", "SourceText"]),
        .testTarget(name: "WasmTests", dependencies: ["TestSupport", "Wasm", "SourceText"]),
        .testTarget(name: "WATTests", dependencies: ["TestSupport", "WAT", "Wasm", "SourceText"]),
        .testTarget(name: "CLIFTests", dependencies: ["TestSupport", "CLIF", "SourceText"]),
        .testTarget(name: "WasmToCLIFTests", dependencies: ["TestSupport", "WasmToCLIF", "WAT", "Wasm", "CLIF", "SourceText"]),
        .testTarget(name: "ConformanceTests", dependencies: ["TestSupport", "WAT", "Wasm", "CLIF", "WasmToCLIF", "SourceText", "LanguageServer"]),
        .testTarget(name: "LanguageServerTests", dependencies: ["TestSupport", "LanguageServer", "JSON", "SourceText"]),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["TestSupport", "clifford", "JSON", "LanguageServer"],
            exclude: ["Neovim"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
