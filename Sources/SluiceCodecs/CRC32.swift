import CIsal
import CZlib
import SluiceCore

/// CRC-32 (the gzip polynomial), the one implementation Sluice uses: ISA-L's `crc32_gzip_refl`
/// extends it, zlib's `crc32_combine` joins the CRCs of pieces (parallel gzip).
public struct CRC32: Sendable, Equatable {
    public private(set) var value: UInt32 = 0
    public init() {}

    /// Extends the checksum over `bytes`. Cost: ISA-L's `crc32_gzip_refl` (PCLMUL, many GB/s).
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        value = crc32_gzip_refl(value, base.assumingMemoryBound(to: UInt8.self), UInt64(bytes.count))
    }

    /// The CRC of `a` followed by `b`, from the CRCs of each and the length of `b` (`crc32_combine`).
    public static func combine(_ a: UInt32, _ b: UInt32, lengthOfB: Int64) -> UInt32 {
        UInt32(truncatingIfNeeded: crc32_combine(uLong(a), uLong(b), off_t(lengthOfB)))
    }
}

/// Passes a reader's bytes through unchanged while keeping their CRC-32 and count, for
/// `--check-output` (compare what went into an encoder with what the output decodes to).
public final class ChecksummingReader: ByteReader {
    public let base: ByteReader
    public private(set) var checksum = CRC32()
    public private(set) var count: Int64 = 0

    public init(_ base: ByteReader) { self.base = base }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(SluiceError) -> Int {
        let n = try base.read(into: buffer)
        checksum.update(UnsafeRawBufferPointer(rebasing: buffer[..<n]))
        count += Int64(n)
        return n
    }
}

@available(*, unavailable)
extension ChecksummingReader: Sendable {}
