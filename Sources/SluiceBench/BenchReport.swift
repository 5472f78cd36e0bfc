import SluiceCore
import SluiceReports

/// One row of a benchmark: measured figures, or why it was not run.
public struct BenchResult: Sendable {
    public var config: BenchConfig
    public var fits: Bool
    public var neededBytes: Int
    /// The compression factor: uncompressed ÷ compressed size (higher is better), as `zstd -b`
    /// reports it. Not a ratio: Sluice's ratios (`info`, `--stats`) are compressed ÷ uncompressed, as `xz -l`.
    public var factor: Double?
    public var compressedBytes: Int?
    public var compressMBps: Double?
    public var decompressMBps: Double?
    public var codecPeakBytes: Int?
    public var rssPeakBytes: Int?
    public var pareto = false
    /// Set when the run failed (the message), e.g. the round trip did not verify.
    public var failure: String?

    public init(config: BenchConfig, fits: Bool, neededBytes: Int) {
        self.config = config
        self.fits = fits
        self.neededBytes = neededBytes
    }

    var measured: Bool { factor != nil && compressMBps != nil && failure == nil }
}

/// Marks the results no other fitting result beats in both factor and compression speed.
public func markParetoFront(_ results: inout [BenchResult]) {
    let candidates = results.indices.filter { results[$0].fits && results[$0].measured }
    for i in candidates {
        let a = results[i]
        let dominated = candidates.contains { j in
            guard j != i else { return false }
            let b = results[j]
            return b.factor! >= a.factor! && b.compressMBps! >= a.compressMBps!
                && (b.factor! > a.factor! || b.compressMBps! > a.compressMBps!)
        }
        results[i].pareto = !dominated
    }
}

/// Text, JSON, CSV and SVG renderings of a benchmark.
public struct BenchReport {
    public var results: [BenchResult]
    public var cap: ByteCount?
    public var inputBytes: Int
    public var inputName: String

    public init(results: [BenchResult], cap: ByteCount?, inputBytes: Int, inputName: String) {
        self.results = results
        self.cap = cap
        self.inputBytes = inputBytes
        self.inputName = inputName
    }

    /// Measured rows by factor (best first), then rows that do not fit by memory needed.
    public var sorted: [BenchResult] {
        results.filter(\.measured).sorted { ($0.factor!, $0.compressMBps!) > ($1.factor!, $1.compressMBps!) }
            + results.filter { !$0.measured }.sorted { $0.neededBytes < $1.neededBytes }
    }

    public var table: String {
        func mb(_ v: Double?) -> String { v.map { JSONObject.format($0, decimals: 1) } ?? "-" }
        func mem(_ v: Int?) -> String { v.map { ByteCount(bytes: $0).description } ?? "-" }
        var lines = ["input: \(inputName), \(ByteCount(bytes: inputBytes)); cap: \(cap?.description ?? "none"); * = Pareto-optimal (factor vs compression speed)",
                     pad("config", 14) + lpad("factor", 8) + lpad("comp MB/s", 11) + lpad("dec MB/s", 10)
                        + lpad("codec peak", 12) + lpad("peak RSS", 11) + lpad("needs", 11) + "  "]
        for r in sorted {
            var line = pad((r.pareto ? "* " : "  ") + r.config.description, 14)
            if r.measured {
                line += lpad(JSONObject.format(r.factor!, decimals: 3), 8) + lpad(mb(r.compressMBps), 11) + lpad(mb(r.decompressMBps), 10)
                    + lpad(mem(r.codecPeakBytes), 12) + lpad(mem(r.rssPeakBytes), 11) + lpad(mem(r.neededBytes), 11)
            } else if let failure = r.failure {
                line += "  failed: " + failure
            } else {
                line += lpad("does not fit: needs \(ByteCount(bytes: r.neededBytes))", 52)
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    public var json: String {
        var o = JSONObject()
        o.set("cap_bytes", cap?.bytes)
        o.set("input_bytes", inputBytes)
        o.set("results", array: sorted.map { r in
            var j = JSONObject()
            j.set("codec", r.config.codec.rawValue)
            j.set("level", r.config.level)
            j.set("threads", r.config.threads)
            j.set("fits", r.fits)
            j.set("needed_bytes", r.neededBytes)
            j.set("factor", r.factor, decimals: 4)
            j.set("compressed_bytes", r.compressedBytes)
            j.set("compress_mbps", r.compressMBps, decimals: 2)
            j.set("decompress_mbps", r.decompressMBps, decimals: 2)
            j.set("codec_peak_bytes", r.codecPeakBytes)
            j.set("rss_peak_bytes", r.rssPeakBytes)
            j.set("pareto", r.pareto)
            j.set("error", r.failure)
            return j
        })
        return o.text
    }

    public var csv: String {
        var lines = ["codec,level,threads,fits,needed_bytes,factor,compressed_bytes,compress_mbps,decompress_mbps,codec_peak_bytes,rss_peak_bytes,pareto"]
        for r in sorted {
            let fields: [String] = [r.config.codec.rawValue, "\(r.config.level)", "\(r.config.threads)", "\(r.fits)", "\(r.neededBytes)",
                                    r.factor.map { JSONObject.format($0, decimals: 4) } ?? "", r.compressedBytes.map(String.init) ?? "",
                                    r.compressMBps.map { JSONObject.format($0, decimals: 2) } ?? "",
                                    r.decompressMBps.map { JSONObject.format($0, decimals: 2) } ?? "",
                                    r.codecPeakBytes.map(String.init) ?? "", r.rssPeakBytes.map(String.init) ?? "", "\(r.pareto)"]
            lines.append(fields.joined(separator: ","))
        }
        return lines.joined(separator: "\n")
    }

    /// A scatter plot of factor against compression speed (log scale), the Pareto front joined, and
    /// the configurations over the cap listed in grey.
    public var svg: String {
        let width = 760.0, height = 480.0
        let left = 70.0, right = 30.0, top = 50.0, bottom = 70.0
        let points = results.filter(\.measured)
        let speeds = points.map { max($0.compressMBps!, 0.01) }
        let ratios = points.map { $0.factor! }
        let minX = log10((speeds.min() ?? 1) / 1.5), maxX = log10((speeds.max() ?? 10) * 1.5)
        let minY = max(0, (ratios.min() ?? 1) * 0.9), maxY = (ratios.max() ?? 2) * 1.08
        func x(_ speed: Double) -> Double { left + (log10(max(speed, 0.01)) - minX) / max(maxX - minX, 1e-9) * (width - left - right) }
        func y(_ factor: Double) -> Double { height - bottom - (factor - minY) / max(maxY - minY, 1e-9) * (height - top - bottom) }
        func f(_ v: Double) -> String { JSONObject.format(v, decimals: 1) }
        func esc(_ s: String) -> String {
            var out = ""
            for c in s {
                switch c {
                case "&": out += "&amp;"
                case "<": out += "&lt;"
                case ">": out += "&gt;"
                case "\"": out += "&quot;"
                default: out.append(c)
                }
            }
            return out
        }
        var s = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" font-family="sans-serif" font-size="12">
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(f(width / 2))" y="24" text-anchor="middle" font-size="15" font-weight="bold">\(esc("Compression factor vs speed: \(inputName) (\(ByteCount(bytes: inputBytes)))" + (cap.map { ", cap \($0)" } ?? "")))</text>
            <line x1="\(f(left))" y1="\(f(height - bottom))" x2="\(f(width - right))" y2="\(f(height - bottom))" stroke="black"/>
            <line x1="\(f(left))" y1="\(f(top))" x2="\(f(left))" y2="\(f(height - bottom))" stroke="black"/>
            <text x="\(f((left + width - right) / 2))" y="\(f(height - 25))" text-anchor="middle">compression speed, MB/s of input (log scale)</text>
            <text x="18" y="\(f((top + height - bottom) / 2))" text-anchor="middle" transform="rotate(-90 18 \(f((top + height - bottom) / 2)))">factor (uncompressed / compressed)</text>

            """
        // Ticks: decades and 2/5 multiples on x; five steps on y.
        var tick = pow10(Int(minX.rounded(.down)))
        while log10(tick) <= maxX {
            for m in [1.0, 2.0, 5.0] where log10(tick * m) >= minX && log10(tick * m) <= maxX {
                let tx = x(tick * m)
                s += "<line x1=\"\(f(tx))\" y1=\"\(f(height - bottom))\" x2=\"\(f(tx))\" y2=\"\(f(height - bottom + 5))\" stroke=\"black\"/>"
                s += "<text x=\"\(f(tx))\" y=\"\(f(height - bottom + 18))\" text-anchor=\"middle\">\(tick * m >= 1 ? String(Int(tick * m)) : JSONObject.format(tick * m, decimals: 2))</text>\n"
            }
            tick *= 10
        }
        for k in 0...5 {
            let r = minY + (maxY - minY) * Double(k) / 5
            s += "<line x1=\"\(f(left - 5))\" y1=\"\(f(y(r)))\" x2=\"\(f(left))\" y2=\"\(f(y(r)))\" stroke=\"black\"/>"
            s += "<text x=\"\(f(left - 8))\" y=\"\(f(y(r) + 4))\" text-anchor=\"end\">\(JSONObject.format(r, decimals: 1))</text>\n"
        }
        let front = points.filter(\.pareto).sorted { $0.compressMBps! < $1.compressMBps! }
        if front.count > 1 {
            s += "<polyline fill=\"none\" stroke=\"#d62728\" stroke-width=\"2\" points=\""
                + front.map { "\(f(x($0.compressMBps!))),\(f(y($0.factor!)))" }.joined(separator: " ") + "\"/>\n"
        }
        // Labels go beside their point: above right, below right, above left or below left, the
        // first spot that does not cover a label already placed (close points, e.g. one codec at
        // 1 and 2 threads, would otherwise print on top of each other).
        var placed: [(x0: Double, y0: Double, x1: Double, y1: Double)] = []
        for p in points {
            let color = p.config.codec == .xz ? "#1f77b4" : "#2ca02c"
            let px = x(p.compressMBps!), py = y(p.factor!)
            s += "<circle cx=\"\(f(px))\" cy=\"\(f(py))\" r=\"\(p.pareto ? 6 : 4)\" fill=\"\(color)\""
                + (p.pareto ? " stroke=\"#d62728\" stroke-width=\"2\"" : "") + "/>"
            let text = p.config.description
            let w = 6.0 * Double(text.count), h = 11.0
            let spots: [(x: Double, baseline: Double, end: Bool)] = [(px + 8, py - 6, false), (px + 8, py + 15, false),
                                                                     (px - 8, py - 6, true), (px - 8, py + 15, true)]
            let spot = spots.first { c in
                let x0 = c.end ? c.x - w : c.x
                return !placed.contains { x0 < $0.x1 && $0.x0 < x0 + w && c.baseline - h < $0.y1 && $0.y0 < c.baseline }
            } ?? spots[0]
            let x0 = spot.end ? spot.x - w : spot.x
            placed.append((x0, spot.baseline - h, x0 + w, spot.baseline))
            s += "<text x=\"\(f(spot.x))\" y=\"\(f(spot.baseline))\" font-size=\"10\"" + (spot.end ? " text-anchor=\"end\"" : "")
                + ">\(esc(text))</text>\n"
        }
        let over = results.filter { !$0.fits }
        if !over.isEmpty {
            s += "<text x=\"\(f(width - right))\" y=\"\(f(top + 4))\" text-anchor=\"end\" fill=\"#999999\">over the cap (not run):</text>\n"
            for (k, r) in over.enumerated() {
                s += "<text x=\"\(f(width - right))\" y=\"\(f(top + 18 + 13 * Double(k)))\" text-anchor=\"end\" fill=\"#999999\" font-size=\"10\">\(esc(r.config.description + " needs " + ByteCount(bytes: r.neededBytes).description))</text>\n"
            }
        }
        s += "<text x=\"\(f(left + 8))\" y=\"\(f(top + 4))\" fill=\"#1f77b4\">● xz</text><text x=\"\(f(left + 50))\" y=\"\(f(top + 4))\" fill=\"#2ca02c\">● gzip</text>"
        s += "<text x=\"\(f(left + 100))\" y=\"\(f(top + 4))\" fill=\"#d62728\">— Pareto front</text>\n</svg>\n"
        return s
    }
}

private func pow10(_ e: Int) -> Double {
    var v = 1.0
    if e >= 0 { for _ in 0..<e { v *= 10 } } else { for _ in 0..<(-e) { v /= 10 } }
    return v
}

private func log10(_ v: Double) -> Double {
    // ln(v) / ln(10) without Foundation: Double has no log, so use the series-free bit trick
    // refined by Newton's method on exp.
    guard v > 0 else { return -9 }
    var e = 0
    var m = v
    while m >= 10 { m /= 10; e += 1 }
    while m < 1 { m *= 10; e -= 1 }
    // log10(m) for m in [1, 10): ln via atanh series.
    let z = (m - 1) / (m + 1)
    var term = z, sum = 0.0, k = 1.0
    for _ in 0..<40 { sum += term / k; term *= z * z; k += 2 }
    return Double(e) + 2 * sum / 2.302585092994046
}

private func pad(_ s: String, _ width: Int) -> String {
    s.count >= width ? s + " " : s + String(repeating: " ", count: width - s.count)
}

private func lpad(_ s: String, _ width: Int) -> String {
    s.count >= width ? " " + s : String(repeating: " ", count: width - s.count) + s
}
