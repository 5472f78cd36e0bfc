// swift-tools-version: 6.0
// Sluice's libFuzzer targets: one executable per target, each a thin `LLVMFuzzerTestOneInput`
// over the checks in Checks/ (the same files the root package's regression test compiles as
// SluiceFuzzChecks). Built only by Scripts/fuzz.sh, with the fuzzer and address sanitizers:
//
//   swift build -c release --sanitize=fuzzer -Xswiftc -sanitize=fuzzer,address --scratch-path ../.build-fuzz
//
// `--sanitize=fuzzer` makes SwiftPM link libFuzzer's `main` instead of the module's entry point;
// the -Xswiftc flag comes last and wins, so the code gets both coverage counters and ASan
// (given `--sanitize=fuzzer --sanitize=address`, swiftc keeps only the last: no coverage at all).
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
