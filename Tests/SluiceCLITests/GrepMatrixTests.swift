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
            printf 'aaa\\nxyz\\nfoo bar\\nabcz\\na{1\\n-x here\\n' > q.txt
            printf 'foo ERROR\\nbar\\0' > nul-last.dat
            printf 'caf\\303\\251 caf\\nx\\0b\\n' > mixed.dat
            seq 1 1000 | awk '{ print $1 "[0-9]* -" }' > regexes.txt
            cd ..
            cp -r plain/sub plain/skip packed/
            for d in plain packed; do ln -s ../skip $d/sub/link-dir; ln -s ../skip/e.log $d/sub/link.log; done
            for f in q.txt nul-last.dat regexes.txt mixed.dat; do gzip -c plain/$f > packed/$f; done
            for f in app.log gen.log dense.log bin.dat enc.txt ips.txt; do gzip -c plain/$f > packed/$f; done
            for f in words.txt nul2.dat; do xz -c plain/$f > packed/$f; done
            """
        let status = try CLI.sh(script, in: dir)
        #expect(status.status == 0, "fixture: \(status.stderr)")
        return (plain, packed)
    }

    struct Case: CustomStringConvertible {
        /// Shell words, quoted.
        var arguments: String
        var sorted: Bool
        /// `NAME=value` words for env(1), quoted.
        var environment: [String]
        var description: String { arguments }
    }

    /// One case per line: GNU grep's arguments as a shell reads them (inputs last, by name), after
    /// an optional `FLAGS | `: `sorted` (-r output, whose order is the directory's in GNU grep) and
    /// environment assignments. `#` lines are comments.
    static let table = #"""
    # Context: separators, -n/-b field separators, overlaps, block boundaries, -m.
    -A 2 ERROR dense.log
    -B 3 -n ERROR dense.log
    -C 2 -n Chrome/3 app.log
    -2 ERROR dense.log
    -n -C 1 -b 'GET /crlf' app.log
    -A 0 -n ERROR dense.log
    -B 0 /presentations/logstash app.log
    --group-separator=XX -C 1 ERROR gen.log
    --no-group-separator -A 1 ERROR gen.log
    -c -A 2 ERROR gen.log
    -m 3 -A 2 -n ERROR dense.log
    -m 1 -C 5 ERROR dense.log
    -v -A 1 -m 20 -n ERROR dense.log
    -B 40 -n 'kube-probe/1.31" rt=0.03' gen.log
    -A 30 -B 10 'POST /.env' gen.log
    -C 3 ERROR app.log gen.log
    -o -A 1 ERROR dense.log
    -o -v -A 1 -n ERROR words.txt
    # Matching: -w, -x, -f, -e with -f, syntaxes.
    -w -n ERROR words.txt
    -w -o 'ERR[A-Z]*' words.txt
    -w -c ab words.txt
    -x -n ERROR words.txt
    -x -c plain app.log
    -x -F -n '' words.txt
    -i -w -c error words.txt
    -F -f ips.txt -c app.log
    -f ips.txt -n app.log
    -F -w -f ips.txt -c app.log
    -F -x -f ips.txt -c ips.txt
    -F -o -f ips.txt app.log
    -e Safari -f ips.txt -c app.log
    -E -c 'GET|POST' gen.log
    -E -n '" (404|500) ' app.log
    -G -c '\(GET\|HEAD\) /api' gen.log
    -c '0\{3,\}' app.log
    -c a+b words.txt
    -c -E '[[:digit:]]{3} [[:digit:]]+ "-"' app.log
    -P -c '\d{3} \d+ "-"' app.log
    -c '\<GET\>' app.log
    -c -i MOZILLA app.log
    -c -v Mozilla app.log
    -c -e 404 -e 500 app.log
    # Output: -o, -b, -l, -L, -c, -H/-h, -Z, --color, -q, -m 0, -s.
    -o -E 'GET [^ ]*' app.log
    -o -b -n ERROR words.txt
    -o -E '[0-9]+' words.txt enc.txt
    -o -i 'mozilla/[0-9.]*' app.log
    -o -e ab -e abcd words.txt
    -b ERROR gen.log
    -l ERROR app.log words.txt ips.txt
    -L Chrome app.log words.txt gen.log
    -L zzz-none-at-all words.txt
    -c ERROR app.log gen.log words.txt
    -H -n ERROR words.txt
    -h ERROR words.txt enc.txt
    -Z -l ERROR app.log words.txt
    -Z -n ERROR words.txt enc.txt
    -Z -c ERROR words.txt gen.log
    --color=always -n ERROR words.txt enc.txt
    --color=always -o -b ERROR words.txt
    --color=always -C 1 -v ERROR words.txt
    GREP_COLORS='mt=01;32:fn=34:ln=33:se=35' | --color=always -H -w ab words.txt
    --color=always -l ERROR words.txt gen.log
    --color=never ERROR words.txt
    -q ERROR words.txt
    -q zzz-none-at-all words.txt
    -m 0 ERROR words.txt
    -m 2 -c -v ERROR words.txt
    -s ERROR no-such-file words.txt
    -c -v '' words.txt
    -c '' words.txt
    # Binary inputs: NUL bytes and, in a UTF-8 locale, invalid UTF-8 lines.
    ERROR bin.dat
    -c ERROR bin.dat nul2.dat
    -c -v ERROR nul2.dat
    -a -n ERROR bin.dat
    --binary-files=text -c '' nul2.dat
    -I -c ERROR bin.dat words.txt
    -I -l ERROR bin.dat words.txt
    -o ERROR nul2.dat
    -l ERROR bin.dat nul2.dat
    -n ERROR enc.txt
    -A 1 ok enc.txt
    -a -n ERROR enc.txt
    -c ERROR enc.txt
    LC_ALL=C | -n ERROR enc.txt
    # CRLF lines: the \r belongs to the line.
    -c 'plain$' app.log
    -o 'pl.*' app.log
    -x -c ERROR app.log
    # Stacked quantifiers (POSIX applies them in turn; PCRE2 would read possessive or lazy).
    -E -o '[a-z]*+z' q.txt
    -E 'a++a' q.txt
    -E -x 'a{1,2}+' q.txt
    -E -o 'a*?' q.txt
    -o 'a\+\?' q.txt
    -E -c 'a**' q.txt
    -E -c 'a{,}' q.txt
    -c 'x\{1\}\{2\}' q.txt
    # getopt's spellings: values starting with -, clusters ending in a value, -NUM in a cluster, empty values.
    -e -x q.txt
    -inC1 FOO q.txt
    -nA1 xyz q.txt
    -5n abcz q.txt
    -C1 --group-separator= -e xyz -e here q.txt
    -m -1 -c a q.txt
    -l -L foo q.txt words.txt
    -L -l foo q.txt words.txt
    # A NUL read with the last, unterminated line; 1,000 regular expressions at once.
    foo nul-last.dat
    -c -f regexes.txt app.log
    -P -o -w '\w+' enc.txt
    -w -c -f regexes.txt app.log
    -x bar nul-last.dat
    -l '^b' mixed.dat
    -L '^b' mixed.dat
    -a -P -w -o caf mixed.dat
    GREP_COLOR='01;32' GREP_COLORS='mc=01;34' | --color=always ERROR words.txt
    # Trees: -r with --include, --exclude, --exclude-dir; -R follows links, -r does not.
    sorted | -R -n ERROR sub
    sorted | -r -n ERROR sub
    sorted | -r -c ERROR sub skip
    sorted | -r '--include=*.log' -l ERROR .
    sorted | -r '--exclude=*.log' -l ERROR sub skip
    sorted | -r --exclude-dir=deep -n ERROR sub skip
    sorted | -r --exclude-dir=skip '--include=*.log' -L ERROR .
    '--exclude=*.log' '--include=app*' -c ERROR app.log gen.log words.txt
    -l --exclude=sub/c.log ERROR sub/c.log words.txt
    """#

    static let cases: [Case] = table.split(separator: "\n").compactMap { line in
        if line.hasPrefix("#") { return nil }
        let parts = line.components(separatedBy: " | ")
        let flags = parts.count > 1 ? parts[0].split(separator: " ").map(String.init) : []
        return Case(arguments: parts.last!, sorted: flags.contains("sorted"), environment: flags.filter { $0 != "sorted" })
    }

    @Test("at least 60 combinations, byte for byte with exit status")
    func matrix() throws {
        #expect(Self.cases.count >= 60)
        let (plain, packed) = try Self.fixture()
        let version = try CLI.sh("grep --version | head -n 1").stdout
        #expect(version.contains("GNU grep"), "GNU grep is the reference: \(version)")
        for test in Self.cases {
            let env = (["LC_ALL=C.UTF-8"] + test.environment).joined(separator: " ")
            let quoted = test.arguments
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
