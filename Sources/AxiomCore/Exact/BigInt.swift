/// A signed integer of any size, for exact probabilities (`Rational`) where sums of products of
/// table entries outgrow 128 bits.
///
/// Sign and magnitude; the magnitude is little-endian 32-bit limbs without leading zero limbs
/// (zero is no limbs and never negative). Division is Knuth's algorithm D.
public struct BigInt: Sendable, Hashable {
    /// Little-endian base-2³² digits, no trailing zeros.
    @usableFromInline var limbs: [UInt32]
    @usableFromInline var negative: Bool

    init(limbs: [UInt32], negative: Bool) {
        var l = limbs
        while l.last == 0 { l.removeLast() }
        self.limbs = l
        self.negative = negative && !l.isEmpty
    }

    public init(_ value: Int) {
        self.init(value.magnitude, negative: value < 0)
    }

    public init(_ value: UInt128) {
        self.init(value, negative: false)
    }

    init(_ magnitude: some UnsignedInteger, negative: Bool) {
        var m = UInt128(magnitude)
        var l: [UInt32] = []
        while m != 0 {
            l.append(UInt32(truncatingIfNeeded: m))
            m >>= 32
        }
        self.init(limbs: l, negative: negative)
    }

    public static let zero = BigInt(0)
    public static let one = BigInt(1)

    public var isZero: Bool { limbs.isEmpty }
    /// -1, 0 or 1.
    public var signum: Int { limbs.isEmpty ? 0 : negative ? -1 : 1 }
    public var magnitude: BigInt { BigInt(limbs: limbs, negative: false) }

    /// The value as an `Int`, when it fits.
    public var intValue: Int? {
        guard limbs.count <= 2 else { return nil }
        var m: UInt64 = 0
        for (i, l) in limbs.enumerated() { m |= UInt64(l) << (32 * UInt64(i)) }
        if negative { return m <= UInt64(Int.max) + 1 ? Int(truncatingIfNeeded: 0 &- m) : nil }
        return m <= UInt64(Int.max) ? Int(m) : nil
    }
}

// MARK: - Arithmetic

extension BigInt: Comparable, AdditiveArithmetic, ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int) { self.init(value) }

    public static func < (a: BigInt, b: BigInt) -> Bool {
        if a.negative != b.negative { return a.negative }
        let c = Magnitude.compare(a.limbs, b.limbs)
        return a.negative ? c > 0 : c < 0
    }

    public static prefix func - (a: BigInt) -> BigInt { BigInt(limbs: a.limbs, negative: !a.negative) }

    public static func + (a: BigInt, b: BigInt) -> BigInt {
        if a.negative == b.negative { return BigInt(limbs: Magnitude.add(a.limbs, b.limbs), negative: a.negative) }
        // Opposite signs: the larger magnitude keeps its sign.
        if Magnitude.compare(a.limbs, b.limbs) >= 0 {
            return BigInt(limbs: Magnitude.subtract(a.limbs, b.limbs), negative: a.negative)
        }
        return BigInt(limbs: Magnitude.subtract(b.limbs, a.limbs), negative: b.negative)
    }

    public static func - (a: BigInt, b: BigInt) -> BigInt { a + (-b) }

    public static func * (a: BigInt, b: BigInt) -> BigInt {
        BigInt(limbs: Magnitude.multiply(a.limbs, b.limbs), negative: a.negative != b.negative)
    }

    /// Truncating division: the quotient rounds toward zero and the remainder takes the
    /// dividend's sign (as `Int` does). `divisor` must not be zero.
    public func quotientAndRemainder(dividingBy divisor: BigInt) -> (quotient: BigInt, remainder: BigInt) {
        precondition(!divisor.isZero, "BigInt division by zero")
        let (q, r) = Magnitude.divide(limbs, divisor.limbs)
        return (BigInt(limbs: q, negative: negative != divisor.negative), BigInt(limbs: r, negative: negative))
    }

    public static func / (a: BigInt, b: BigInt) -> BigInt { a.quotientAndRemainder(dividingBy: b).quotient }
    public static func % (a: BigInt, b: BigInt) -> BigInt { a.quotientAndRemainder(dividingBy: b).remainder }

    /// The greatest common divisor of the magnitudes (Euclid); `gcd(0, 0) = 0`.
    public static func gcd(_ a: BigInt, _ b: BigInt) -> BigInt {
        var x = a.limbs
        var y = b.limbs
        while !y.isEmpty { (x, y) = (y, Magnitude.divide(x, y).remainder) }
        return BigInt(limbs: x, negative: false)
    }
}

extension BigInt: CustomStringConvertible {
    /// Decimal digits, with a leading `-` when negative.
    public var description: String {
        if limbs.isEmpty { return "0" }
        var chunks: [UInt32] = []
        var m = limbs
        while !m.isEmpty {
            let (q, r) = Magnitude.divide(m, [1_000_000_000])
            chunks.append(r.first ?? 0)
            m = q
        }
        var s = negative ? "-" : ""
        s += String(chunks.last!)
        for c in chunks.dropLast().reversed() {
            let d = String(c)
            s += String(repeating: "0", count: 9 - d.count) + d
        }
        return s
    }
}

/// Operations on little-endian limb arrays without leading zeros.
enum Magnitude {
    static func compare(_ a: [UInt32], _ b: [UInt32]) -> Int {
        if a.count != b.count { return a.count < b.count ? -1 : 1 }
        for i in stride(from: a.count - 1, through: 0, by: -1) where a[i] != b[i] {
            return a[i] < b[i] ? -1 : 1
        }
        return 0
    }

    static func add(_ a: [UInt32], _ b: [UInt32]) -> [UInt32] {
        let (long, short) = a.count >= b.count ? (a, b) : (b, a)
        var out = [UInt32]()
        out.reserveCapacity(long.count + 1)
        var carry: UInt64 = 0
        for i in 0..<long.count {
            let s = UInt64(long[i]) + (i < short.count ? UInt64(short[i]) : 0) + carry
            out.append(UInt32(truncatingIfNeeded: s))
            carry = s >> 32
        }
        if carry != 0 { out.append(UInt32(carry)) }
        return out
    }

    /// `a - b` where `a >= b`.
    static func subtract(_ a: [UInt32], _ b: [UInt32]) -> [UInt32] {
        var out = a
        var borrow: Int64 = 0
        for i in 0..<a.count {
            var d = Int64(a[i]) - (i < b.count ? Int64(b[i]) : 0) - borrow
            borrow = d < 0 ? 1 : 0
            if d < 0 { d += 1 << 32 }
            out[i] = UInt32(d)
        }
        while out.last == 0 { out.removeLast() }
        return out
    }

    static func multiply(_ a: [UInt32], _ b: [UInt32]) -> [UInt32] {
        if a.isEmpty || b.isEmpty { return [] }
        var out = [UInt32](repeating: 0, count: a.count + b.count)
        for i in 0..<a.count {
            var carry: UInt64 = 0
            let ai = UInt64(a[i])
            for j in 0..<b.count {
                let t = ai * UInt64(b[j]) + UInt64(out[i + j]) + carry
                out[i + j] = UInt32(truncatingIfNeeded: t)
                carry = t >> 32
            }
            out[i + b.count] = UInt32(carry)
        }
        while out.last == 0 { out.removeLast() }
        return out
    }

    /// Quotient and remainder of `u / v` (`v` non-empty), Knuth's algorithm D (TAOCP 4.3.1) as
    /// Hacker's Delight writes it (`divmnu`).
    static func divide(_ u: [UInt32], _ v: [UInt32]) -> (quotient: [UInt32], remainder: [UInt32]) {
        if compare(u, v) < 0 { return ([], u) }
        if v.count == 1 { return divide(u, by: v[0]) }
        let n = v.count
        let m = u.count - n
        let s = UInt32(v[n - 1].leadingZeroBitCount)
        let vn = shiftedLeft(v, by: s, extra: false)
        var un = shiftedLeft(u, by: s, extra: true)
        var q = [UInt32](repeating: 0, count: m + 1)
        let base: UInt64 = 1 << 32
        for j in stride(from: m, through: 0, by: -1) {
            let top = (UInt64(un[j + n]) << 32) | UInt64(un[j + n - 1])
            var qhat = top / UInt64(vn[n - 1])
            var rhat = top % UInt64(vn[n - 1])
            while qhat >= base || qhat * UInt64(vn[n - 2]) > (rhat << 32) | UInt64(un[j + n - 2]) {
                qhat -= 1
                rhat += UInt64(vn[n - 1])
                if rhat >= base { break }
            }
            // Multiply and subtract.
            var k: Int64 = 0
            for i in 0..<n {
                let p = qhat * UInt64(vn[i])
                let t = Int64(un[i + j]) - k - Int64(p & 0xFFFF_FFFF)
                un[i + j] = UInt32(truncatingIfNeeded: t)
                k = Int64(p >> 32) - (t >> 32)
            }
            let t = Int64(un[j + n]) - k
            un[j + n] = UInt32(truncatingIfNeeded: t)
            if t < 0 {
                // Subtracted too much: add one divisor back.
                qhat -= 1
                var carry: UInt64 = 0
                for i in 0..<n {
                    let s = UInt64(un[i + j]) + UInt64(vn[i]) + carry
                    un[i + j] = UInt32(truncatingIfNeeded: s)
                    carry = s >> 32
                }
                un[j + n] = UInt32(truncatingIfNeeded: UInt64(un[j + n]) + carry)
            }
            q[j] = UInt32(qhat)
        }
        var r = [UInt32](repeating: 0, count: n)
        for i in 0..<n {
            let low = UInt64(un[i]) >> UInt64(s)
            let high = s == 0 ? 0 : UInt64(un[i + 1]) << UInt64(32 - s)
            r[i] = UInt32(truncatingIfNeeded: low | high)
        }
        while q.last == 0 { q.removeLast() }
        while r.last == 0 { r.removeLast() }
        return (q, r)
    }

    static func divide(_ u: [UInt32], by d: UInt32) -> (quotient: [UInt32], remainder: [UInt32]) {
        var q = [UInt32](repeating: 0, count: u.count)
        var r: UInt64 = 0
        for i in stride(from: u.count - 1, through: 0, by: -1) {
            let cur = (r << 32) | UInt64(u[i])
            q[i] = UInt32(cur / UInt64(d))
            r = cur % UInt64(d)
        }
        while q.last == 0 { q.removeLast() }
        return (q, r == 0 ? [] : [UInt32(r)])
    }

    /// `a << s` (`s < 32`), keeping `a.count` limbs (plus one more when `extra`).
    static func shiftedLeft(_ a: [UInt32], by s: UInt32, extra: Bool) -> [UInt32] {
        var out = [UInt32](repeating: 0, count: a.count + (extra ? 1 : 0))
        var carry: UInt32 = 0
        for i in 0..<a.count {
            out[i] = (a[i] << s) | carry
            carry = s == 0 ? 0 : a[i] >> (32 - s)
        }
        if extra { out[a.count] = carry }
        return out
    }
}
