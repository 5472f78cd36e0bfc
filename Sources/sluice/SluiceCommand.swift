import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif

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
        subcommands: [Cat.self, Grep.self, Count.self, Head.self, Tail.self, Test.self, Info.self]
    )

    /// Like ArgumentParser's `main()`, except that usage errors exit with 2, as gzip, xz and grep do
    /// (ArgumentParser's default is 64, EX_USAGE).
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            if exitCode(for: error) == .validationFailure {
                Console.error(message(for: error))
                Console.error("see 'sluice --help' or 'sluice help <command>'")
                Glibc.exit(2)
            }
            exit(withError: error)
        }
    }
}
