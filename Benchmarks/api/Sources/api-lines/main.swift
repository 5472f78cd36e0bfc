// Counts the lines of one compressed file through the high-level synchronous API (issue 3):
// `try Sluice.lines(of: path).lines { line in … }`, where `line` is a borrowed view valid inside the
// closure. Prints the line count. If the final API spells this differently, adjust this file;
// run.sh reports the probe as "does not compile" and carries on until then.
import Sluice

#if canImport(Glibc)
import Glibc
#endif

guard CommandLine.arguments.count == 2 else {
    complain("usage: api-lines FILE\n")
    exit(2)
}
// In a function, as real code is: top-level variables in main.swift are globals with dynamic
// exclusivity checks on every access.
func countLines(_ path: String) throws -> Int {
    var lines = 0
    try Sluice.lines(of: path).lines { _ in
        lines += 1
    }
    return lines
}

do {
    print(try countLines(CommandLine.arguments[1]))
} catch {
    complain("api-lines: \(error)\n")
    exit(1)
}

/// Writes a message to standard error (the C `stderr` global is not concurrency-safe in Swift 6).
func complain(_ message: String) {
    var text = message
    text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
}
