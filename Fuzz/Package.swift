// swift-tools-version: 6.0
// Sluice's libFuzzer targets: one executable per target, each a thin `LLVMFuzzerTestOneInput`
// over the checks in Checks/ (the same files the root package's regression test compiles as
// SluiceFuzzChecks). Built only by Scripts/fuzz.sh, with the fuzzer and address sanitizers:
//
//   swift build -c release --sanitize=fuzzer --sanitize=address --scratch-path ../.build-fuzz
import PackageDescription

let targets = ["gzip-isal", "gzip-zlib", "zlib-deflate", "xz", "lzma", "lzip", "detect", "lines", "differential"]

let package = Package(
    name: "SluiceFuzz",
    dependencies: [.package(name: "Sluice", path: "..")],
    targets: [
        .target(name: "FuzzChecks", dependencies: [.product(name: "Sluice", package: "Sluice")], path: "Checks"),
    ] + targets.map { name in
        .executableTarget(name: "fuzz-\(name)", dependencies: ["FuzzChecks"], path: "Targets/\(name)")
    },
    swiftLanguageModes: [.v6]
)
