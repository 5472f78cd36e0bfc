import Foundation
import Testing

/// The help of every command, verbatim, as swift-argument-parser's own example tests check theirs:
/// a change to an option, a default or an example shows up here and is reviewed with the change.
/// `SLUICE_UPDATE_HELP=1 swift test --filter HelpTests` rewrites the expected files.
@Suite("Help text")
struct HelpTests {
    static let commands = ["", "cat", "grep", "count", "head", "tail", "test", "info", "recompress", "bench"]

    @Test("sluice help COMMAND prints exactly Tests/SluiceCLITests/Help/COMMAND.txt", arguments: commands)
    func verbatim(command: String) throws {
        let name = command.isEmpty ? "sluice" : command
        let file = CLI.packageRoot.appendingPathComponent("Tests/SluiceCLITests/Help/\(name).txt")
        // A fixed width: argument-parser wraps help to the terminal, or to COLUMNS without one.
        let result = try CLI.run(["help"] + (command.isEmpty ? [] : [command]), environment: ["COLUMNS": "100"])
        #expect(result.status == 0)
        if ProcessInfo.processInfo.environment["SLUICE_UPDATE_HELP"] == "1" {
            try result.stdout.write(to: file, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: file, encoding: .utf8)
        #expect(result.stdout == expected, "sluice help \(command) changed; rerun with SLUICE_UPDATE_HELP=1 and review the diff")
    }
}
