import SluiceCore
import SluiceCodecs
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The fuzz targets and the checks each applies to one input.
///
/// Shared by the libFuzzer executables in `Fuzz/` and the regression test that replays every
/// saved crash under `Tests/Fixtures/fuzz-crashes/<target>/`, so both judge an input alike.
/// A check returns its broken promises as one sentence each; no sentence means the input passed.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// gzip over ISA-L, large and small windows: same output, same fault.
    case gzipIsal = "gzip-isal"
    /// gzip over zlib, large and small windows.
    case gzipZlib = "gzip-zlib"
    /// The input as zlib and as raw deflate, large and small windows each.
    case zlibDeflate = "zlib-deflate"
    case xz
    /// Legacy `.lzma` (LZMA_Alone) forced, not detected.
    case lzma
    case lzip
    /// Format detection over arbitrary bytes, decoded to the end; plain input passes through as is.
    case detect
    /// The line framer under random chunking (see ``checkLines(_:)``).
    case lines
    /// gzip with ISA-L (small and large windows) against gzip with zlib (small windows): each
    /// output a prefix of the other, the same verdict, and where zlib finds the stream invalid,
    /// ISA-L gives no byte past that point.
    case differential

    /// Runs this target's checks on `input`.
    public func check(_ input: [UInt8]) -> [String] {
        var problems: [String] = []
        switch self {
        case .gzipIsal: sameUnderWindows(input, .gzip, backend: .isal, &problems)
        case .gzipZlib: sameUnderWindows(input, .gzip, backend: .zlib, &problems)
        case .zlibDeflate:
            sameUnderWindows(input, .zlib, &problems)
            sameUnderWindows(input, .deflate, &problems)
        case .xz: sameUnderWindows(input, .xz, &problems)
        case .lzma: sameUnderWindows(input, .lzma, &problems)
        case .lzip: sameUnderWindows(input, .lzip, &problems)
        case .detect:
            let runs = sameUnderWindows(input, nil, &problems)
            for run in runs where run.format == .plain && run.succeeded && run.output != input {
                problems.append("\(run.label): detected plain but the output (\(run.output.count) bytes) is not the input")
            }
        case .lines:
            problems = checkLines(input)
        case .differential:
            let zlib = decodeAll(input, format: .gzip, backend: .zlib, windows: .small, label: "zlib", problems: &problems)
            for windows in [Windows.small, .large] {
                let isal = decodeAll(input, format: .gzip, backend: .isal, windows: windows,
                                     label: "isal \(windows == .small ? "small" : "large") windows", problems: &problems)
                compare(isal, zlib, exact: false, problems: &problems)
                checkNotPast(isal, reference: zlib, problems: &problems)
            }
        }
        return problems
    }

    /// Decodes with large and with small windows and requires the same result.
    @discardableResult
    private func sameUnderWindows(_ input: [UInt8], _ format: CompressionFormat?, backend: GzipBackend = .isal,
                                  _ problems: inout [String]) -> [DecodeRun] {
        let name = format?.rawValue ?? "detected"
        let large = decodeAll(input, format: format, backend: backend, windows: .large, label: "\(name) large windows", problems: &problems)
        let small = decodeAll(input, format: format, backend: backend, windows: .small, label: "\(name) small windows", problems: &problems)
        // liblzma's LZMA decoder hands out a window-dependent number of bytes before it notices
        // damage: it decodes as far as the output space lets it first (Python's lzma on the same
        // liblzma: 167, 181 and 187 bytes of detect/crash-7f00… for output limits of ∞, 7 and 1).
        // There, the outputs need only be prefixes of each other; the verdicts must still agree.
        let lzmaFamily: Set<CompressionFormat> = [.xz, .lzma, .lzip]
        let lzmaDamage = large.error != nil && small.error != nil && lzmaFamily.contains(large.format ?? .plain)
        // ISA-L decodes with a Huffman code set that zlib rejects as incomplete (see checkNotPast):
        // with small windows it may hand out a few of those symbols before it fails and zlib's
        // replay takes over, so only prefixes are asked for there too.
        let lenientHeader = [large.error, small.error].allSatisfy { error in
            guard let error else { return false }
            return ["invalid code lengths set", "invalid literal/lengths set", "invalid distances set"].contains { error.message.hasPrefix($0) }
        }
        let loose = lzmaDamage || lenientHeader
        compare(large, small, exact: !loose, problems: &problems)
        // A .lzma stream has no length of its own: at one offset, damage right after an end marker
        // reads as "trailing garbage" when the marker and the next bytes arrive in one call, and as
        // "corrupt" when liblzma sees them apart (fuzz-crashes/lzma/crash-6ab61d…). Same offset,
        // same bytes delivered, the command fails either way; only the word differs.
        let sameFaultWordedTwice = large.format == .lzma && large.error?.offset == small.error?.offset
            && Set([large.error?.kind, small.error?.kind]) == Set([.trailingGarbage, .corrupt])
        if loose, !sameFaultWordedTwice, let x = large.error, let y = small.error, x.kind != y.kind {
            problems.append("\(large.label) failed as \(x.kind.rawValue) (\(x)) but \(small.label) as \(y.kind.rawValue) (\(y))")
        }
        return [large, small]
    }
}

/// The body of every `LLVMFuzzerTestOneInput`: run the target's checks and abort on a broken
/// promise, after printing each one, so libFuzzer saves the input as a crash.
public enum FuzzEntry {
    public static func run(_ target: FuzzTarget, _ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
        let input = size > 0 && data != nil ? Array(UnsafeBufferPointer(start: data, count: size)) : []
        let problems = target.check(input)
        guard problems.isEmpty else {
            for problem in problems {
                var line = "sluice-fuzz \(target.rawValue): \(problem)\n"
                line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
            }
            abort()
        }
        return 0
    }
}
