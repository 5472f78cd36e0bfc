/// An opened output: the sink a run writes into, and how to finish or abandon it.
///
///     writer ─▶ [EncodingSink ─▶] WatchedSink ─▶ (AtomicFileSink | DeviceSink | standard output)
///
/// ``finish(verify:)`` ends the encoder, syncs the temporary file, runs the optional check on it,
/// and only then moves it into place. The ``WatchedSink`` remembers the first write failure, so a
/// broken output (a full disk) ends a run with one message instead of failing every input. The
/// encoder's ring and output chunk and the codec are reserved from the run's budget when the
/// target opens, before any input is read. Not thread-safe: one owning thread (the encoder thread
/// and `grep -j` workers write through ``sink`` one at a time).
public final class OutputTarget {
    /// Where a run writes its (plain) bytes.
    public let sink: ByteSink
    /// The encoder stage, when the output is compressed.
    public let encoding: EncodingSink?
    /// The atomic file, when the output is a new regular file.
    public let file: AtomicFileSink?
    /// The path for messages: the file, or `(stdout)`.
    public let path: String
    private let watched: WatchedSink

    private init(sink: ByteSink, encoding: EncodingSink?, file: AtomicFileSink?, watched: WatchedSink, path: String) {
        self.sink = sink
        self.encoding = encoding
        self.file = file
        self.watched = watched
        self.path = path
    }

    /// Opens an output.
    /// - Parameters:
    ///   - path: a file to create atomically, or nil for standard output.
    ///   - encode: how to compress, or nil to write plain bytes. Its threads are first fitted to
    ///     what is left of `budget` (each reduction reported through `notice`).
    ///   - force: replace an existing regular file; write into an existing device or FIFO in place.
    ///   - replaceSymlink: with `force`, replace a symbolic link.
    ///   - mode: permission bits of a new file (default: those of the file replaced, or the umask's).
    ///   - budget: the run's budget; the encoder, its ring and its output chunk are reserved from it.
    ///   - counters: the run's counters, for the bytes written.
    /// - Throws: the file's error (`EEXIST` without `force`…), or a ``SluiceError/Kind/limit``
    ///   error naming the part of the encoder that does not fit, with its size.
    public static func open(path: String?, encode: EncodeOptions?, force: Bool, replaceSymlink: Bool = false,
                            mode: UInt32? = nil, budget: MemoryBudget? = nil, counters: IOCounters? = nil,
                            notice: ((String) -> Void)? = nil) throws(SluiceError) -> OutputTarget {
        let name = path ?? "(stdout)"
        var encode = encode
        if encode != nil {
            encode!.budget = budget
            if let budget {
                do {
                    try Encoders.fit(&encode!, budget: budget, notice: notice)
                } catch {
                    throw error.at(path: name)
                }
            }
        }
        let file: AtomicFileSink?
        let raw: ByteSink
        if let path, force, let device = try DeviceSink.openIfSpecial(path, counters: counters) {
            file = nil
            raw = device
        } else if let path {
            TemporaryFiles.installSignalHandlers()
            let f = try AtomicFileSink(path: path, force: force, replaceSymlink: replaceSymlink, mode: mode, counters: counters)
            file = f
            raw = f
        } else {
            file = nil
            raw = FileDescriptorSink.standardOutput(counters: counters)
        }
        let watched = WatchedSink(raw)
        guard let encode else { return OutputTarget(sink: watched, encoding: nil, file: file, watched: watched, path: name) }
        let encoding: EncodingSink
        do {
            encoding = try EncodingSink(encoder: try Encoders.make(encode), downstream: watched, budget: budget, outputPath: name)
        } catch {
            file?.abort()
            throw error.at(path: name)
        }
        return OutputTarget(sink: encoding, encoding: encoding, file: file, watched: watched, path: name)
    }

    /// Encoded bytes written so far (plain bytes when not encoding).
    public var bytesOut: Int64 {
        if let encoding { return encoding.bytesOut }
        return file?.bytesWritten ?? 0
    }

    /// The output's own failure (a write error, an encoder error), if it has failed; nil while
    /// it is healthy. Read it before ``cancel(_:)``, which fails the encoder on purpose.
    public var failure: SluiceError? { watched.failure ?? encoding?.failure }

    /// Completes the output; `verify` (if any) reads the synced temporary file before it is renamed.
    /// - Throws: the encoder's or the file's failure, or what `verify` throws (the file is then removed).
    public func finish(verify: ((String) throws(SluiceError) -> Void)? = nil) throws(SluiceError) {
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
    public func cancel(_ error: SluiceError) {
        encoding?.cancel(error)
        file?.abort()
    }

    // MARK: Failure policy

    /// What a run should do after a failure.
    public enum Next: Equatable, Sendable {
        /// Report the error and go on with the next input.
        case reportAndContinue(SluiceError)
        /// Report the error and end the run as failed (the output is already abandoned).
        case reportAndEnd(SluiceError)
        /// End quietly as a success: standard output's reader went away (`EPIPE`).
        case endQuietly
    }

    /// The policy of a run that writes one output from several inputs, for an input that failed:
    /// a closed pipe ends the run quietly; a broken output ends it (reported once); anything else
    /// is reported, and then an output file, which must be all or nothing, is abandoned and the run
    /// ends, while a stream to standard output goes on with the next input.
    public func afterInputFailure(_ error: SluiceError) -> Next {
        if let broken = failure { return afterOutputFailure(broken) }
        if error.isBrokenPipe {
            cancel(error)
            return .endQuietly
        }
        if file != nil {
            cancel(error)
            return .reportAndEnd(error)
        }
        return .reportAndContinue(error)
    }

    /// The policy for a broken output: abandoned, and the run ends (quietly for a closed pipe).
    public func afterOutputFailure(_ error: SluiceError) -> Next {
        cancel(error)
        return error.isBrokenPipe ? .endQuietly : .reportAndEnd(error)
    }

    /// ``finish(verify:)`` under the same policy: nil when the output is complete.
    public func finishing() -> Next? {
        do {
            try finish()
            return nil
        } catch {
            return error.isBrokenPipe ? .endQuietly : .reportAndEnd(error)
        }
    }
}

@available(*, unavailable)
extension OutputTarget: Sendable {}
