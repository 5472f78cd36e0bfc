import ArgumentParser
import Sluice

struct Head: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the first lines of each input; stops decoding as soon as it has them.",
        discussion: """
            The output is byte for byte what `zcat FILE | head -n N` prints: `\\r\\n` and a last \
            line without a newline are kept as they are. With several inputs each is preceded by \
            `==> name <==`, as head does.

            Examples:
              sluice head huge.log.xz
              sluice head -n 3 a.gz b.gz
              sluice head -n 100000 huge.log.xz -o sample.gz
            """)

    @OptionGroup var window: LineWindowOptions

    var decoding: DecodingOptions { window.decoding }

    func run() throws {
        let wanted = window.count.lines
        try window.eachInput { path, out in
            let reader = try window.lineReader(path)
            var left = wanted
            // Whole blocks are written as they are, up to and including the last wanted `\n`.
            while left > 0, try reader.withNextBlock({ (block) throws(SluiceError) -> Void in
                let end = block.endOfLines(&left)
                try out.write(block[..<end])
            }) != nil {}
        }
    }
}
