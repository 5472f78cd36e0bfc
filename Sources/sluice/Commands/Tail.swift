import ArgumentParser
import Sluice

struct Tail: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the last lines of each input, in memory bounded by the lines kept.",
        discussion: """
            Compressed streams cannot be read backwards, so the input is decoded to its end; only \
            the last N lines are held, and memory grows with the lines actually kept (counted \
            against --memory-cap), never with N alone. The output is byte for byte what \
            `zcat FILE | tail -n N` prints. A line over --max-line that is not among the last N \
            is read past in bounded memory; one that is among them is an error. On a damaged \
            input the last lines before the fault are printed, then the fault.

            Examples:
              sluice tail app.log.gz
              sluice tail -n 100 big.xz
              sluice tail -n 5000 app.log.gz --to xz > recent.xz
            """)

    @OptionGroup var window: LineWindowOptions

    var decoding: DecodingOptions { window.decoding }

    func run() throws {
        let wanted = window.count.lines
        try window.eachInput { path, out in
            var tail = TailBuffer(count: wanted, budget: RunContext.current.budget, path: path)
            let reader = try window.lineReader(path, longLines: .skip)
            // A fault of the input ends the loop: the last lines read before it are printed, as
            // `zcat | tail` would, then it is reported. A budget error of the window is not caught:
            // it ends the input with nothing printed.
            var fault: SluiceError?
            while true {
                var more = false
                var windowError: SluiceError?
                do throws(SluiceError) {
                    more = try reader.withNextBlock({ (block) throws(SluiceError) -> Void in
                        do throws(SluiceError) {
                            try tail.add(dropped: reader.takeSkippedLines())
                            try tail.add(block: block)
                        } catch {
                            windowError = error
                        }
                    }) != nil
                } catch {
                    fault = error
                }
                if let windowError { throw windowError }
                if !more || fault != nil {
                    try tail.add(dropped: reader.takeSkippedLines())
                    break
                }
            }
            try tail.forEach { line in try out.write(line) }
            if let fault { throw fault }
        }
    }
}
