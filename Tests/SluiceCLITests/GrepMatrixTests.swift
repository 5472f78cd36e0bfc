import Foundation
import Testing

/// `sluice grep` as a drop-in for GNU grep 3.8: every combination below runs GNU grep over plain
/// files and `sluice grep` over the same names holding gzip or xz data (format from the magic
/// bytes), and compares standard output byte for byte and the exit status.
@Suite("grep against GNU grep, option matrix", .serialized)
struct GrepMatrixTests {
    /// plain/ holds the text, packed/ the same names compressed.
    static func fixture() throws -> (plain: URL, packed: URL) {
        let dir = try CLI.scratch("grep-matrix")
        let plain = dir.appendingPathComponent("plain"), packed = dir.appendingPathComponent("packed")
        let real = CLI.packageRoot.deletingLastPathComponent().appendingPathComponent("shared/conformance/logs/elastic-examples/apache_logs")
        let make = "python3 \(CLI.packageRoot.path)/Corpus/make-logs.py"
        let apache = FileManager.default.fileExists(atPath: real.path) ? "cp '\(real.path)' app.log" : "\(make) --size 2MiB --seed 3 > app.log"
        let script = """
            set -e
            mkdir -p plain/sub/deep plain/skip packed && cd plain
            \(apache)
            printf 'GET /crlf ERROR\\r\\nplain\\r\\nERROR\\r\\n' >> app.log
            printf 'tail ERROR' >> app.log
            \(make) --size 1MiB --seed 5 > gen.log
            # ERROR lines dense enough that context groups touch and overlap, across 256 KiB blocks.
            awk 'NR % 7 == 0 { print "ERROR " $0; next } { print }' gen.log > dense.log
            printf 'x ERROR\\0y\\nERROR z\\nfoo\\n' > bin.dat
            printf 'ERROR\\0ERROR\\nab\\n' > nul2.dat
            printf 'ok ERROR\\n\\377 ERROR\\nERROR after\\nlast\\n' > enc.txt
            printf 'word ERROR_x xERROR ERROR\\nERROR\\nabc ab abcd\\n\\nERRORS here\\n' > words.txt
            # 1,000 fixed strings: client addresses from the log, and a few words.
            cut -d' ' -f1 app.log | sort -u | head -n 996 > ips.txt
            printf 'ERROR\\nMozilla\\nzzz-none\\n/presentations\\n' >> ips.txt
            echo ERROR > sub/c.log; echo ERROR > sub/deep/d.txt; echo ERROR > skip/e.log; echo 'no match' > sub/n.log
            cd ..
            cp -r plain/sub plain/skip packed/
            for f in app.log gen.log dense.log bin.dat enc.txt ips.txt; do gzip -c plain/$f > packed/$f; done
            for f in words.txt nul2.dat; do xz -c plain/$f > packed/$f; done
            """
        let status = try CLI.sh(script, in: dir)
        #expect(status.status == 0, "fixture: \(status.stderr)")
        return (plain, packed)
    }

    /// Arguments (inputs last, by name). `sorted`: -r output, whose order is the directory's in GNU grep.
    struct Case: CustomStringConvertible {
        var arguments: [String]
        var sorted = false
        var environment: [String: String] = [:]
        var description: String { arguments.joined(separator: " ") }
    }

    static let cases: [Case] = {
        var c: [Case] = []
        func add(_ a: [String], sorted: Bool = false, env: [String: String] = [:]) { c.append(Case(arguments: a, sorted: sorted, environment: env)) }
        // Context: separators, -n/-b field separators, overlaps, block boundaries, -m.
        add(["-A", "2", "ERROR", "dense.log"])
        add(["-B", "3", "-n", "ERROR", "dense.log"])
        add(["-C", "2", "-n", "Chrome/3", "app.log"])
        add(["-2", "ERROR", "dense.log"])
        add(["-n", "-C", "1", "-b", "GET /crlf", "app.log"])
        add(["-A", "0", "-n", "ERROR", "dense.log"])
        add(["-B", "0", "/presentations/logstash", "app.log"])
        add(["--group-separator=XX", "-C", "1", "ERROR", "gen.log"])
        add(["--no-group-separator", "-A", "1", "ERROR", "gen.log"])
        add(["-c", "-A", "2", "ERROR", "gen.log"])
        add(["-m", "3", "-A", "2", "-n", "ERROR", "dense.log"])
        add(["-m", "1", "-C", "5", "ERROR", "dense.log"])
        add(["-v", "-A", "1", "-m", "20", "-n", "ERROR", "dense.log"])
        add(["-B", "40", "-n", "kube-probe/1.31\" rt=0.03", "gen.log"])
        add(["-A", "30", "-B", "10", "POST /.env", "gen.log"])
        add(["-C", "3", "ERROR", "app.log", "gen.log"])
        add(["-o", "-A", "1", "ERROR", "dense.log"])
        add(["-o", "-v", "-A", "1", "-n", "ERROR", "words.txt"])
        // Matching: -w, -x, -f, -e with -f, syntaxes.
        add(["-w", "-n", "ERROR", "words.txt"])
        add(["-w", "-o", "ERR[A-Z]*", "words.txt"])
        add(["-w", "-c", "ab", "words.txt"])
        add(["-x", "-n", "ERROR", "words.txt"])
        add(["-x", "-c", "plain", "app.log"])
        add(["-x", "-F", "-n", "", "words.txt"])
        add(["-i", "-w", "-c", "error", "words.txt"])
        add(["-F", "-f", "ips.txt", "-c", "app.log"])
        add(["-f", "ips.txt", "-n", "app.log"])
        add(["-F", "-w", "-f", "ips.txt", "-c", "app.log"])
        add(["-F", "-x", "-f", "ips.txt", "-c", "ips.txt"])
        add(["-F", "-o", "-f", "ips.txt", "app.log"])
        add(["-e", "Safari", "-f", "ips.txt", "-c", "app.log"])
        add(["-E", "-c", "GET|POST", "gen.log"])
        add(["-E", "-n", "\" (404|500) ", "app.log"])
        add(["-G", "-c", "\\(GET\\|HEAD\\) /api", "gen.log"])
        add(["-c", "0\\{3,\\}", "app.log"])
        add(["-c", "a+b", "words.txt"])
        add(["-c", "-E", "[[:digit:]]{3} [[:digit:]]+ \"-\"", "app.log"])
        add(["-P", "-c", "\\d{3} \\d+ \"-\"", "app.log"])
        add(["-c", "\\<GET\\>", "app.log"])
        add(["-c", "-i", "MOZILLA", "app.log"])
        add(["-c", "-v", "Mozilla", "app.log"])
        add(["-c", "-e", "404", "-e", "500", "app.log"])
        // Output: -o, -b, -l, -L, -c, -H/-h, -Z, --color, -q, -m 0, -s.
        add(["-o", "-E", "GET [^ ]*", "app.log"])
        add(["-o", "-b", "-n", "ERROR", "words.txt"])
        add(["-o", "-E", "[0-9]+", "words.txt", "enc.txt"])
        add(["-o", "-i", "mozilla/[0-9.]*", "app.log"])
        add(["-o", "-e", "ab", "-e", "abcd", "words.txt"])
        add(["-b", "ERROR", "gen.log"])
        add(["-l", "ERROR", "app.log", "words.txt", "ips.txt"])
        add(["-L", "Chrome", "app.log", "words.txt", "gen.log"])
        add(["-L", "zzz-none-at-all", "words.txt"])
        add(["-c", "ERROR", "app.log", "gen.log", "words.txt"])
        add(["-H", "-n", "ERROR", "words.txt"])
        add(["-h", "ERROR", "words.txt", "enc.txt"])
        add(["-Z", "-l", "ERROR", "app.log", "words.txt"])
        add(["-Z", "-n", "ERROR", "words.txt", "enc.txt"])
        add(["-Z", "-c", "ERROR", "words.txt", "gen.log"])
        add(["--color=always", "-n", "ERROR", "words.txt", "enc.txt"])
        add(["--color=always", "-o", "-b", "ERROR", "words.txt"])
        add(["--color=always", "-C", "1", "-v", "ERROR", "words.txt"])
        add(["--color=always", "-H", "-w", "ab", "words.txt"], env: ["GREP_COLORS": "mt=01;32:fn=34:ln=33:se=35"])
        add(["--color=always", "-l", "ERROR", "words.txt", "gen.log"])
        add(["--color=never", "ERROR", "words.txt"])
        add(["-q", "ERROR", "words.txt"])
        add(["-q", "zzz-none-at-all", "words.txt"])
        add(["-m", "0", "ERROR", "words.txt"])
        add(["-m", "2", "-c", "-v", "ERROR", "words.txt"])
        add(["-s", "ERROR", "no-such-file", "words.txt"])
        add(["-c", "-v", "", "words.txt"])
        add(["-c", "", "words.txt"])
        // Binary inputs: NUL bytes and, in a UTF-8 locale, invalid UTF-8 lines.
        add(["ERROR", "bin.dat"])
        add(["-c", "ERROR", "bin.dat", "nul2.dat"])
        add(["-c", "-v", "ERROR", "nul2.dat"])
        add(["-a", "-n", "ERROR", "bin.dat"])
        add(["--binary-files=text", "-c", "", "nul2.dat"])
        add(["-I", "-c", "ERROR", "bin.dat", "words.txt"])
        add(["-I", "-l", "ERROR", "bin.dat", "words.txt"])
        add(["-o", "ERROR", "nul2.dat"])
        add(["-l", "ERROR", "bin.dat", "nul2.dat"])
        add(["-n", "ERROR", "enc.txt"])
        add(["-A", "1", "ok", "enc.txt"])
        add(["-a", "-n", "ERROR", "enc.txt"])
        add(["-c", "ERROR", "enc.txt"])
        add(["-n", "ERROR", "enc.txt"], env: ["LC_ALL": "C"])
        // CRLF lines: the \r belongs to the line.
        add(["-c", "plain$", "app.log"])
        add(["-o", "pl.*", "app.log"])
        add(["-x", "-c", "ERROR", "app.log"])
        // Trees: -r with --include, --exclude, --exclude-dir.
        add(["-r", "-c", "ERROR", "sub", "skip"], sorted: true)
        add(["-r", "--include=*.log", "-l", "ERROR", "."], sorted: true)
        add(["-r", "--exclude=*.log", "-l", "ERROR", "sub", "skip"], sorted: true)
        add(["-r", "--exclude-dir=deep", "-n", "ERROR", "sub", "skip"], sorted: true)
        add(["-r", "--exclude-dir=skip", "--include=*.log", "-L", "ERROR", "."], sorted: true)
        add(["--exclude=*.log", "--include=app*", "-c", "ERROR", "app.log", "gen.log", "words.txt"])
        add(["-l", "--exclude=sub/c.log", "ERROR", "sub/c.log", "words.txt"])
        return c
    }()

    @Test("at least 60 combinations, byte for byte with exit status")
    func matrix() throws {
        #expect(Self.cases.count >= 60)
        let (plain, packed) = try Self.fixture()
        let version = try CLI.sh("grep --version | head -n 1").stdout
        #expect(version.contains("GNU grep"), "GNU grep is the reference: \(version)")
        for test in Self.cases {
            let env = (["LC_ALL": "C.UTF-8"].merging(test.environment) { _, new in new })
                .map { "\($0.key)='\($0.value)'" }.joined(separator: " ")
            let quoted = test.arguments.map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
            let sort = test.sorted ? " | LC_ALL=C sort" : ""
            let expected = try CLI.sh("env \(env) grep \(quoted) < /dev/null\(sort); echo \"status=$?\"", in: plain)
            let got = try CLI.sh("env \(env) \"$SLUICE\" grep \(quoted) < /dev/null\(sort); echo \"status=$?\"", in: packed)
            // With a pipe to sort, $? is sort's: compare the unsorted status too.
            #expect(got.stdoutBytes == expected.stdoutBytes, "grep \(test): \(String(decoding: expected.stdoutBytes.prefix(300), as: UTF8.self)) vs \(String(decoding: got.stdoutBytes.prefix(300), as: UTF8.self)) \(got.stderr.prefix(200))")
            if test.sorted {
                let a = try CLI.sh("env \(env) grep \(quoted) > /dev/null 2>&1; echo $?", in: plain).stdout
                let b = try CLI.sh("env \(env) \"$SLUICE\" grep \(quoted) > /dev/null 2>&1; echo $?", in: packed).stdout
                #expect(a == b, "exit status of grep \(test)")
            }
            let binaryNotice = expected.stderr.contains("binary file matches")
            #expect(got.stderr.contains("binary file matches") == binaryNotice, "binary notice of grep \(test): \(got.stderr)")
        }
    }
}
