/// The rule side of rungs 2 and 3: chooses an identification formula for a question from the
/// graph alone (the backdoor and d-separation rules of the rule engine pick the adjustment set),
/// then evaluates it on observational probabilities, exactly.
///
/// - `ate`: Σ_z P(z) · [P(y | x=1, z) − P(y | x=0, z)], z over a valid backdoor set;
/// - `ett`: Σ_z P(z | x=1) · [P(y | x=1, z) − P(y | x=0, z)];
/// - `nde`: Σ_z Σ_m P(z) P(m | x=0, z) · [P(y | x=1, m, z) − P(y | x=0, m, z)];
/// - `nie`: Σ_z Σ_m P(z) P(y | x=0, m, z) · [P(m | x=1, z) − P(m | x=0, z)];
/// - an outcome that is no descendant of the treatment has every effect 0 (no data read).
///
/// The smallest adjustment set is taken (fewest nodes, then the first in node order). For the
/// natural effects the set must also satisfy the mediation formula's conditions: it blocks the
/// treatment's backdoors to the mediator, and in the graph without the treatment's and the
/// mediator's outgoing edges it separates the mediator from the outcome (which rules out a
/// descendant of x confounding m and y, the "recanting witness"). When no set does, the effect
/// is not identified this way and `derive` returns nil. The independent check is
/// `TwinNetwork`, which never reads a formula.
public struct Identification: Sendable {
    public let model: CausalModel
    public let joint: JointDistribution
    private var backdoor = Backdoor()
    private var separation = DSeparation()
    private var row: [UInt64] = []
    private var rowScratch: [UInt64] = []

    public init(model: CausalModel) {
        self.model = model
        joint = JointDistribution(model)
        backdoor.prepare(model.graph)
    }

    /// The value of `query` with its derivation; nil when the question is not one these formulas
    /// answer (a natural effect whose mediator is not on a directed path from x to y, or one
    /// without an adjustment set that meets the mediation formula's conditions).
    public mutating func derive(_ query: EffectQuery) -> EffectDerivation? {
        let x = query.treatment
        let y = query.outcome
        guard x != y, x >= 0, y >= 0, x < model.nodeCount, y < model.nodeCount else { return nil }
        if query.kind == .association { return association(query) }
        if query.kind.needsMediator {
            guard let m = query.mediator, m != x, m != y, m >= 0, m < model.nodeCount, isDescendant(m, of: x),
                isDescendant(y, of: m)
            else {
                return nil
            }
        } else if query.mediator != nil {
            return nil
        }
        if !isDescendant(y, of: x) {
            return EffectDerivation(query: query, route: .noDirectedPath, adjustment: [], strata: [], value: .zero)
        }
        guard let z = adjustmentSet(for: query) else { return nil }
        let strata: [Stratum]
        switch query.kind {
        case .ate, .ett: strata = adjusted(query, z)
        case .nde, .nie: strata = mediated(query, z, m: query.mediator!)
        case .association: preconditionFailure("answered above")
        }
        let route: EffectDerivation.Route = query.kind.needsMediator ? .mediation : .adjustment
        let value = strata.reduce(Rational.zero) { $0 + $1.value }
        return EffectDerivation(query: query, route: route, adjustment: z, strata: strata, value: value)
    }

    // MARK: - Choosing the adjustment set

    /// The smallest set of non-descendants of x (fewest nodes, then first in node order) that
    /// the rules accept for `query`; nil when none does.
    public mutating func adjustmentSet(for query: EffectQuery) -> [Int]? {
        let x = query.treatment
        let excluded = Set([x, query.outcome] + (query.mediator.map { [$0] } ?? []))
        let candidates = (0..<model.nodeCount).filter { !excluded.contains($0) && !isDescendant($0, of: x) }
        for size in 0...candidates.count {
            var found: [Int]?
            forEachSubset(of: candidates, size: size) { set in
                if found == nil, accepts(set, for: query) { found = set }
            }
            if let found { return found }
        }
        return nil
    }

    private mutating func accepts(_ set: [Int], for query: EffectQuery) -> Bool {
        let x = query.treatment
        let y = query.outcome
        guard backdoor.answer(Query(.backdoor, x, y, set: set)) else { return false }
        guard let m = query.mediator else { return true }
        guard backdoor.answer(Query(.backdoor, x, m, set: set)) else { return false }
        // (Y ⊥ M | set) once x's and m's outgoing edges are cut: the joint effect of (x, m) on y
        // is adjusted by `set`, and nothing downstream of x confounds m and y.
        var cut = CausalGraph(nodeCount: model.nodeCount)
        for e in model.graph.edges where e.from != x && e.from != m { cut.addEdge(e.from, e.to) }
        separation.prepare(cut)
        return separation.answer(Query(.dSeparation, m, y, given: set))
    }

    private func forEachSubset(of items: [Int], size: Int, _ body: ([Int]) -> Void) {
        var chosen: [Int] = []
        func extend(from start: Int) {
            if chosen.count == size {
                body(chosen)
                return
            }
            guard start < items.count else { return }
            for i in start..<items.count where items.count - i >= size - chosen.count {
                chosen.append(items[i])
                extend(from: i + 1)
                chosen.removeLast()
            }
        }
        extend(from: 0)
    }

    private mutating func isDescendant(_ v: Int, of x: Int) -> Bool {
        model.graph.descendants(of: x, into: &row, scratch: &rowScratch)
        return v != x && row.testBit(v)
    }

    // MARK: - Evaluating the formula

    private func term(_ event: [Literal], given: [Literal]) -> Term {
        Term(event: event, given: given, value: joint.probability(event, given: given))
    }

    /// Every assignment of `nodes`, the first node the slowest (0 before 1).
    private func assignments(_ nodes: [Int]) -> [[Literal]] {
        (0..<(1 << nodes.count)).map { bits in
            nodes.enumerated().map { k, v in Literal(v, bits & (1 << (nodes.count - 1 - k)) != 0) }
        }
    }

    private func association(_ query: EffectQuery) -> EffectDerivation {
        let y1 = [Literal(query.outcome, true)]
        let stratum = Stratum(
            weights: [],
            high: term(y1, given: [Literal(query.treatment, true)]),
            low: term(y1, given: [Literal(query.treatment, false)])
        )
        return EffectDerivation(
            query: query,
            route: .association,
            adjustment: [],
            strata: [stratum],
            value: stratum.value
        )
    }

    private func adjusted(_ query: EffectQuery, _ z: [Int]) -> [Stratum] {
        let x1 = Literal(query.treatment, true)
        let x0 = Literal(query.treatment, false)
        let y1 = [Literal(query.outcome, true)]
        return assignments(z).map { zs in
            let weight = zs.isEmpty ? [] : [term(zs, given: query.kind == .ett ? [x1] : [])]
            return Stratum(weights: weight, high: term(y1, given: [x1] + zs), low: term(y1, given: [x0] + zs))
        }
    }

    private func mediated(_ query: EffectQuery, _ z: [Int], m: Int) -> [Stratum] {
        let x1 = Literal(query.treatment, true)
        let x0 = Literal(query.treatment, false)
        let y1 = [Literal(query.outcome, true)]
        var strata: [Stratum] = []
        for zs in assignments(z) {
            let pz = zs.isEmpty ? [] : [term(zs, given: [])]
            for ms in assignments([m]) {
                if query.kind == .nde {
                    strata.append(
                        Stratum(
                            weights: pz + [term(ms, given: [x0] + zs)],
                            high: term(y1, given: [x1] + ms + zs),
                            low: term(y1, given: [x0] + ms + zs)
                        )
                    )
                } else {
                    strata.append(
                        Stratum(
                            weights: pz + [term(y1, given: [x0] + ms + zs)],
                            high: term(ms, given: [x1] + zs),
                            low: term(ms, given: [x0] + zs)
                        )
                    )
                }
            }
        }
        return strata
    }
}
