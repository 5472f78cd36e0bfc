// swift-tools-version: 6.0
// Sluice: streaming decoders, a lazy line pipeline and encoders over the real C codecs.
//
// Data flows one way and the targets say so:
//   CZlib / CLzma / CIsal   C shims (static inline wrappers for macros), nothing else
//   CLibc                   glibc's memmem/memrchr (GNU extensions Swift's Glibc module hides)
//   SluiceCore              sources, lines, stages, rings, sinks, codec protocols; no C codec imports
//   SluiceCodecs            the only module touching C codec structs
//   SluiceSearch            regular expressions (PCRE2 JIT) for the line stages
//   SluiceReports           what Sluice prints for scripts and people: JSON objects, the progress line
//   SluiceBench             codec benchmarking under a memory cap: plan, run, report (no C)
//   Sluice                  the public facade library users import (codecs, lines, stages, search)
//   sluice                  the command-line tool, a thin shell over the library
//   SluiceFuzzChecks        the fuzz targets' checks (Fuzz/Checks), shared by Fuzz/ and the tests
import PackageDescription

let package = Package(
    name: "Sluice",
    products: [
        .library(name: "Sluice", targets: ["Sluice"]),
        .executable(name: "sluice", targets: ["sluice"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .target(name: "CZlib", linkerSettings: [.linkedLibrary("z")]),
        .target(name: "CLzma", linkerSettings: [.linkedLibrary("lzma")]),
        .target(name: "CIsal", linkerSettings: [.linkedLibrary("isal")]),
        .target(name: "CPcre2", linkerSettings: [.linkedLibrary("pcre2-8")]),
        .target(name: "CLibc"),
        .target(name: "SluiceCore", dependencies: ["CLibc"]),
        .target(name: "SluiceCodecs", dependencies: ["SluiceCore", "CZlib", "CLzma", "CIsal"]),
        .target(name: "SluiceSearch", dependencies: ["SluiceCore", "CPcre2"]),
        .target(name: "SluiceReports", dependencies: ["SluiceCore"]),
        .target(name: "SluiceBench", dependencies: ["SluiceCore", "SluiceCodecs", "SluiceReports"]),
        .target(name: "Sluice", dependencies: ["SluiceCore", "SluiceCodecs", "SluiceSearch"]),
        .executableTarget(
            name: "sluice",
            dependencies: [
                "Sluice",
                "SluiceBench",
                "SluiceReports",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Not a product: the checks the libFuzzer targets in Fuzz/ apply, compiled here too so the
        // regression test replays saved crashes through exactly the same checks.
        .target(name: "SluiceFuzzChecks", dependencies: ["SluiceCore", "SluiceCodecs"], path: "Fuzz/Checks"),
        // Not a product: what several test targets share (the seeded generator, a piecewise reader).
        .target(name: "SluiceTestSupport", dependencies: ["SluiceCore"], path: "Tests/SluiceTestSupport"),
        .testTarget(name: "SluiceCoreTests", dependencies: ["SluiceCore", "SluiceTestSupport"]),
        .testTarget(name: "SluiceReportsTests", dependencies: ["SluiceReports", "SluiceCore"]),
        .testTarget(name: "SluiceCodecsTests", dependencies: ["Sluice", "SluiceCodecs", "CZlib", "SluiceFuzzChecks", "SluiceTestSupport"]),
        .testTarget(name: "SluiceSearchTests", dependencies: ["SluiceSearch", "SluiceCore", "SluiceTestSupport"]),
        .testTarget(name: "SluiceCLITests", dependencies: ["sluice", "Sluice"], exclude: ["Help"]),
    ],
    swiftLanguageModes: [.v6]
)
