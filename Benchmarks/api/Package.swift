// swift-tools-version: 6.0
// Line-counting probes for the benchmark's api section: what a Swift user of the library pays to
// see every line of a compressed file. Built by Benchmarks/run.sh against the package two levels
// up (a path dependency, so it always measures the working tree), each probe on its own so one
// that does not compile against the current API does not hold back the other.
//
//   swift build -c release --package-path Benchmarks/api --scratch-path Benchmarks/work/api-build \
//       --product api-lines-framer
import PackageDescription

let package = Package(
    name: "SluiceAPIBench",
    dependencies: [
        .package(path: "../.."),
    ],
    targets: [
        // LineReader blocks + forEachLine: the zero-copy framing layer every stage sits on.
        .executableTarget(name: "api-lines-framer", dependencies: [.product(name: "Sluice", package: SluiceRoot.identity)]),
        // The high-level closure API issue 3 describes: `try Sluice.lines(of: path).lines { line in … }`.
        .executableTarget(name: "api-lines", dependencies: [.product(name: "Sluice", package: SluiceRoot.identity)]),
    ]
)

/// SwiftPM names a path dependency after its directory (`main`, `sluice`, …), not after the
/// manifest's `name:`, so work it out from where this manifest sits.
enum SluiceRoot {
    static var identity: String {
        let manifest = #filePath
        var parts = manifest.split(separator: "/", omittingEmptySubsequences: true)
        parts.removeLast(3) // Package.swift, api, Benchmarks
        return parts.last.map { String($0).lowercased() } ?? "sluice"
    }
}
