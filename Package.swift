// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "axiomc",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "axiomc", targets: ["axiomc"]),
        .library(name: "AxiomCore", targets: ["AxiomCore"]),
        .library(name: "AxiomGrammar", targets: ["AxiomGrammar"]),
        .library(name: "AxiomRecords", targets: ["AxiomRecords"]),
        .library(name: "AxiomCorpus", targets: ["AxiomCorpus"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        // Pure core: graphs, seeded randomness, rules, rule engine, second oracles. No Foundation.
        .target(name: "AxiomCore"),
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        .target(name: "AxiomGrammar", dependencies: ["AxiomCore", "AxiomRecords", "CLibXML2"]),
        // What a compiled corpus is on disk: records and their layouts, JSON, the manifest, cue
        // cells, files. No grammar: evaluation and reward scoring link this, not libxml2.
        .target(
            name: "AxiomRecords",
            dependencies: ["AxiomCore", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .target(
            name: "AxiomCorpus",
            dependencies: [
                "AxiomCore", "AxiomGrammar", "AxiomRecords",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(name: "AxiomEval", dependencies: ["AxiomCore", "AxiomRecords"]),
        .target(
            name: "AxiomCLI",
            dependencies: [
                "AxiomCore", "AxiomGrammar", "AxiomRecords", "AxiomCorpus", "AxiomEval",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "axiomc", dependencies: ["AxiomCLI"]),
        .testTarget(name: "AxiomCoreTests", dependencies: ["AxiomCore"]),
        .testTarget(name: "AxiomGrammarTests", dependencies: ["AxiomCore", "AxiomRecords", "AxiomGrammar"]),
        .testTarget(
            name: "AxiomCorpusTests",
            dependencies: ["AxiomCore", "AxiomGrammar", "AxiomRecords", "AxiomCorpus"]
        ),
        .testTarget(
            name: "AxiomEvalTests",
            dependencies: ["AxiomCore", "AxiomEval", "AxiomRecords", "AxiomCorpus", "AxiomGrammar"]
        ),
        .testTarget(name: "AxiomCLITests", dependencies: ["AxiomCLI", "AxiomRecords", "AxiomCorpus"]),
    ],
    swiftLanguageModes: [.v6]
)
