/// An exact fraction in lowest terms with a positive denominator: every probability and effect
/// axiomc states or derives (no floating point anywhere on the way to a label).
public struct Rational: Sendable, Hashable {
    public let numerator: BigInt
    /// Positive; 1 for integers.
    public let denominator: BigInt

    /// `numerator / denominator` in lowest terms; `denominator` must not be zero.
    public init(_ numerator: BigInt, _ denominator: BigInt) {
        precondition(!denominator.isZero, "a Rational with denominator 0")
        let g = BigInt.gcd(numerator, denominator)
        var n = numerator
        var d = denominator
        if !(g.limbs.count == 1 && g.limbs[0] == 1) {
            n = n / g
            d = d / g
        }
        if d.negative {
            n = -n
            d = -d
        }
        self.numerator = n
        self.denominator = d
    }

    public init(_ numerator: Int, _ denominator: Int = 1) {
        self.init(BigInt(numerator), BigInt(denominator))
    }

    /// `k / 100`: a probability stated with two decimals.
    public static func hundredths(_ k: Int) -> Rational { Rational(k, 100) }

    public static let zero = Rational(0)
    public static let one = Rational(1)

    public var isZero: Bool { numerator.isZero }
    /// -1, 0 or 1.
    public var signum: Int { numerator.signum }
}

extension Rational: Comparable, AdditiveArithmetic, ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int) { self.init(value) }

    public static func < (a: Rational, b: Rational) -> Bool {
        a.numerator * b.denominator < b.numerator * a.denominator
    }

    public static prefix func - (a: Rational) -> Rational { Rational(-a.numerator, a.denominator) }

    public static func + (a: Rational, b: Rational) -> Rational {
        if a.denominator == b.denominator { return Rational(a.numerator + b.numerator, a.denominator) }
        return Rational(a.numerator * b.denominator + b.numerator * a.denominator, a.denominator * b.denominator)
    }

    public static func - (a: Rational, b: Rational) -> Rational { a + (-b) }

    public static func * (a: Rational, b: Rational) -> Rational {
        Rational(a.numerator * b.numerator, a.denominator * b.denominator)
    }

    /// `b` must not be zero.
    public static func / (a: Rational, b: Rational) -> Rational {
        precondition(!b.isZero, "Rational division by zero")
        return Rational(a.numerator * b.denominator, a.denominator * b.numerator)
    }

    public static func += (a: inout Rational, b: Rational) { a = a + b }
}

extension Rational: CustomStringConvertible {
    /// `n/d`, or `n` for an integer.
    public var description: String {
        denominator == .one ? numerator.description : "\(numerator)/\(denominator)"
    }

    /// The value with `places` decimals, rounded half away from zero (`-0.25` → `"-0.3"` at one
    /// place); zero prints without a sign.
    public func decimal(places: Int) -> String {
        var scale = BigInt.one
        for _ in 0..<places { scale = scale * 10 }
        let scaled = numerator.magnitude * scale
        var (q, r) = scaled.quotientAndRemainder(dividingBy: denominator)
        if r * 2 >= denominator { q = q + .one }
        var digits = q.description
        if places > 0 {
            if digits.count <= places { digits = String(repeating: "0", count: places + 1 - digits.count) + digits }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -places))
        }
        return numerator.negative && !q.isZero ? "-" + digits : digits
    }
}
