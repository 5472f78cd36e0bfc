// Counts the lines of one compressed file through the library's line framer, the way a Swift
// user who wants every line would: decode with `Decoders.open`, frame with `LineReader`, walk each
// block with `forEachLine`. Prints "<lines> <bytes>". Lines are borrowed views, never copied.
import Sluice

#if canImport(Glibc)
import Glibc
#endif

guard CommandLine.arguments.count == 2 else {
    complain("usage: api-lines-framer FILE\n")
    exit(2)
}
// The loop lives in a function: top-level variables in main.swift are globals, and every access to
// a global pays a dynamic exclusivity check, which would measure Swift's globals, not the framer.
func countLines(_ path: String) throws -> (lines: Int, bytes: Int) {
    let reader = try LineReader(Decoders.open(path), path: path)
    var lines = 0
    var bytes = 0
    while try reader.withNextBlock({ block in
        bytes += block.count
        block.forEachLine { _ in
            lines += 1
            return true
        }
    }) != nil {}
    return (lines, bytes)
}

do {
    let (lines, bytes) = try countLines(CommandLine.arguments[1])
    print(lines, bytes)
} catch {
    complain("api-lines-framer: \(error)\n")
    exit(1)
}

/// Writes a message to standard error (the C `stderr` global is not concurrency-safe in Swift 6).
func complain(_ message: String) {
    var text = message
    text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
}
