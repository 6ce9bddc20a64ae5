extension ExplanationReplay {
    /// Replays the explanation of a question about a causal model (`EffectSteps`) against the
    /// record's model: the set must be a valid adjustment set (the backdoor rules), there must be
    /// one summand per value of it, each written number must be its exact value rounded to the
    /// places written, and the conclusion must state the sign of the exact sum, and the label.
    public mutating func replayEffect(
        _ steps: [ParsedStep],
        last: ParsedStep,
        kind: EffectKind,
        names k: EffectSteps
    ) {
        guard let model else {
            fail(nil, "the record states no causal model (graph.tables), so its numbers cannot be checked")
            return
        }
        let (x, y) = (query.x, query.y)
        for s in steps { checkEnds(s) }
        if last.kind == EffectSteps.noDirectedPath && k.formula != nil {
            if steps.count != 1 { fail(last, "it is the whole explanation") }
            if reaches(x, y) { fail(last, "\(name(y)) is a descendant of \(name(x))") }
            conclude(false)
            return
        }
        var first = 0
        var set: [Int] = []
        if let formula = k.formula {
            guard let opening = steps.first, opening.kind == formula else {
                fail(steps.first, "the explanation starts with the adjustment ('\(formula)')")
                return
            }
            guard let valid = replayAdjustmentSet(opening) else { return }
            set = valid
            first = 1
        }
        guard steps.count >= first + 2 else {
            fail(nil, "the explanation needs its summands and a conclusion")
            return
        }
        let total = replaySummands(steps[first..<(steps.count - 1)], set: set, kind: kind, names: k, model: model)
        guard last.kind == k.positive || last.kind == k.notPositive else {
            fail(last, "an explanation of \(kind.rawValue) cannot end with a '\(last.kind)' step")
            return
        }
        checkNumbers(last, [total])
        let yes = last.kind == k.positive
        if yes != (total > .zero) {
            fail(last, "the sum is \(total.decimal(places: 6)), so it is \(yes ? "not " : "")positive")
        }
        conclude(yes)
    }

    /// The opening step's set, sorted, if it is a valid adjustment set for the effect of x on y
    /// (the backdoor rules); else a failure, and nil.
    private mutating func replayAdjustmentSet(_ opening: ParsedStep) -> [Int]? {
        let (x, y) = (query.x, query.y)
        let set = (opening.set ?? []).sorted()
        var backdoor = Backdoor()
        backdoor.prepare(graph)
        if Set(set).count != set.count || set.contains(x) || set.contains(y)
            || set.contains(where: { !(0..<graph.nodeCount).contains($0) })
            || !backdoor.answer(Query(.backdoor, x, y, set: set))
        {
            fail(
                opening,
                "\(nameSet(set)) is no valid adjustment set for the effect of \(name(x)) on \(name(y)) (it holds an effect of \(name(x)), or leaves a backdoor path open)"
            )
            return nil
        }
        return set
    }

    /// Checks one summand per value of `set`, each number its exact value rounded; returns the
    /// exact sum.
    private mutating func replaySummands(
        _ summands: ArraySlice<ParsedStep>,
        set: [Int],
        kind: EffectKind,
        names k: EffectSteps,
        model: CausalModel
    ) -> Rational {
        let joint = JointDistribution(model)
        let (x, y) = (query.x, query.y)
        let (x1, x0, y1) = (Literal(x, true), Literal(x, false), [Literal(y, true)])
        if summands.count != 1 << set.count {
            fail(
                nil,
                "the formula has \(1 << set.count) summand(s), one per value of \(nameSet(set)), not \(summands.count)"
            )
        }
        var seen = Set<[Literal]>()
        var total = Rational.zero
        for s in summands {
            guard s.kind == k.stratum else {
                fail(s, "a '\(s.kind)' step cannot stand among the summands ('\(k.stratum)')")
                continue
            }
            var stratum: [Literal] = []
            if !set.isEmpty {
                stratum = (s.values ?? []).sorted { $0.node < $1.node }
                if stratum.map(\.node) != set {
                    fail(s, "its values are not one value of each variable of \(nameSet(set))")
                    continue
                }
                if !seen.insert(stratum).inserted { fail(s, "a second summand for the same values") }
            }
            let high = joint.probability(y1, given: [x1] + stratum)
            let low = joint.probability(y1, given: [x0] + stratum)
            var exact = [high, low]
            var adds = high - low
            if !set.isEmpty {
                let weight = joint.probability(stratum, given: kind == .ett ? [x1] : [])
                adds = weight * adds
                exact = [weight, high, low, adds]
            }
            checkNumbers(s, exact)
            total += adds
        }
        return total
    }

    /// The step's numbers are `exact`, each rounded to the places written.
    private mutating func checkNumbers(_ s: ParsedStep, _ exact: [Rational]) {
        guard s.numbers.count == exact.count else {
            fail(s, "it gives \(s.numbers.count) number(s), the step needs \(exact.count)")
            return
        }
        for written in s.numbers where written.places < 4 {
            fail(
                s,
                "it gives \(written.value.decimal(places: written.places)) with \(written.places) decimal(s), not at least 4"
            )
        }
        for (written, value) in zip(s.numbers, exact) where !written.rounds(value) {
            fail(
                s,
                "it gives \(written.value.decimal(places: written.places)) where the model gives \(value.decimal(places: max(written.places, 4)))"
            )
        }
    }
}
