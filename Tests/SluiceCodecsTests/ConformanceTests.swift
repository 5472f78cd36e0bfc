import Foundation
import Testing
import Sluice

/// The external corpus in ../shared/conformance (xz's test files, gzip edge cases, real logs).
///
/// Each gzip, xz, lzma and lzip row must decode to its sha256 (`ok`) or fail with a message
/// (`error`, `unsupported`), judged as `sluice test` judges: input that is not compressed at all
/// is an error. Rows of other formats must end cleanly, error or not. Skipped only when the folder
/// does not exist.
@Suite("Conformance corpus")
struct ConformanceTests {
    static let root: String = {
        let here = URL(fileURLWithPath: #filePath)
        let package = here.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return package.deletingLastPathComponent().appendingPathComponent("shared/conformance").path
    }()

    struct Row: Sendable {
        var path: String
        var format: String
        var expect: String
        var sha256: String
    }

    static func rows() -> [Row] {
        guard let table = try? String(contentsOfFile: root + "/expected.tsv", encoding: .utf8) else { return [] }
        return table.split(separator: "\n").dropFirst().compactMap { line in
            let cols = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard cols.count >= 4 else { return nil }
            return Row(path: cols[0], format: cols[1], expect: cols[2], sha256: cols[3])
        }
    }

    static let checked: Set<String> = ["gzip", "xz", "lzma", "lzip"]

    /// Rows where Sluice deliberately differs from the expectation in expected.tsv, and why.
    static let deliberate: [String: String] = [
        "xz/good-1-v1-trailing-2.lz":
            "'LZI' + data after the member is a corrupt second header to lzip >= 1.20 and `lzip -t` (XZ Utils ignores it); issue #9 asks for lzip -t's rule",
    ]

    /// Decodes one file as `sluice test` would; returns (sha256 of output, detected format, error).
    static func run(_ path: String, backend: GzipBackend) -> (String, CompressionFormat?, SluiceError?) {
        var hash = SHA256()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 << 10, alignment: 16)
        defer { buffer.deallocate() }
        do {
            let reader = try Decoders.open(path, options: DecodeOptions(gzipBackend: backend))
            if reader.format == .plain {
                return ("", .plain, SluiceError(.corrupt, "not compressed data", offset: 0, path: path))
            }
            do {
                while true {
                    let n = try reader.read(into: buffer)
                    if n == 0 { break }
                    hash.update(UnsafeRawBufferPointer(rebasing: buffer[..<n]))
                }
            } catch {
                return (hash.finalize(), reader.format, error)
            }
            if reader.format == .plain {  // a .lzma or zlib guess that did not hold
                return ("", .plain, SluiceError(.corrupt, "not compressed data", offset: 0, path: path))
            }
            return (hash.finalize(), reader.format, nil)
        } catch {
            return ("", nil, error)
        }
    }

    @Test("every gzip/xz/lzma/lzip row matches its expectation; other formats fail cleanly", arguments: GzipBackend.allCases)
    func corpus(backend: GzipBackend) throws {
        let rows = Self.rows()
        try #require(!rows.isEmpty || !FileManager.default.fileExists(atPath: Self.root), "expected.tsv unreadable")
        var passed = 0, failed = 0, other = 0
        for row in rows {
            let (sha, format, error) = Self.run(Self.root + "/" + row.path, backend: backend)
            guard Self.checked.contains(row.format) else {
                other += 1
                continue
            }
            let ok: Bool
            if Self.deliberate[row.path] != nil {
                ok = error != nil  // expected.tsv says ok; see `deliberate`
            } else {
            switch row.expect {
            case "ok":
                ok = error == nil && sha == row.sha256 && format?.rawValue == row.format
            default:
                ok = error != nil && !(error!.description.isEmpty)
            }
            }
            #expect(ok, "\(row.path): expected \(row.expect), got \(error.map { "error: \($0)" } ?? "ok sha256=\(sha)")")
            if ok { passed += 1 } else { failed += 1 }
        }
        print("conformance (\(backend.rawValue)): \(passed) passed, \(failed) failed, \(other) rows of other formats ended cleanly")
    }
}
