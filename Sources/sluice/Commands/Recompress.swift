import ArgumentParser
import Sluice

struct Recompress: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Decode each input and encode it again in another format or level, in bounded memory.",
        discussion: """
            Decoding and encoding run on two threads joined by a fixed ring buffer, so nothing is \
            held whole in memory. The output format comes from --to or from the suffix of -o FILE \
            (.gz, .xz, .zz). Without -o, each input gets a new file beside it: a.log.gz becomes \
            a.log.xz. Files are written atomically (a temporary file, synced, renamed into place on \
            success; removed on any error or interrupt) and never replace an existing file without -f.

            -T N runs N encoder threads (parallel gzip blocks as pigz writes them, or xz's \
            multithreaded block encoder) and N decoder threads for multi-block xz input.

            --check-output decodes the written file before it is moved into place and compares its \
            CRC-32 and size with the bytes that went in. --replace removes each input once its \
            output is complete, verified (it implies --check-output) and synced.

            Examples:
              sluice recompress --to xz -l 6 -T 2 app.log.gz        # writes app.log.xz
              sluice recompress -o all.gz -T 4 a.xz b.xz            # one gzip member of both
              sluice recompress --to xz --replace logs/*.gz
              sluice recompress -c --to gz old.xz | ssh host 'cat > old.gz'
            """)

    @OptionGroup var output: OutputOptions

    @OptionGroup var resources: ResourceOptions

    @Option(name: .customShort("l", allowingJoined: true), help: ArgumentHelp("Same as --level.", valueName: "n"))
    var shortLevel: Int?

    @Flag(name: .customShort("f"), help: "Same as --force.")
    var shortForce = false

    @Flag(name: [.customShort("c"), .customLong("stdout")], help: "Write to standard output (same as -o -).")
    var stdout = false

    @Option(name: [.customShort("T", allowingJoined: true), .long], help: "Encoder threads, and decoder threads for multi-block xz input.")
    var threads: Int = 1

    @Option(help: "Engine for decoding gzip input: isal (fast, default) or zlib.")
    var gzipBackend: GzipBackend = .isal

    @Flag(help: "Decode the output before moving it into place and compare CRC-32 and size with the input.")
    var checkOutput = false

    @Flag(help: "Remove each input after its output is complete, verified and synced.")
    var replace = false

    @Argument(help: "Input files; `-` reads standard input (then -o or -c is required).")
    var files: [String] = []

    func validate() throws {
        guard threads >= 1 && threads <= 256 else { throw ValidationError("--threads must be between 1 and 256.") }
        if let shortLevel, !(0...9).contains(shortLevel) { throw ValidationError("-l must be between 0 and 9.") }
        let toStdout = stdout || output.output == "-"
        if files.isEmpty { throw ValidationError("name at least one input file (`-` for standard input).") }
        if output.output == nil && !stdout {
            if output.to == nil { throw ValidationError("say which format to write with --to FORMAT or -o FILE.") }
            if files.contains("-") { throw ValidationError("standard input needs -o FILE or -c.") }
        } else {
            if format == nil {
                throw ValidationError("cannot tell the output format from '\(output.output ?? "-")'; add --to gzip|xz|zlib|deflate.")
            }
            if replace { throw ValidationError("--replace works only without -o/-c (each input replaced by its own output).") }
        }
        if toStdout && checkOutput { throw ValidationError("--check-output needs an output file, not standard output.") }
        if stdout && output.output != nil && output.output != "-" { throw ValidationError("-c and -o FILE contradict each other.") }
    }

    private var format: CompressionFormat? { output.resolvedFormat }
    private var level: Int? { shortLevel ?? output.level }
    private var force: Bool { shortForce || output.force }
    private var verifies: Bool { checkOutput || replace }

    private var encodeOptions: EncodeOptions {
        var options = output.encodeOptions(format!, threads: threads)
        options.level = level
        return options
    }

    private var decodeOptions: DecodeOptions {
        let run = RunContext.current
        var options = DecodeOptions(gzipBackend: gzipBackend, threads: threads, budget: run.budget, counters: run.counters)
        options.notice = { Console.error($0) }
        return options
    }

    func run() throws {
        Console.ignoreBrokenPipeSignal()
        var failed = false
        if stdout || output.output != nil {
            let path = stdout || output.output == "-" ? nil : output.output
            do {
                try transcode(files, to: path, mode: nil)
            } catch {
                if error.isBrokenPipe { throw ExitCode.success }
                Console.error(error.commandLineDescription)
                failed = true
            }
        } else {
            for input in files {
                do {
                    try recompressBeside(input)
                } catch {
                    Console.error(error.commandLineDescription)
                    failed = true
                }
            }
        }
        if failed { throw ExitCode.failure }
    }

    /// One input to a new file beside it (`a.log.gz` → `a.log.xz`); with --replace, the input is
    /// removed afterwards (or replaced in place when the names coincide).
    private func recompressBeside(_ input: String) throws(SluiceError) {
        let target = Encoders.strippingCompressionSuffix(input) + Encoders.suffix(for: format!)!
        let mode = try SystemCalls.permissionBits(of: input)
        let sameFile = PathName.bytes(target) == PathName.bytes(input)
        if sameFile && !(replace || force) {
            throw SluiceError(.usage, "output would replace the input; add --replace (or -f)", path: input)
        }
        try transcode([input], to: target, mode: mode, replacing: sameFile)
        if replace && !sameFile {
            do {
                try SystemCalls.remove(input)
            } catch {
                let reason = error.message.hasPrefix("cannot remove: ") ? String(error.message.dropFirst(15)) : error.message
                throw SluiceError(.io, "output written, but cannot remove the input: " + reason, code: error.code, path: input)
            }
        }
    }

    /// Decodes `inputs` in turn into one encoded output (`path`, or standard output when nil).
    private func transcode(_ inputs: [String], to path: String?, mode: UInt32?,
                           replacing: Bool = false) throws(SluiceError) {
        let target = try OutputTarget.open(path: path, encode: encodeOptions, force: force || replacing,
                                           replaceSymlink: output.replaceSymlink, mode: mode, run: RunContext.current)
        let encoding = target.encoding!
        var checksum: UInt32 = 0
        var count: Int64 = 0
        let progress = target.progress(for: inputs, force: output.progress)
        do throws(SluiceError) {
            for input in inputs {
                let reader = try Decoders.open(input, options: decodeOptions)
                let checked = ChecksummingReader(reader)
                while try encoding.fill(from: checked) > 0 {}
                checksum = CRC32.combine(checksum, checked.checksum.value, lengthOfB: checked.count)
                count += checked.count
            }
        } catch {
            progress.stop()
            target.cancel(error)
            throw error
        }
        progress.stop()
        let expected = checksum
        // The check reads what was written as the format written: raw deflate has no magic number.
        // It is not part of what the run read or decoded, so it counts nothing.
        var decodeOptions = self.decodeOptions
        decodeOptions.format = encodeOptions.format
        decodeOptions.counters = nil
        try target.finish(verify: verifies ? { (temporary: String) throws(SluiceError) in
            try Verification.check(written: temporary, displayPath: target.path, expectedCRC: expected, expectedSize: count,
                                   options: decodeOptions)
        } : nil)
    }
}
