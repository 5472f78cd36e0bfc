#if canImport(Glibc)
import Glibc
#endif
import SluiceCore

/// Scratch files for a bench run, in $TMPDIR (or /tmp), removed at the end.
public final class BenchScratch {
    public init() {}

    public static var directory: String {
        if let t = getenv("TMPDIR") { return String(cString: t) }
        return "/tmp"
    }
    private var paths: [String] = []

    public func path(_ name: String) -> String {
        let p = Self.directory + "/sluice-bench-\(getpid())-\(name)"
        paths.append(p)
        return p
    }

    public func removeAll() { for p in paths { unlink(p) } }

    /// Corpus/app.log.xz next to the package the binary was built in (…/.build/<config>/sluice).
    public static func bundledCorpus() -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, 4095)
        guard n > 0 else { return nil }
        var dir = String(decoding: buffer.prefix(n).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var candidates = ["Corpus/app.log.xz"]
        for _ in 0..<5 {
            guard let slash = dir.lastIndex(of: "/") else { break }
            dir = String(dir[..<slash])
            candidates.append(dir + "/Corpus/app.log.xz")
        }
        return candidates.first { access($0, R_OK) == 0 }
    }
}

/// posix_spawn + wait4: exit status, captured stdout, and the child's peak RSS in bytes.
public enum ChildProcess {
    public static func run(_ executable: String, _ arguments: [String]) -> (Int32, String, Int)? {
        var pipeFDs: [Int32] = [0, 0]
        guard pipe(&pipeFDs) == 0 else { return nil }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, pipeFDs[1], 1)
        posix_spawn_file_actions_addclose(&actions, pipeFDs[0])
        let argv: [UnsafeMutablePointer<CChar>?] = (["sluice"] + arguments).map { PathName.withCString($0) { strdup($0) } } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        close(pipeFDs[1])
        guard rc == 0 else { close(pipeFDs[0]); return nil }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(pipeFDs[0], $0.baseAddress, 4096) }
            if n <= 0 { if n < 0 && errno == EINTR { continue }; break }
            output += chunk.prefix(n)
        }
        close(pipeFDs[0])
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
        let exit = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        return (exit, String(decoding: output, as: UTF8.self), usage.ru_maxrss * 1024)
    }
}
