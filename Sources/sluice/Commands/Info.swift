import ArgumentParser
import Sluice
import SluiceReports

struct Info: ParsableCommand, JSONReport {
    static let configuration = CommandConfiguration(
        abstract: "Show format, members or streams, check, sizes and ratio of each input.",
        discussion: """
            For a seekable .xz file the sizes come from its indexes, as `xz -l` reads them, without \
            decoding (source "index"). Every other input is decoded to count its bytes, as \
            `gzip -l` does since gzip 1.12 (source "decoded"); a damaged input is reported as an error.

            Ratio is compressed size / uncompressed size, as xz prints it.

            Examples:
              sluice info logs/app.log.gz
              sluice info --json *.xz
            """)

    @OptionGroup var inputs: ReportedInputs<Info>

    static let jsonHelp = "One JSON record per input on standard output."

    var decoding: DecodingOptions { inputs.decoding }
    var json: Bool { inputs.json }

    func run() throws {
        if !json {
            try Console.output(pad("file", 24) + pad("format", 8) + lpad("members", 8) + lpad("blocks", 8) + "  " + pad("check", 9)
                               + lpad("compressed", 14) + lpad("uncompressed", 14) + lpad("ratio", 7) + "  source")
        }
        try inputs.each { path in
            let facts: Facts
            do throws(SluiceError) {
                facts = try describe(path)
            } catch {
                Console.error(error.description)
                return false
            }
            // Not caught: a write error ends the command with one line (see `SluiceCommand`).
            try Console.output(json ? facts.json.text : facts.row)
            return true
        }
    }

    private func describe(_ path: String) throws(SluiceError) -> Facts {
        let reader = try Decoders.open(path, options: decoding.decodeOptions)
        if reader.format == .xz, let source = reader.source as? FileSource, let size = source.knownSize,
           let summary = try? XzIndex.read(fd: source.fd, fileSize: size, path: path) {
            return Facts(path: path, format: .xz, members: summary.streams, blocks: summary.blocks, check: summary.checks,
                         compressed: summary.compressedBytes, uncompressed: summary.uncompressedBytes, source: "index")
        }
        let outcome = Verification.verify(reader, options: decoding.decodeOptions)
        if let error = outcome.error { throw error }
        guard let r = outcome.report else { throw SluiceError(.io, "no report", path: path) }
        return Facts(path: path, format: r.format, members: r.members, blocks: nil, check: r.checkDescription,
                     compressed: r.compressedBytes, uncompressed: r.uncompressedBytes, source: "decoded")
    }
}

private struct Facts {
    var path: String
    var format: CompressionFormat
    var members: Int?
    var blocks: Int?
    var check: String?
    var compressed: Int64
    var uncompressed: Int64
    var source: String

    var ratio: Double? { uncompressed > 0 ? Double(compressed) / Double(uncompressed) : nil }

    var row: String {
        pad(Console.listed(path), 24) + pad(format.rawValue, 8) + lpad(members.map(String.init) ?? "-", 8) + lpad(blocks.map(String.init) ?? "-", 8)
            + "  " + pad(check ?? "-", 9) + lpad(String(compressed), 14) + lpad(String(uncompressed), 14)
            + lpad(ratio.map { JSONObject.format($0, decimals: 3) } ?? "-", 7) + "  " + source
    }

    var json: JSONObject {
        var o = JSONObject()
        o.set("file", PathName.lossy(path))
        o.set("format", format.rawValue)
        o.set("members", members)
        o.set("blocks", blocks)
        o.set("check", check)
        o.set("compressed_bytes", compressed)
        o.set("uncompressed_bytes", uncompressed)
        o.set("ratio", ratio, decimals: 4)
        o.set("source", source)
        return o
    }
}

private func pad(_ s: String, _ width: Int) -> String {
    s.count >= width ? s + " " : s + String(repeating: " ", count: width - s.count)
}
