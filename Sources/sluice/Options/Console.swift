#if canImport(Glibc)
import Glibc
#endif
import Sluice
import SluiceReports

/// Messages to standard error and the exit-status convention shared by all commands.
enum Console {
    /// Prints `sluice: <message>` as one line on standard error.
    static func error(_ message: String) {
        var line = (ProgressTicker.isDrawing ? "\r\u{1B}[K" : "") + "sluice: " + message + "\n"
        line.withUTF8 { bytes in
            _ = try? SystemCalls.writeAll(2, UnsafeRawBufferPointer(bytes), path: "(stderr)")
        }
    }

    /// Writes `text` plus a newline to standard output; file names in it are written as the
    /// bytes they are (see ``PathName``).
    static func output(_ text: String) throws {
        let line = PathName.bytes(text + "\n")
        try line.withUnsafeBytes { bytes in
            try SystemCalls.writeAll(1, bytes, path: "(stdout)")
        }
    }

    /// A file name in a table row on standard output: its bytes, unless it contains a newline
    /// that would split the row (then quoted), as wc does.
    static func listed(_ path: String) -> String {
        path.contains("\n") ? PathName.quoted(path) : path
    }

    /// Broken pipes become a quiet `EPIPE` error instead of killing the process with SIGPIPE.
    static func ignoreBrokenPipeSignal() { signal(SIGPIPE, SIG_IGN) }

    /// `text` on one line: line breaks become spaces (ArgumentParser words some usage errors on
    /// several lines).
    static func oneLine(_ text: String) -> String {
        String(text.split(whereSeparator: \.isNewline).map { $0.trimmingASCIISpace() }.joined(separator: " "))
    }

    /// Inputs from the command line: none means standard input.
    static func inputs(_ files: [String]) -> [String] { files.isEmpty ? ["-"] : files }
}

extension Substring {
    fileprivate func trimmingASCIISpace() -> Substring {
        var s = self
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return s
    }
}

extension BufferedWriter {
    /// Writes bytes held in an array (a file name from ``PathName/bytes(_:)``).
    func write(_ bytes: [UInt8]) throws(SluiceError) {
        let result = bytes.withUnsafeBytes { raw in Result { () throws(SluiceError) in try write(raw) } }
        try result.get()
    }
}
