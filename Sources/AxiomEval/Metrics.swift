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
    /// Records the model got right and the probe wrong, and the reverse (paired, for McNemar).
    public var onlyModel = 0
    public var onlyProbe = 0
    /// Correct answers of each baseline (`Baselines.names` order).
    public var baselineRight: [Int] = []
    /// Records per cue profile (see `Baselines.applicable`), for each baseline's own count.
    public var profileCount: [Int] = []

    public init() {}

    /// Adds one model answer; `probeRight` is whether the probe answers this record correctly (nil:
    /// the record states no cues).
    public mutating func add(gold: Bool, answer: AnswerExtraction.Answer, probeRight: Bool? = nil) {
        n += 1
        if gold { goldYes += 1 }
        let right: Bool
        switch answer {
        case .invalid:
            invalid += 1
            right = false
            if gold { falseNegative += 1 }
        case .yes:
            right = gold
            if gold {
                correct += 1
                truePositive += 1
            } else {
                falsePositive += 1
            }
        case .no:
            right = !gold
            if gold { falseNegative += 1 } else { correct += 1 }
        }
        if let probeRight, probeRight != right {
            if right { onlyModel += 1 } else { onlyProbe += 1 }
        }
    }

    /// Adds one record's baseline verdicts: bit k of `right` set when baseline k is right on it.
    public mutating func addBaselines(right: UInt64, profile: Int, baselines: Int, profiles: Int) {
        if baselineRight.count < baselines {
            baselineRight += Array(repeating: 0, count: baselines - baselineRight.count)
        }
        if profileCount.count < profiles { profileCount += Array(repeating: 0, count: profiles - profileCount.count) }
        profileCount[profile] += 1
        var r = right
        while r != 0 {
            baselineRight[r.trailingZeroBitCount] += 1
            r &= r - 1
        }
    }

    public var accuracy: Double { n == 0 ? 0 : Double(correct) / Double(n) }
    public var precision: Double {
        truePositive + falsePositive == 0 ? 0 : Double(truePositive) / Double(truePositive + falsePositive)
    }
    public var recall: Double {
        truePositive + falseNegative == 0 ? 0 : Double(truePositive) / Double(truePositive + falseNegative)
    }
    public var f1: Double { precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall) }
    public var invalidRate: Double { n == 0 ? 0 : Double(invalid) / Double(n) }
    public var interval: (low: Double, high: Double) { Stats.wilson(successes: correct, trials: n) }
}

public enum Stats {
    /// The Wilson score interval for a binomial proportion (z = 1.96 for 95%).
    public static func wilson(
        successes k: Int,
        trials n: Int,
        z: Double = 1.959963984540054
    ) -> (low: Double, high: Double) {
        guard n > 0 else { return (0, 1) }
        let p = Double(k) / Double(n)
        let nn = Double(n)
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

extension Tally {
    /// Copies the baseline counts of `other` (scored on the same records) into this tally.
    mutating func take(baselinesOf other: Tally) {
        baselineRight = other.baselineRight
        profileCount = other.profileCount
    }
}
