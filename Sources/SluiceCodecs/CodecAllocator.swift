import CLzma
import CZlib
import SluiceCore
#if canImport(Glibc)
import Glibc
#endif

/// Counting allocators for the C codecs: every allocation zlib or liblzma makes goes through a
/// ``MemoryBudget``, which can refuse it (the codec then fails with its out-of-memory code) and
/// records the peak and the count for `--stats`.
///
/// Each block carries a 16-byte header holding its size, so `free` can give the bytes back:
///
///     ┌ size (8) │ pad (8) ┬──── caller's bytes ────┐
///     block start          returned pointer (16-byte aligned)
///
/// Blocks of `mapThreshold` bytes or more (LZ windows, hash tables, xz's per-block buffers) are
/// mapped with `mmap` and unmapped on free, so their pages go back to the system at once. Through
/// `malloc` they would not: glibc raises its mmap threshold after the first large free and then
/// serves the next ones from an arena that keeps freed pages resident, so peak RSS of a long
/// multithreaded xz run crept up with the number of blocks (8 MiB blocks, -6 -T2: 207 MiB after
/// 16 MiB, 209 MiB after 512 MiB).
enum CodecAllocator {
    static let header = 16
    static let mapThreshold = 1 << 20

    static func allocate(_ budget: MemoryBudget, _ bytes: Int) -> UnsafeMutableRawPointer? {
        guard bytes >= 0, bytes <= Int.max - header, budget.takeForCodec(bytes) else { return nil }
        let raw: UnsafeMutableRawPointer?
        if bytes >= mapThreshold {
            let mapped = mmap(nil, bytes + header, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
            raw = mapped == MAP_FAILED ? nil : mapped
        } else {
            raw = malloc(bytes + header)
        }
        guard let raw else {
            budget.releaseFromCodec(bytes)
            return nil
        }
        raw.storeBytes(of: bytes, as: Int.self)
        return raw + header
    }

    static func free(_ budget: MemoryBudget, _ pointer: UnsafeMutableRawPointer?) {
        guard let pointer else { return }
        let raw = pointer - header
        let bytes = raw.load(as: Int.self)
        budget.releaseFromCodec(bytes)
        if bytes >= mapThreshold {
            munmap(raw, bytes + header)
        } else {
            Glibc.free(raw)
        }
    }

    /// Installs the hooks on a `z_stream` (before `inflateInit2`/`deflateInit2`).
    static func install(on stream: UnsafeMutablePointer<z_stream>, budget: MemoryBudget) {
        stream.pointee.opaque = Unmanaged.passUnretained(budget).toOpaque()
        stream.pointee.zalloc = { opaque, items, size in
            let budget = Unmanaged<MemoryBudget>.fromOpaque(opaque!).takeUnretainedValue()
            let (bytes, overflow) = Int(items).multipliedReportingOverflow(by: Int(size))
            return overflow ? nil : CodecAllocator.allocate(budget, bytes)
        }
        stream.pointee.zfree = { opaque, pointer in
            let budget = Unmanaged<MemoryBudget>.fromOpaque(opaque!).takeUnretainedValue()
            CodecAllocator.free(budget, pointer)
        }
    }

    /// An `lzma_allocator` routing liblzma's allocations through `budget`. The caller owns the
    /// returned pointer and must keep it alive as long as the stream (and deallocate it after `lzma_end`).
    static func lzmaAllocator(budget: MemoryBudget) -> UnsafeMutablePointer<lzma_allocator> {
        let allocator = UnsafeMutablePointer<lzma_allocator>.allocate(capacity: 1)
        allocator.initialize(to: lzma_allocator(
            alloc: { opaque, count, size in
                let budget = Unmanaged<MemoryBudget>.fromOpaque(opaque!).takeUnretainedValue()
                let (bytes, overflow) = Int(count).multipliedReportingOverflow(by: Int(size))
                return overflow ? nil : CodecAllocator.allocate(budget, bytes)
            },
            free: { opaque, pointer in
                let budget = Unmanaged<MemoryBudget>.fromOpaque(opaque!).takeUnretainedValue()
                CodecAllocator.free(budget, pointer)
            },
            opaque: Unmanaged.passUnretained(budget).toOpaque()))
        return allocator
    }
}
