#if canImport(Glibc)
import Glibc
#endif
import Sluice

/// Messages to standard error and the exit-status convention shared by all commands.
enum Console {
    /// Prints `sluice: <message>` as one line on standard error.
    static func error(_ message: String) {
        var line = (ProgressTicker.isDrawing ? "\r\u{1B}[K" : "") + "sluice: " + message + "\n"
        line.withUTF8 { bytes in
            _ = try? SystemCalls.writeAll(2, UnsafeRawBufferPointer(bytes), path: "(stderr)")
        }
    }

    /// Writes `text` plus a newline to standard output.
    static func output(_ text: String) throws {
        var line = text + "\n"
        try line.withUTF8 { bytes in
            try SystemCalls.writeAll(1, UnsafeRawBufferPointer(bytes), path: "(stdout)")
        }
    }

    /// Broken pipes become a quiet `EPIPE` error instead of killing the process with SIGPIPE.
    static func ignoreBrokenPipeSignal() { signal(SIGPIPE, SIG_IGN) }

    /// Inputs from the command line: none means standard input.
    static func inputs(_ files: [String]) -> [String] { files.isEmpty ? ["-"] : files }
}
