import ArgumentParser
import Sluice
import SluiceReports

struct Test: ParsableCommand, JSONReport {
    static let configuration = CommandConfiguration(
        abstract: "Decode and verify inputs; print nothing when all are intact (like gzip -t / xz -t).",
        discussion: """
            Each damaged input gets one line naming the file, the fault and its compressed byte \
            offset, and the exit status is 1. Input that is not compressed at all is an error here \
            (use `cat` to pass plain data through).

            With --json, one JSON object per input on standard output: file, format, ok, members \
            (gzip members or xz/lzip streams), check, compressed_bytes and uncompressed_bytes read \
            before any fault, notes (what was tolerated, such as zero padding after the last gzip \
            member), and error (kind truncated, corrupt, trailing-garbage, unsupported or \
            io; message; code; offset) or null.

            Examples:
              sluice test backup.tar.xz
              sluice test --json /var/log/*.gz | jq 'select(.ok == false)'
            """)

    @OptionGroup var inputs: ReportedInputs<Test>

    static let jsonHelp = "One JSON record per input on standard output, for scripts."

    var decoding: DecodingOptions { inputs.decoding }
    var json: Bool { inputs.json }

    func run() throws {
        try inputs.each { path in
            let outcome = Verification.verify(path, options: decoding.decodeOptions)
            if json {
                try Console.output(outcome.json.text)
            } else if let error = outcome.error {
                Console.error(error.description)
            }
            return outcome.error == nil
        }
    }
}

extension Verification {
    var json: JSONObject {
        var o = JSONObject()
        o.set("file", PathName.lossy(path))
        o.set("format", report?.format.rawValue)
        o.set("ok", error == nil)
        o.set("members", report?.members)
        o.set("check", report?.checkDescription)
        o.set("compressed_bytes", report?.compressedBytes)
        o.set("uncompressed_bytes", report?.uncompressedBytes)
        o.set("notes", strings: (report?.notes ?? []) + (report?.warnings ?? []))
        if let error {
            var e = JSONObject()
            e.set("kind", error.kind.rawValue)
            e.set("message", error.message)
            e.set("code", error.code)
            e.set("offset", error.offset)
            o.set("error", object: e)
        } else {
            o.set("error", object: nil)
        }
        return o
    }
}
