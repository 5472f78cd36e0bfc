#if canImport(Glibc)
import Glibc
#endif
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
                              force: force, replaceSymlink: replaceSymlink, mode: mode)
    }

    /// ``openTarget(threads:mode:)`` for a command's `run`: a failure is one line on stderr and
    /// ends the command with `failureCode` (1; grep's is 2).
    func openTargetOrExit(threads: Int, failureCode: Int32 = 1) throws -> OutputTarget {
        do {
            return try openTarget(threads: threads)
        } catch {
            Console.error(error.description)
            throw ExitCode(failureCode)
        }
    }
}

/// An opened output: the sink commands write into, and how to finish or abandon it.
///
///     writer ─▶ [EncodingSink ─▶] WatchedSink ─▶ (AtomicFileSink | standard output)
///
/// ``finish(verify:)`` ends the encoder, syncs the temporary file, runs the optional check on it,
/// and only then moves it into place. The ``WatchedSink`` remembers the first write failure, so a
/// broken output (a full disk) ends the command with one line instead of failing every input.
final class OutputTarget {
    let sink: ByteSink
    let encoding: EncodingSink?
    let file: AtomicFileSink?
    /// The path for messages: the file, or `(stdout)`.
    let path: String
    private let watched: WatchedSink

    private init(sink: ByteSink, encoding: EncodingSink?, file: AtomicFileSink?, watched: WatchedSink, path: String) {
        self.sink = sink
        self.encoding = encoding
        self.file = file
        self.watched = watched
        self.path = path
    }

    /// - Parameters:
    ///   - path: a file to create atomically, or nil for standard output.
    ///   - encode: how to compress, or nil to write plain bytes.
    ///   - force: replace an existing regular file; write into an existing device or FIFO in place.
    ///   - replaceSymlink: with `force`, replace a symbolic link.
    static func open(path: String?, encode: EncodeOptions?, force: Bool, replaceSymlink: Bool = false,
                     mode: UInt32?) throws(SluiceError) -> OutputTarget {
        var encode = encode
        if encode != nil {
            encode!.budget = MemoryBudget.shared
            do {
                try Encoders.fit(&encode!, budget: MemoryBudget.shared, notice: { Console.error($0) })
            } catch {
                throw error.at(path: path ?? "(stdout)")
            }
        }
        let file: AtomicFileSink?
        let raw: ByteSink
        if let path, force, let device = try DeviceSink.openIfSpecial(path) {
            file = nil
            raw = device
        } else if let path {
            TemporaryFiles.installSignalHandlers()
            let f = try AtomicFileSink(path: path, force: force, replaceSymlink: replaceSymlink, mode: mode)
            file = f
            raw = f
        } else {
            file = nil
            raw = FileDescriptorSink.standardOutput()
        }
        let watched = WatchedSink(raw)
        let name = path ?? "(stdout)"
        guard let encode else { return OutputTarget(sink: watched, encoding: nil, file: file, watched: watched, path: name) }
        let encoder: StreamEncoder
        do {
            encoder = try Encoders.make(encode)
        } catch {
            throw error.at(path: name)
        }
        let encoding = EncodingSink(encoder: encoder, downstream: watched, outputPath: name)
        return OutputTarget(sink: encoding, encoding: encoding, file: file, watched: watched, path: name)
    }

    /// Encoded bytes written so far (plain bytes when not encoding).
    var bytesOut: Int64 {
        if let encoding { return encoding.bytesOut }
        return file?.bytesWritten ?? 0
    }

    /// The output's own failure (a write error, an encoder error), if it has failed; nil while
    /// it is healthy. Read it before ``cancel(_:)``, which fails the encoder on purpose.
    var failure: SluiceError? { watched.failure ?? encoding?.failure }

    /// Completes the output; `verify` (if any) reads the synced temporary file before it is renamed.
    func finish(verify: ((String) throws(SluiceError) -> Void)? = nil) throws(SluiceError) {
        if let encoding { try encoding.finishEncoding() }
        guard let file else { try watched.finish(); return }
        try file.sync()
        if let verify {
            do {
                try verify(file.temporaryPath)
            } catch {
                file.abort()
                throw error
            }
        }
        try file.finish()
    }

    /// Abandons the output: stops the encoder, deletes the temporary file.
    func cancel(_ error: SluiceError) {
        encoding?.cancel(error)
        file?.abort()
    }

    /// The policy of the commands that write one output from several inputs (cat, head, tail) for
    /// an input that failed: a closed pipe ends the command quietly; a broken output is reported
    /// once and ends the command with `failureCode`; anything else is reported, and then an output
    /// file, which must be all or nothing, is abandoned and the command ends with `failureCode`,
    /// while a stream to stdout returns so the next input is processed.
    func inputFailed(_ error: SluiceError, failureCode: Int32 = 1) throws {
        if let broken = failure { try outputFailed(broken, failureCode: failureCode) }
        if error.isBrokenPipe {
            cancel(error)
            throw ExitCode.success
        }
        Console.error(error.description)
        if file != nil {
            cancel(error)
            throw ExitCode(failureCode)
        }
    }

    /// Ends the command for a broken output: quietly (exit 0) for a closed pipe, else with one
    /// line and `failureCode`; the output is abandoned either way.
    func outputFailed(_ error: SluiceError, failureCode: Int32 = 1) throws -> Never {
        cancel(error)
        if error.isBrokenPipe { throw ExitCode.success }
        Console.error(error.description)
        throw ExitCode(failureCode)
    }

    /// ``finish(verify:)`` for a command's `run`: a closed pipe is a quiet success, any other
    /// failure one line on stderr and `failureCode` (1; grep's is 2).
    func finishOrExit(failureCode: Int32 = 1) throws {
        do {
            try finish()
        } catch {
            if error.isBrokenPipe { throw ExitCode.success }
            Console.error(error.description)
            throw ExitCode(failureCode)
        }
    }
}

extension OutputTarget {
    /// A progress line for writing this output, fed from the I/O counters on its own thread.
    ///
    /// Shown when `force` says so (`--progress`/`--no-progress`), else when stderr is a terminal
    /// and the output is a file (`-o FILE`, or standard output redirected to one): a line on a
    /// terminal would mix with output on that terminal or with a pipe's reader drawing on it.
    func progress(for inputs: [String], force: Bool?) -> ProgressTicker {
        var st = stat()
        let stdoutIsFile = fstat(1, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG
        let enabled = force ?? (isatty(2) == 1 && (file != nil || stdoutIsFile))
        let label = inputs.count == 1 ? (inputs[0] == "-" ? "(stdin)" : inputs[0]) : path
        return ProgressTicker(label: label, totalInput: Self.totalSize(of: inputs), enabled: enabled)
    }

    /// The summed size of `paths` when every one is a regular file, else nil.
    static func totalSize(of paths: [String]) -> Int64? {
        var total: Int64 = 0
        for path in paths {
            var st = stat()
            guard path != "-", PathName.withCString(path, { stat($0, &st) }) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
            total += Int64(st.st_size)
        }
        return total
    }
}
