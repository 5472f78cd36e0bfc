/// A number of bytes, written the way people write them (`128KiB`, `64MiB`, `1G`).
///
/// Sizes are a type, not bare `Int`s, so a buffer size cannot be confused with a count of lines.
public struct ByteCount: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var bytes: Int

    public init(bytes: Int) { self.bytes = bytes }
    public static func bytes(_ n: Int) -> ByteCount { ByteCount(bytes: n) }
    public static func kibibytes(_ n: Int) -> ByteCount { ByteCount(bytes: n << 10) }
    public static func mebibytes(_ n: Int) -> ByteCount { ByteCount(bytes: n << 20) }
    public static func gibibytes(_ n: Int) -> ByteCount { ByteCount(bytes: n << 30) }

    public static func < (a: ByteCount, b: ByteCount) -> Bool { a.bytes < b.bytes }

    /// Parses `4096`, `128K`, `128KiB`, `64M`, `64MiB`, `1G`, `1GiB` (binary multiples; case-insensitive).
    /// Returns nil for anything else, including negative or overflowing values.
    public init?(parsing text: String) {
        var digits = Substring(text.trimmingASCIISpaces())
        var unit = ""
        while let last = digits.last, !last.isNumber {
            unit.insert(last, at: unit.startIndex)
            digits.removeLast()
        }
        guard !digits.isEmpty, let value = Int(digits), value >= 0 else { return nil }
        let shift: Int
        switch unit.lowercased() {
        case "", "b": shift = 0
        case "k", "kb", "kib": shift = 10
        case "m", "mb", "mib": shift = 20
        case "g", "gb", "gib": shift = 30
        case "t", "tb", "tib": shift = 40
        default: return nil
        }
        guard value <= (Int.max >> shift) else { return nil }
        self.bytes = value << shift
    }

    /// `512 B`, `128 KiB`, `1.5 MiB`: one decimal at most, binary units.
    public var description: String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes)
        var index = 0
        while value >= 1024, index < units.count - 1 {
            value /= 1024
            index += 1
        }
        if index == 0 { return "\(bytes) B" }
        let tenths = Int((value * 10).rounded())
        return tenths % 10 == 0 ? "\(tenths / 10) \(units[index])" : "\(tenths / 10).\(tenths % 10) \(units[index])"
    }
}

extension String {
    func trimmingASCIISpaces() -> String {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
