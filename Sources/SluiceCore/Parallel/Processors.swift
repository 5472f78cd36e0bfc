#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The machine's processors, for default worker counts.
public enum Processors {
    /// Online CPUs (`sysconf(_SC_NPROCESSORS_ONLN)`), at least 1.
    public static var online: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }
}
