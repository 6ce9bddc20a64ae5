/// The second algorithm for rungs 1–3: potential outcomes by enumerating two worlds of the model
/// side by side (a twin network), never an identification formula.
///
/// Each node v gets one exogenous U_v, uniform on [0, 1), shared by both worlds; v = 1 iff
/// U_v < P(v = 1 | its parents in that world). The two worlds differ only in their
/// interventions, so a node whose parents agree takes the same value in both, and where they
/// differ the shared U couples the two draws (P(both 1) = min of the two entries). Where a
/// quantity is identified (`Identification.derive` answers it), any coupling with independent U's
/// gives the same number, and the tests compute it again under a different one. Where it is not
/// (a natural effect with a recanting witness) the value here is this coupling's alone: ask
/// `Identification` first.
///
/// - Complexity: O(n · 4ⁿ) at worst; the states are the pairs of partial assignments with
///   positive weight.
public struct TwinNetwork {
    public let model: CausalModel
    private let order: [Int]

    public init(model: CausalModel) {
        self.model = model
        order = model.graph.topologicalOrder() ?? []
    }

    /// How one world sets a node.
    enum Setting {
        case value(Bool)
        /// The value this node took in the first world (the second world only).
        case firstWorld
    }

    /// The worlds' joint: `weights[(first, second)]` is 100ⁿ · P(both assignments).
    struct Pairs {
        var weights: [UInt64: UInt128]
        let total: UInt128

        /// Σ weight · f(first, second) / 100ⁿ, exactly.
        func expectation(_ f: (UInt64, UInt64) -> Int) -> Rational {
            var positive: UInt128 = 0
            var negative: UInt128 = 0
            for (key, w) in weights {
                let v = f(key & 0xFFFF_FFFF, key >> 32)
                if v > 0 { positive += w * UInt128(v) } else if v < 0 { negative += w * UInt128(-v) }
            }
            return Rational(BigInt(positive) - BigInt(negative), BigInt(total))
        }
    }

    /// Enumerates both worlds in topological order under the shared-U coupling.
    func pairs(first: [Int: Setting], second: [Int: Setting]) -> Pairs {
        var states: [UInt64: UInt128] = [0: 1]
        var total: UInt128 = 1
        for v in order {
            total *= 100
            let bit: UInt64 = 1 << UInt64(v)
            var next: [UInt64: UInt128] = [:]
            for (key, w) in states {
                let a = key & 0xFFFF_FFFF
                let b = key >> 32
                for (va, vb, h) in branches(v, a, b, first[v], second[v]) where h > 0 {
                    let k = (va ? a | bit : a) | ((vb ? b | bit : b) << 32)
                    next[k, default: 0] += w * UInt128(h)
                }
            }
            states = next
        }
        return Pairs(weights: states, total: total)
    }

    /// The joint draws of node v in both worlds, with their weights in hundredths (summing to 100).
    private func branches(_ v: Int, _ a: UInt64, _ b: UInt64, _ sa: Setting?, _ sb: Setting?) -> [(Bool, Bool, Int)] {
        let pa = model.hundredthsOfOne(v, in: a)
        let pb = model.hundredthsOfOne(v, in: b)
        let fixedA: Bool? = if case .value(let t) = sa { t } else { nil }
        let fixedB: Bool? =
            switch sb {
            case .value(let t): t
            case .firstWorld: nil
            case nil: nil
            }
        if case .firstWorld = sb {
            // The second world copies the first world's draw of v.
            if let fa = fixedA { return [(fa, fa, 100)] }
            return [(true, true, pa), (false, false, 100 - pa)]
        }
        switch (fixedA, fixedB) {
        case (let fa?, let fb?): return [(fa, fb, 100)]
        case (let fa?, nil): return [(fa, true, pb), (fa, false, 100 - pb)]
        case (nil, let fb?): return [(true, fb, pa), (false, fb, 100 - pa)]
        case (nil, nil):
            return [
                (true, true, min(pa, pb)), (true, false, max(0, pa - pb)), (false, true, max(0, pb - pa)),
                (false, false, 100 - max(pa, pb)),
            ]
        }
    }

    /// The value of `query`; nil for a natural effect without a mediator.
    public func value(_ query: EffectQuery) -> Rational? {
        let x = query.treatment
        let y = query.outcome
        let yBit: UInt64 = 1 << UInt64(y)
        let xBit: UInt64 = 1 << UInt64(x)
        func yA(_ a: UInt64, _: UInt64) -> Int { a & yBit != 0 ? 1 : 0 }
        func yB(_: UInt64, _ b: UInt64) -> Int { b & yBit != 0 ? 1 : 0 }
        switch query.kind {
        case .association:
            let world = pairs(first: [:], second: [:])
            let x1 = world.expectation { a, _ in a & xBit != 0 ? 1 : 0 }
            let x0 = Rational.one - x1
            let y1x1 = world.expectation { a, _ in a & xBit != 0 && a & yBit != 0 ? 1 : 0 }
            let y1x0 = world.expectation { a, _ in a & xBit == 0 && a & yBit != 0 ? 1 : 0 }
            return y1x1 / x1 - y1x0 / x0
        case .ate:
            let w = pairs(first: [x: .value(true)], second: [x: .value(false)])
            return w.expectation { a, b in yA(a, b) - yB(a, b) }
        case .ett:
            // Factual world beside do(x = 0); on the treated, the factual y is Y₍ₓ₌₁₎.
            let w = pairs(first: [:], second: [x: .value(false)])
            let treated = w.expectation { a, _ in a & xBit != 0 ? 1 : 0 }
            let difference = w.expectation { a, b in a & xBit != 0 ? yA(a, b) - yB(a, b) : 0 }
            return difference / treated
        case .nde, .nie:
            guard let m = query.mediator else { return nil }
            // NDE: first world do(x = 0), second do(x = 1) with m as the first world left it;
            // NIE: first do(x = 1), second do(x = 0) with that m; both minus E[Y₍ₓ₌₀₎].
            let held: Bool = query.kind == .nie
            let w = pairs(first: [x: .value(held)], second: [x: .value(!held), m: .firstWorld])
            let crossed = w.expectation(yB)
            let baseline = pairs(first: [x: .value(false)], second: [x: .value(false)]).expectation(yA)
            return crossed - baseline
        }
    }
}
