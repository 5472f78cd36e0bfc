import SluiceCore
import SluiceCodecs
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The limits every fuzz run decodes under. A decoder must stay inside them on any input: fail
/// with an error instead of allocating past the cap, and never need more than the output limit to
/// show a bug (the run stops there and only compares what it has).
public enum FuzzLimits {
    /// The memory budget handed to the decoder (buffers and codec heap).
    public static let memoryCap = ByteCount.mebibytes(128)
    /// Decoded bytes after which a run stops reading.
    public static let outputLimit = 64 << 20
}

/// How an input reaches the decoder.
enum Windows {
    /// A 128 KiB input buffer filled in one read, 64 KiB of output space per call: the CLI's shape.
    case large
    /// Input buffer size, read sizes and output windows from the input's ``WindowSchedule``.
    case small
}

/// What decoding one input to its end gave: the bytes before any fault, and the fault.
struct DecodeRun {
    var label: String
    var output: [UInt8] = []
    var error: SluiceError?
    var format: CompressionFormat?
    /// The reader's compressed offset when it stopped.
    var consumed: Int64 = 0
    /// Stopped at ``FuzzLimits/outputLimit`` before the end.
    var capped = false
    /// `Decoders.open` succeeded.
    var opened = false

    var succeeded: Bool { opened && error == nil && !capped }
    var outcome: String { capped ? "stopped at the output limit" : error.map { "failed: \($0)" } ?? "succeeded" }
}

/// Decodes `input` to its end (or the output limit) through `Decoders.open`, checking the reader's
/// contract on the way; each broken promise is appended to `problems` as one sentence.
///
/// The contract: a read never returns more than asked; after a fault every later read throws the
/// same fault; a data error names a compressed offset within the input; a clean end means every
/// input byte was consumed (nothing after a stream is silently ignored; lzip excepted, as `lzip -t`
/// ignores trailing data) and reading again gives 0;
/// `decodedBytes` counts what was handed out; and once the reader is gone the memory budget is
/// back to zero.
func decodeAll(_ input: [UInt8], format: CompressionFormat?, backend: GzipBackend = .isal,
               windows: Windows, label: String, problems: inout [String]) -> DecodeRun {
    let budget = MemoryBudget(cap: FuzzLimits.memoryCap)
    var run = DecodeRun(label: label)
    decode(input, format: format, backend: backend, windows: windows, budget: budget, into: &run, problems: &problems)
    if budget.used.bytes != 0 {
        problems.append("\(label): \(budget.used.bytes) bytes of the memory budget still in use after the reader was released")
    }
    dump(run)
    return run
}

/// With `SLUICE_FUZZ_DUMP=DIR` in the environment, writes each run's output to `DIR/<label>.out`,
/// to compare with a reference tool (`xz -dc`, `gzip -dc`) when a replay fails.
private func dump(_ run: DecodeRun) {
    guard let dir = getenv("SLUICE_FUZZ_DUMP") else { return }
    let path = String(cString: dir) + "/" + String(run.label.map { $0 == " " ? "-" : $0 }) + ".out"
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard fd >= 0 else { return }
    defer { close(fd) }
    run.output.withUnsafeBytes { bytes in
        var done = 0
        while done < bytes.count {
            let n = write(fd, bytes.baseAddress! + done, bytes.count - done)
            if n <= 0 { return }
            done += n
        }
    }
}

private func decode(_ input: [UInt8], format: CompressionFormat?, backend: GzipBackend, windows: Windows,
                    budget: MemoryBudget, into run: inout DecodeRun, problems: inout [String]) {
    let label = run.label
    var options = DecodeOptions(format: format, gzipBackend: backend, budget: budget)
    let source: MemorySource
    var outputWindows: WindowSchedule?
    switch windows {
    case .large:
        source = MemorySource(input)
    case .small:
        var sizes = WindowSchedule(seededBy: input, salt: 1)
        options.chunkSize = .bytes(sizes.next())
        source = MemorySource(input, schedule: WindowSchedule(seededBy: input, salt: 2))
        outputWindows = WindowSchedule(seededBy: input, salt: 3)
    }
    let reader: DecodingReader
    do {
        reader = try Decoders.open(source: source, path: "fuzz-input", options: options)
    } catch {
        run.error = error
        checkOffset(of: error, inputSize: input.count, label: label, problems: &problems)
        return
    }
    run.opened = true
    run.format = reader.format
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 << 10, alignment: 64)
    defer { buffer.deallocate() }
    while true {
        let window = outputWindows?.next() ?? buffer.count
        let n: Int
        do {
            n = try reader.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[..<window]))
        } catch {
            run.error = error
            break
        }
        if n < 0 || n > window {
            problems.append("\(label): read returned \(n) for a \(window)-byte window")
            return
        }
        if n == 0 { break }
        run.output.append(contentsOf: buffer[..<n])
        if run.output.count >= FuzzLimits.outputLimit {
            run.capped = true
            break
        }
    }
    run.consumed = reader.compressedOffset
    if reader.compressedOffset > Int64(input.count) {
        problems.append("\(label): compressed offset \(reader.compressedOffset) is past the end of the \(input.count)-byte input")
    }
    if reader.decodedBytes != Int64(run.output.count) {
        problems.append("\(label): decodedBytes is \(reader.decodedBytes) but \(run.output.count) bytes were handed out")
    }
    if run.capped { return }
    if let error = run.error {
        checkOffset(of: error, inputSize: input.count, label: label, problems: &problems)
        do {
            let n = try reader.read(into: buffer)
            problems.append("\(label): read returned \(n) after the fault \(error)")
        } catch {
            if error != run.error! {
                problems.append("\(label): a second read threw \(error), not the first fault \(run.error!)")
            }
        }
        return
    }
    if !reader.isFinished {
        problems.append("\(label): read returned 0 but the reader is not finished")
    }
    // lzip is the one format whose reference tool ignores trailing data after the last member.
    if reader.compressedOffset != Int64(input.count) && reader.format != .lzip {
        problems.append("\(label): decoded as \(reader.format.rawValue) and ended cleanly at compressed byte \(reader.compressedOffset) of \(input.count): the rest was ignored silently")
    }
    do {
        let n = try reader.read(into: buffer)
        if n != 0 { problems.append("\(label): read returned \(n) bytes after the end") }
    } catch {
        problems.append("\(label): read threw \(error) after a clean end")
    }
}

/// Data errors must say where they were found, within the input; limits may not have an offset.
private func checkOffset(of error: SluiceError, inputSize: Int, label: String, problems: inout [String]) {
    switch error.kind {
    case .truncated, .corrupt, .trailingGarbage, .unsupported:
        guard let offset = error.offset else {
            problems.append("\(label): error without a compressed offset: \(error)")
            return
        }
        if offset < 0 || offset > Int64(inputSize) {
            problems.append("\(label): error offset \(offset) outside the \(inputSize)-byte input: \(error)")
        }
    case .limit:
        break
    case .io, .usage:
        problems.append("\(label): unexpected \(error.kind.rawValue) error from an in-memory input: \(error)")
    }
}

/// Compares two runs: each output must be a prefix of the other; unless either stopped at the
/// output limit, they must agree on success, and two successes must have the same output.
/// With `exact`, two failures must also agree on the output and the kind of fault (the same
/// decoder under different windows).
func compare(_ a: DecodeRun, _ b: DecodeRun, exact: Bool, problems: inout [String]) {
    let common = min(a.output.count, b.output.count)
    let mismatch = a.output.withUnsafeBufferPointer { x in
        b.output.withUnsafeBufferPointer { y in
            (0..<common).first { x[$0] != y[$0] }
        }
    }
    if let mismatch {
        problems.append("\(a.label) and \(b.label) differ at decoded byte \(mismatch) (\(a.output.count) and \(b.output.count) bytes; \(a.label) \(a.outcome); \(b.label) \(b.outcome))")
        return
    }
    if a.capped || b.capped { return }
    if (a.error == nil) != (b.error == nil) {
        problems.append("\(a.label) \(a.outcome) with \(a.output.count) bytes, but \(b.label) \(b.outcome) with \(b.output.count) bytes")
        return
    }
    if a.error == nil || exact, a.output.count != b.output.count {
        problems.append("\(a.label) gave \(a.output.count) bytes and \(b.label) \(b.output.count) (\(a.label) \(a.outcome); \(b.label) \(b.outcome))")
        return
    }
    if exact, let x = a.error, let y = b.error, x.kind != y.kind {
        problems.append("\(a.label) failed as \(x.kind.rawValue) (\(x)) but \(b.label) as \(y.kind.rawValue) (\(y))")
    }
    if exact, a.format != b.format {
        problems.append("\(a.label) detected \(a.format?.rawValue ?? "nothing") but \(b.label) \(b.format?.rawValue ?? "nothing")")
    }
}

/// zlib is the reference: where it finds the stream invalid, no other engine may hand out a byte
/// past that point, since nothing there is part of the true decoding (an engine may stop earlier).
///
/// One exception: zlib rejects a dynamic block whose Huffman code set is incomplete or
/// over-subscribed ("invalid code lengths set", "invalid literal/lengths set", "invalid
/// distances set"), a check RFC 1951 does not demand; ISA-L builds its tables from such a header
/// and decodes with them. Those bytes are the stream's own symbols under its own codes, not bytes
/// from elsewhere, so the verdicts must still agree and zlib's output must still be a prefix, but
/// ISA-L may go on further.
func checkNotPast(_ candidate: DecodeRun, reference: DecodeRun, problems: inout [String]) {
    guard !candidate.capped, !reference.capped, let fault = reference.error,
          candidate.output.count > reference.output.count else { return }
    let lenientHeader = ["invalid code lengths set", "invalid literal/lengths set", "invalid distances set"]
    if lenientHeader.contains(where: { fault.message.hasPrefix($0) }) { return }
    problems.append("\(candidate.label) handed out \(candidate.output.count - reference.output.count) bytes past decoded byte \(reference.output.count), where \(reference.label) found the stream invalid (\(fault))")
}
