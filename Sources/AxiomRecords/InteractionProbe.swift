import AxiomCore
import Foundation

/// L2-regularized logistic regression over cue vectors and every product of two cue bits,
/// fitted by Newton's method on weighted cells: the non-linear probe, which also finds labels
/// that an XOR or an AND of two cues predicts and a linear probe cannot.
///
/// Features, per task (one model per task, as `CueProbe`): a bias, each cue bit, and each
/// product of two bits. Only the terms that hold in some training record are fitted: a term that
/// is zero on every training row gets weight 0 under the penalty anyway, so leaving it out gives
/// the same model at a fraction of the dimension (1 + 28 + 378 at most). Deterministic: terms and
/// cells in sorted order; Newton steps solve with Cholesky (`CueProbe.newton`).
public struct InteractionProbe: Sendable {
    /// One task's model: the bit masks of its terms (one bit or two) and their weights, bias first.
    public struct Model: Sendable, Equatable {
        public var terms: [UInt32]
        public var weights: [Double]
    }

    public private(set) var models: [String: Model] = [:]
    public var lambda = 1.0

    public init() {}

    /// The features of `bits` that are 1: the bias (0), then `i + 1` for each `terms[i]` whose
    /// bits are all set.
    static func features(_ bits: UInt32, terms: [UInt32]) -> [Int] {
        [0] + terms.indices.filter { bits & terms[$0] == terms[$0] }.map { $0 + 1 }
    }

    /// The single bits, then the pairs (i < j), that hold together in some cell with records.
    static func terms(holdingIn cells: [UInt32]) -> [UInt32] {
        let seen = cells.reduce(0, |)
        let singles = (0..<32).map { UInt32(1) << UInt32($0) }.filter { seen & $0 != 0 }
        var pairs: [UInt32] = []
        for (a, i) in singles.enumerated() {
            for j in singles[(a + 1)...] where cells.contains(where: { $0 & (i | j) == i | j }) {
                pairs.append(i | j)
            }
        }
        return singles + pairs
    }

    /// Fits one model per task of `cells`.
    public mutating func fit(_ cells: CueCells) {
        var byTask: [String: [(UInt32, yes: Int, no: Int)]] = [:]
        for (k, v) in cells.counts.sorted(by: { $0.key < $1.key }) where v.yes + v.no > 0 {
            byTask[k.axiom, default: []].append((k.bits, v.yes, v.no))
        }
        for (axiom, rows) in byTask {
            let terms = Self.terms(holdingIn: rows.map(\.0))
            let weights = CueProbe.newton(
                rows.map { (Self.features($0.0, terms: terms), Double($0.yes), Double($0.no)) },
                dimension: terms.count + 1,
                lambda: lambda
            )
            models[axiom] = Model(terms: terms, weights: weights)
        }
    }

    /// P(Yes) for a cue vector of `axiom` (0.5 for a task the probe never saw).
    public func probability(_ axiom: String, _ bits: UInt32) -> Double {
        guard let m = models[axiom] else { return 0.5 }
        var z = m.weights[0]
        for (t, w) in zip(m.terms, m.weights.dropFirst()) where bits & t == t { z += w }
        return 1 / (1 + Foundation.exp(-z))
    }

    /// Accuracy of the probe's Yes/No (P(Yes) > 0.5) on `cells`.
    public func accuracy(on cells: CueCells) -> Double {
        cells.accuracy { probability($0, $1) > 0.5 }
    }

    /// k-fold cross-validated accuracy, with the folds `CueProbe.crossValidated` uses.
    public static func crossValidated(_ cells: CueCells, folds k: Int = 5, lambda: Double = 1.0) -> Double {
        cells.crossValidated(folds: k) { train, test in
            var probe = InteractionProbe()
            probe.lambda = lambda
            probe.fit(train)
            return probe.accuracy(on: test)
        }
    }
}
