import ArgumentParser
import Sluice

/// A reporting command's words for its `--json` flag.
protocol JSONReport {
    static var jsonHelp: String { get }
}

/// What the reporting commands (count, test, info) share: the decoding options, `--json`, the
/// inputs, and the loop that reports each bad input on one line and ends with exit 1 if any was bad.
struct ReportedInputs<Command: JSONReport>: ParsableArguments {
    @OptionGroup var decoding: DecodingOptions

    @Flag(help: ArgumentHelp(Command.jsonHelp))
    var json = false

    @Argument(help: "Input files; `-` or none reads standard input.")
    var files: [String] = []

    /// The inputs: none means standard input.
    var paths: [String] { Console.inputs(files) }

    /// Calls `body` for each input in turn; `body` reports a bad input itself (one line) and
    /// returns false, and the next input runs. What `body` throws (a write error on standard
    /// output) ends the command with one line (see `SluiceCommand`). `then` runs after the last
    /// input (a total), before a bad input makes the exit status 1.
    func each(_ body: (String) throws -> Bool, then: () throws -> Void = {}) throws {
        Console.ignoreBrokenPipeSignal()
        var failed = false
        for path in paths where try !body(path) { failed = true }
        try then()
        if failed { throw ExitCode.failure }
    }
}
