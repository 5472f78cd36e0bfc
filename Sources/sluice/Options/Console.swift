import Sluice
import SluiceReports

/// Messages to standard error and the exit-status convention shared by all commands.
enum Console {
    /// Prints `sluice: <message>` as one line on standard error.
    static func error(_ message: String) {
        let line = (ProgressTicker.isDrawing ? "\r\u{1B}[K" : "") + "sluice: " + message + "\n"
        _ = try? SystemCalls.writeAll(2, Array(line.utf8), path: "(stderr)")
    }

    /// Writes `text` plus a newline to standard output; file names in it are written as the
    /// bytes they are (see ``PathName``).
    static func output(_ text: String) throws {
        try SystemCalls.writeAll(1, PathName.bytes(text + "\n"), path: "(stdout)")
    }

    /// A file name in a table row on standard output: its bytes, unless it contains a newline
    /// that would split the row (then quoted), as wc does.
    static func listed(_ path: String) -> String {
        path.contains("\n") ? PathName.quoted(path) : path
    }

    /// Broken pipes become a quiet `EPIPE` error instead of killing the process with SIGPIPE.
    static func ignoreBrokenPipeSignal() { Signals.ignoreBrokenPipe() }

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

extension SluiceError {
    /// The error as the command line reports it: the library names no flag, the CLI adds which
    /// one would help ("use --force" for an existing output file).
    var commandLineDescription: String {
        guard code == "EEXIST" else { return description }
        var hinted = self
        hinted.message += " (use --force to overwrite)"
        return hinted.description
    }
}
