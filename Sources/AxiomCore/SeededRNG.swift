/// A small, fast, seedable generator (xoshiro256**), the only source of randomness in axiomc.
///
/// Every random choice in the project takes `using: &rng` with one of these. Its algorithms
/// (`below`, `unit`, `shuffle`) are written here rather than taken from the standard library so
/// that the bytes axiomc writes cannot change when the toolchain's implementation does.
public struct SeededRNG: RandomNumberGenerator, Sendable {
    @usableFromInline var s0: UInt64
    @usableFromInline var s1: UInt64
    @usableFromInline var s2: UInt64
    @usableFromInline var s3: UInt64

    /// Creates a generator whose whole state is expanded from `seed` with SplitMix64.
    public init(seed: UInt64) {
        var x = seed
        s0 = SeededRNG.splitMix(&x)
        s1 = SeededRNG.splitMix(&x)
        s2 = SeededRNG.splitMix(&x)
        s3 = SeededRNG.splitMix(&x)
    }

    /// Creates the generator for item `index` of `stream` under `seed`.
    ///
    /// Seeds are mixed by hashing, never added, so adjacent seeds or indices do not produce
    /// shifted copies of each other.
    public init(seed: UInt64, stream: UInt64, index: UInt64) {
        self.init(seed: SeededRNG.derive(seed, stream, index))
    }

    /// Hashes `(seed, stream, index)` into one well-mixed 64-bit seed.
    @inlinable
    public static func derive(_ seed: UInt64, _ stream: UInt64, _ index: UInt64) -> UInt64 {
        var h = mix(seed ^ 0x6A09_E667_F3BC_C909)
        h = mix(h ^ stream &+ 0x9E37_79B9_7F4A_7C15)
        h = mix(h ^ index &+ 0xBB67_AE85_84CA_A73B)
        return h
    }

    /// A stable 64-bit hash of a string (FNV-1a over UTF-8), for naming random streams.
    public static func streamID(_ name: String) -> UInt64 {
        FNV1a.hash(name.utf8)
    }

    @inlinable
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    @inlinable
    static func splitMix(_ x: inout UInt64) -> UInt64 {
        x &+= 0x9E37_79B9_7F4A_7C15
        return mix(x)
    }

    @inlinable
    public mutating func next() -> UInt64 {
        let result = rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 45)
        return result
    }

    @inlinable
    func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// A uniform integer in `0..<bound` (Lemire's unbiased multiply-shift). `bound` must be > 0.
    @inlinable
    public mutating func below(_ bound: Int) -> Int {
        precondition(bound > 0, "below(_:) needs a positive bound")
        let b = UInt64(bound)
        var m = next().multipliedFullWidth(by: b)
        if m.low < b {
            let threshold = (0 &- b) % b
            while m.low < threshold {
                m = next().multipliedFullWidth(by: b)
            }
        }
        return Int(m.high)
    }

    /// A uniform integer in the closed range.
    @inlinable
    public mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + below(range.upperBound - range.lowerBound + 1)
    }

    /// A uniform double in `[0, 1)` with 53 random bits.
    @inlinable
    public mutating func unit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// `true` with probability `p`.
    @inlinable
    public mutating func chance(_ p: Double) -> Bool {
        p >= 1 || (p > 0 && unit() < p)
    }

    /// Fisher–Yates shuffle of `buffer`, in place.
    @inlinable
    public mutating func shuffle<C: MutableCollection & RandomAccessCollection>(_ buffer: inout C)
    where C.Index == Int {
        var i = buffer.endIndex - 1
        while i > buffer.startIndex {
            let j = buffer.startIndex + below(i - buffer.startIndex + 1)
            buffer.swapAt(i, j)
            i -= 1
        }
    }
}
