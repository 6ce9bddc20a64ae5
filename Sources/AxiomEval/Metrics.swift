import Foundation

/// Counts for one bucket of predictions, with Yes as the positive class.
public struct Tally: Sendable, Equatable, Codable {
    public var n = 0
    public var correct = 0
    public var invalid = 0
    public var truePositive = 0
    public var falsePositive = 0
    public var falseNegative = 0
    public var goldYes = 0
    /// Correct answers of each shortcut baseline (`Baseline.rawValue` order; majority filled at the end).
    public var shortcutCorrect = [Int](repeating: 0, count: Baseline.allCases.count)

    public init() {}

    public mutating func add(gold: Bool, answer: AnswerExtraction.Answer, shortcuts: [Bool]) {
        var bits: UInt8 = 0
        for (b, yes) in shortcuts.enumerated() where yes { bits |= 1 << UInt8(b) }
        add(gold: gold, answer: answer, shortcutBits: bits)
    }

    /// Adds one prediction; bit `b` of `shortcutBits` is shortcut `b`'s answer (Yes when set).
    public mutating func add(gold: Bool, answer: AnswerExtraction.Answer, shortcutBits: UInt8) {
        n += 1
        if gold { goldYes += 1 }
        switch answer {
        case .invalid:
            invalid += 1
            if gold { falseNegative += 1 }
        case .yes:
            if gold { correct += 1; truePositive += 1 } else { falsePositive += 1 }
        case .no:
            if gold { falseNegative += 1 } else { correct += 1 }
        }
        for b in 1..<shortcutCorrect.count where (shortcutBits >> UInt8(b) & 1 == 1) == gold { shortcutCorrect[b] += 1 }
        shortcutCorrect[Baseline.majority.rawValue] = max(goldYes, n - goldYes)
    }

    public var accuracy: Double { n == 0 ? 0 : Double(correct) / Double(n) }
    public var precision: Double { truePositive + falsePositive == 0 ? 0 : Double(truePositive) / Double(truePositive + falsePositive) }
    public var recall: Double { truePositive + falseNegative == 0 ? 0 : Double(truePositive) / Double(truePositive + falseNegative) }
    public var f1: Double { precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall) }
    public var invalidRate: Double { n == 0 ? 0 : Double(invalid) / Double(n) }
    public var interval: (low: Double, high: Double) { Stats.wilson(successes: correct, trials: n) }

    public func shortcutAccuracy(_ b: Baseline) -> Double { n == 0 ? 0 : Double(shortcutCorrect[b.rawValue]) / Double(n) }
}

public enum Stats {
    /// The Wilson score interval for a binomial proportion (z = 1.96 for 95%).
    public static func wilson(successes k: Int, trials n: Int, z: Double = 1.959963984540054) -> (low: Double, high: Double) {
        guard n > 0 else { return (0, 1) }
        let p = Double(k) / Double(n), nn = Double(n)
        let denominator = 1 + z * z / nn
        let center = (p + z * z / (2 * nn)) / denominator
        let half = z * (p * (1 - p) / nn + z * z / (4 * nn * nn)).squareRoot() / denominator
        return (max(0, center - half), min(1, center + half))
    }

    /// McNemar's exact test: two-sided binomial p-value on the discordant pairs, where `b` pairs
    /// only the first system got right and `c` only the second.
    public static func mcnemarExact(b: Int, c: Int) -> Double {
        let n = b + c
        guard n > 0 else { return 1 }
        let k = min(b, c)
        // P(X ≤ k) for X ~ Binomial(n, 1/2), summed in log space.
        var logTerms: [Double] = []
        for i in 0...k { logTerms.append(logChoose(n, i) - Double(n) * log(2.0)) }
        let m = logTerms.max()!
        let cdf = exp(m) * logTerms.reduce(0) { $0 + exp($1 - m) }
        return min(1, 2 * cdf)
    }

    static func logChoose(_ n: Int, _ k: Int) -> Double {
        lgamma(Double(n + 1)) - lgamma(Double(k + 1)) - lgamma(Double(n - k + 1))
    }
}
