import SluiceCore

/// Decoding an input to its end without keeping the output: what `sluice test` reports per input,
/// and how `recompress --check-output` checks the file it wrote. One implementation for both.
public struct Verification: Sendable {
    public var path: String
    /// What the decoder learned (nil when the input could not be opened).
    public var report: DecodeReport?
    /// The first fault, if any.
    public var error: SluiceError?
    /// CRC-32 and length of everything decoded before any fault.
    public var checksum = CRC32()
    public var decodedBytes: Int64 = 0

    public init(path: String) { self.path = path }

    /// The message for input that is not compressed at all.
    public static let notCompressedMessage = "not compressed data (no gzip, zlib, xz, lzip or lzma magic number)"

    /// Decodes `path` to its end (`Decoders.open`, then reads into one 256 KiB buffer, reserved
    /// from `options.budget`), keeping the CRC-32 of the output. With `requireCompressed`, plain
    /// data (detected as such, or a zlib or .lzma guess that did not hold) is a
    /// ``SluiceError/Kind/corrupt`` "not compressed data" error, unless `options.format` forces a format.
    /// Never throws: the outcome carries the error.
    public static func verify(_ path: String, options: DecodeOptions, requireCompressed: Bool = true) -> Verification {
        let reader: DecodingReader
        do {
            reader = try Decoders.open(path, options: options)
        } catch {
            var outcome = Verification(path: path)
            outcome.error = error
            return outcome
        }
        return verify(reader, options: options, requireCompressed: requireCompressed)
    }

    /// Like ``verify(_:options:requireCompressed:)`` over a reader already open (`requireCompressed`
    /// defaults to false: whatever the reader decodes is fine).
    public static func verify(_ reader: DecodingReader, options: DecodeOptions, requireCompressed: Bool = false) -> Verification {
        let path = reader.path
        var outcome = Verification(path: path)
        let notCompressed = SluiceError(.corrupt, notCompressedMessage, offset: 0, path: path)
        let mustBeCompressed = requireCompressed && options.format == nil
        if mustBeCompressed && reader.format == .plain {
            outcome.report = reader.report
            outcome.error = notCompressed
            return outcome
        }
        do {
            try drain(reader, into: &outcome, budget: options.budget)
        } catch {
            outcome.error = error
        }
        outcome.report = reader.report
        if mustBeCompressed && reader.format == .plain {
            outcome.error = notCompressed  // a zlib or .lzma guess that did not hold
        }
        return outcome
    }

    /// Decodes a file just written and compares its length and CRC-32 with what went into the
    /// encoder (`recompress --check-output`). Throws naming `displayPath` (the final name, not the
    /// temporary file's), with "output check failed: " before the fault.
    public static func check(written path: String, displayPath: String, expectedCRC: UInt32, expectedSize: Int64,
                             options: DecodeOptions) throws(SluiceError) {
        let outcome = verify(path, options: options, requireCompressed: false)
        if var error = outcome.error {
            error.path = displayPath
            error.message = "output check failed: " + error.message
            throw error
        }
        guard outcome.decodedBytes == expectedSize, outcome.checksum.value == expectedCRC else {
            throw SluiceError(.corrupt, "output check failed: it decodes to \(outcome.decodedBytes) bytes with CRC32 "
                              + hex(outcome.checksum.value) + ", the input had \(expectedSize) bytes with CRC32 " + hex(expectedCRC),
                              path: displayPath)
        }
    }

    private static func drain(_ reader: ByteReader, into outcome: inout Verification, budget: MemoryBudget?) throws(SluiceError) {
        let storage = try ReservedBuffer(.kibibytes(256), from: budget, for: "the verification buffer")
        let buffer = storage.bytes
        while true {
            let n = try reader.read(into: buffer)
            if n == 0 { return }
            outcome.checksum.update(UnsafeRawBufferPointer(rebasing: buffer[..<n]))
            outcome.decodedBytes += Int64(n)
        }
    }

    static func hex(_ v: UInt32) -> String {
        let digits = String(v, radix: 16)
        return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
    }
}
