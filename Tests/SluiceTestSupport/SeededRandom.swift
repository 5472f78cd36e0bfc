/// Deterministic pseudo-random numbers (SplitMix64), so a failing generated case reproduces:
/// the one generator every test target uses.
public struct SeededRandom: RandomNumberGenerator {
    public var state: UInt64

    public init(state: UInt64) { self.state = state }

    public mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }

    /// A number in `0 ..< bound` (modulo reduction: a slight bias is fine for tests).
    public mutating func next(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
}
