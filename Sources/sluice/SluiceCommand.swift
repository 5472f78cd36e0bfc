import ArgumentParser
import Sluice

/// The root command only configures; each subcommand lives in its own file under Commands/.
@main
struct SluiceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sluice",
        abstract: "Stream compressed data: decode, search and recompress in bounded memory.",
        discussion: """
            Formats are detected from the magic bytes, never from the file name: gzip (ISA-L or zlib), \
            zlib, xz, lzip and legacy .lzma; plain input passes through. Every command reads its \
            inputs as streams, so memory stays flat however large they are. `-` means standard input.

            Exit status: 0 success, 1 a data or I/O error in any input (the others are still \
            processed), 2 a usage error.

            Examples:
              sluice cat access.log.gz | less
              sluice test --json logs/*.gz
              sluice info archive.xz
            """,
        version: "0.1.0",
        subcommands: [Cat.self, Grep.self, Count.self, Head.self, Tail.self, Recompress.self, Test.self, Info.self, Bench.self]
    )

    /// Like ArgumentParser's `main()`, except that every failure is one line starting `sluice: `:
    /// usage errors exit with 2, as gzip, xz and grep do (ArgumentParser's default is 64, EX_USAGE,
    /// on two lines), and a ``SluiceError`` no command caught (a write error on standard output
    /// from `count --json`, `info`…) is printed like any other instead of ArgumentParser's `Error:`.
    static func main() {
        var grepLike = false
        // SIGINT, SIGTERM, SIGHUP and SIGQUIT end the run cleanly from the start (temporary files
        // removed); a file-size limit (ulimit -f) is a write error with the usual cleanup (EFBIG),
        // not a silent kill that leaves a temporary file behind.
        TemporaryFiles.installSignalHandlers()
        Signals.ignoreFileSizeLimit()
        var failure: Error?
        do {
            // `--stats=json` is an optional value ArgumentParser cannot express; spell it as a flag.
            // argv is bytes (see PathName): a non-UTF-8 file name must still open.
            var arguments = PathName.commandLineArguments.map { $0 == "--stats=json" ? "--stats-json" : $0 }
            if arguments.first == "grep" { arguments = ["grep"] + GrepArguments.normalize(Array(arguments.dropFirst())) }
            var command = try parseAsRoot(arguments)
            grepLike = command is Grep
            if let reading = command as? ReadsInputs { reading.decoding.activate() }
            if let recompress = command as? Recompress { recompress.resources.activate() }
            try command.run()
        } catch let error as SluiceError {
            if !error.isBrokenPipe {
                Console.error(error.description)
                failure = ExitCode(grepLike ? 2 : 1)
            }
        } catch {
            if exitCode(for: error) == .validationFailure {
                Console.error(Console.oneLine(message(for: error)) + " (see 'sluice --help')")
                failure = ExitCode(2)
            } else {
                failure = error
            }
        }
        // --stats: what the run cost, however it ended (a signal ends it without a report).
        RunContext.current.statistics?.report(RunContext.current)
        exit(withError: failure)
    }
}

/// Commands that take the shared decoding options (and with them --memory-cap and --stats).
protocol ReadsInputs {
    var decoding: DecodingOptions { get }
}

extension Cat: ReadsInputs {}
extension Grep: ReadsInputs {}
extension Count: ReadsInputs {}
extension Head: ReadsInputs {}
extension Tail: ReadsInputs {}
extension Test: ReadsInputs {}
extension Info: ReadsInputs {}
