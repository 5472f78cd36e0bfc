import ArgumentParser
import Sluice
import SluiceReports

extension XzCheck: ExpressibleByArgument {}
/// `--gzip-encoder`: a ``GzipBackend``, or `auto` (nil: ISA-L for levels 1–2, zlib above).
enum GzipEncoderChoice: String, CaseIterable, ExpressibleByArgument {
    case auto, isal, zlib
    var backend: GzipBackend? { GzipBackend(rawValue: rawValue) }
}

/// A format Sluice can write, by its name or its usual suffix.
enum WritableFormat: String, ExpressibleByArgument, CaseIterable {
    case gzip, gz, xz, zlib, zz, deflate

    var format: CompressionFormat {
        switch self {
        case .gzip, .gz: return .gzip
        case .xz: return .xz
        case .zlib, .zz: return .zlib
        case .deflate: return .deflate
        }
    }
}

/// The names of the output-file option: `-o FILE` / `--output FILE` in cat, head, tail and
/// recompress; `--output FILE` alone in grep, where `-o` is GNU grep's `--only-matching`.
protocol OutputFileNaming {
    static var names: NameSpecification { get }
}
enum OutputFileShortAndLong: OutputFileNaming { static var names: NameSpecification { [.customShort("o"), .long] } }
enum OutputFileLongOnly: OutputFileNaming { static var names: NameSpecification { [.long] } }

/// The output options of cat, head, tail and recompress.
typealias OutputOptions = OutputOptionsNamed<OutputFileShortAndLong>

/// Options every command that writes data shares (`cat`, `grep`, `recompress`), pulled in with
/// `@OptionGroup`. Short names are left to each command: `-l`, `-f`, `-c` mean other things in grep.
struct OutputOptionsNamed<Naming: OutputFileNaming>: ParsableArguments {
    @Option(help: ArgumentHelp("Compress the output: gzip (gz), xz, zlib (zz) or deflate.", valueName: "format"))
    var to: WritableFormat?

    @Option(name: Naming.names,
            help: ArgumentHelp("""
                Write to this file instead of standard output, atomically: a temporary file beside it is \
                synced and renamed into place only on success. The format comes from --to or the \
                suffix (.gz, .xz, .zz); `-` is standard output.
                """, valueName: "file"))
    var output: String?

    @Option(help: ArgumentHelp("Compression level: gzip/zlib 0-9, xz 0-9 (default 6).", valueName: "n"))
    var level: Int?

    @Flag(help: """
        Replace an existing output file, keeping its permission bits. A device or FIFO is written \
        into in place, as `cat > FILE` would: not atomically. A symbolic link is not replaced \
        unless --replace-symlink is given.
        """)
    var force = false

    @Flag(help: "With --force, replace a symbolic link at the output path by the new file (its target is left alone).")
    var replaceSymlink = false

    @Flag(help: "xz: the extreme variant of the level (xz -e): slower, a little smaller.")
    var extreme = false

    @Option(help: "xz: the integrity check (default crc64, as xz).")
    var xzCheck: XzCheck = .crc64

    @Option(help: ArgumentHelp("xz with several threads: uncompressed bytes per block (default half the dictionary, 1 MiB at least: flat memory; xz uses 3 ×).",
                               valueName: "size"))
    var blockSize: ByteCount?

    @Option(help: "gzip with one thread: auto (ISA-L for levels 1-2, zlib above), isal or zlib.")
    var gzipEncoder: GzipEncoderChoice = .auto

    @Flag(inversion: .prefixedNo,
          help: "Show a progress line on standard error (default: when it is a terminal and the work takes over a second).")
    var progress: Bool?

    func validate() throws {
        if let level, !(0...9).contains(level) { throw ValidationError("--level must be between 0 and 9.") }
        if let blockSize, blockSize.bytes < 1024 { throw ValidationError("--block-size must be at least 1KiB.") }
        if output?.isEmpty == true { throw ValidationError("--output needs a file name (`-` for standard output).") }
        // A name that promises a format Sluice cannot write yet would silently hold plain text.
        if to == nil, let output, let suffix = output.split(separator: ".").last, output.contains("."),
           let format = ["bz2": "bzip2", "zst": "zstd", "lz4": "lz4", "lz": "lzip", "lzma": "lzma", "z": "compress"][String(suffix).lowercased()] {
            throw ValidationError("cannot write \(format) yet: '\(output)' would hold plain text; use a .gz, .xz or .zz name, or --to.")
        }
    }

    /// Whether output goes to standard output.
    var toStandardOutput: Bool { output == nil || output == "-" }

    /// The output format: `--to`, else the suffix of `-o FILE`, else nil (no compression).
    var resolvedFormat: CompressionFormat? {
        if let to { return to.format }
        if let output, output != "-" { return Encoders.format(forFileName: output) }
        return nil
    }

    func encodeOptions(_ format: CompressionFormat, threads: Int) -> EncodeOptions {
        EncodeOptions(format: format, level: level, threads: threads, extreme: extreme, xzCheck: xzCheck,
                      blockSize: blockSize, gzipBackend: gzipEncoder.backend)
    }

    /// Hook for `grep`/`cat`: opens the output this command line asks for (standard output or an
    /// atomic file, encoded or not).
    func openTarget(threads: Int, mode: UInt32? = nil) throws(SluiceError) -> OutputTarget {
        try OutputTarget.open(path: toStandardOutput ? nil : output, encode: resolvedFormat.map { encodeOptions($0, threads: threads) },
                              force: force, replaceSymlink: replaceSymlink, mode: mode, run: RunContext.current)
    }

    /// ``openTarget(threads:mode:)`` for a command's `run`: a failure is one line on stderr and
    /// ends the command with `failureCode` (1; grep's is 2).
    func openTargetOrExit(threads: Int, failureCode: Int32 = 1) throws -> OutputTarget {
        do {
            return try openTarget(threads: threads)
        } catch {
            Console.error(error.commandLineDescription)
            throw ExitCode(failureCode)
        }
    }
}

extension OutputTarget {
    /// Opens an output for this process's run: its budget and counters, notices on stderr.
    static func open(path: String?, encode: EncodeOptions?, force: Bool, replaceSymlink: Bool = false,
                     mode: UInt32?, run: RunContext) throws(SluiceError) -> OutputTarget {
        try open(path: path, encode: encode, force: force, replaceSymlink: replaceSymlink, mode: mode,
                 budget: run.budget, counters: run.counters, notice: { Console.error($0) })
    }

    /// Carries out the library's failure policy in a command: a line on stderr, an exit status.
    /// Returns only for ``OutputTarget/Next/reportAndContinue(_:)``.
    func follow(_ next: Next, failureCode: Int32) throws {
        switch next {
        case .endQuietly:
            throw ExitCode.success
        case .reportAndEnd(let error):
            Console.error(error.description)
            throw ExitCode(failureCode)
        case .reportAndContinue(let error):
            Console.error(error.description)
        }
    }

    /// The policy of the commands that write one output from several inputs (cat, head, tail) for
    /// an input that failed (see ``afterInputFailure(_:)``): returns when the next input should run.
    func inputFailed(_ error: SluiceError, failureCode: Int32 = 1) throws {
        try follow(afterInputFailure(error), failureCode: failureCode)
    }

    /// Ends the command for a broken output: quietly (exit 0) for a closed pipe, else with one
    /// line and `failureCode`; the output is abandoned either way.
    func outputFailed(_ error: SluiceError, failureCode: Int32 = 1) throws -> Never {
        try follow(afterOutputFailure(error), failureCode: failureCode)
        fatalError("afterOutputFailure always ends the run")
    }

    /// ``finish(verify:)`` for a command's `run`: a closed pipe is a quiet success, any other
    /// failure one line on stderr and `failureCode` (1; grep's is 2).
    func finishOrExit(failureCode: Int32 = 1) throws {
        if let next = finishing() { try follow(next, failureCode: failureCode) }
    }

    /// A progress line for writing this output, fed from the run's counters on its own thread.
    ///
    /// Shown when `force` says so (`--progress`/`--no-progress`), else when stderr is a terminal
    /// and the output is a file (`-o FILE`, or standard output redirected to one): a line on a
    /// terminal would mix with output on that terminal or with a pipe's reader drawing on it.
    func progress(for inputs: [String], force: Bool?) -> ProgressTicker {
        let stdoutIsFile = SystemCalls.regularFileSize(1) != nil
        let enabled = force ?? (SystemCalls.isTerminal(2) && (file != nil || stdoutIsFile))
        let label = inputs.count == 1 ? (inputs[0] == "-" ? "(stdin)" : inputs[0]) : path
        return ProgressTicker(label: label, totalInput: Self.totalSize(of: inputs), counters: RunContext.current.counters,
                              enabled: enabled)
    }

    /// The summed size of `paths` when every one is a regular file, else nil.
    static func totalSize(of paths: [String]) -> Int64? {
        var total: Int64 = 0
        for path in paths {
            guard path != "-", let size = SystemCalls.regularFileSizeOf(path: path) else { return nil }
            total += size
        }
        return total
    }
}

extension OrderedRunner {
    /// ``run(_:workers:stopOnFirstSuccess:destination:budget:reportError:_:)`` for this process's
    /// run: its budget, errors on stderr.
    static func run(_ inputs: [String], workers: Int, stopOnFirstSuccess: Bool = false,
                    destination: ByteSink = FileDescriptorSink.standardOutput(counters: RunContext.current.counters),
                    _ job: @escaping @Sendable (String, BufferedWriter) throws -> Bool) -> Outcome {
        run(inputs, workers: workers, stopOnFirstSuccess: stopOnFirstSuccess, destination: destination,
            budget: RunContext.current.budget, reportError: { Console.error($0.description) }, job)
    }
}
