/// The explanation of a question about a causal model: the formula, each of its summands with
/// the observational probabilities it reads (exact, shown rounded to four decimals), then the
/// sum and the answer. Only the last step depends on the label, so one explanation serves both
/// styles (`proof` and the label-neutral `search`).
///
/// - association: the contrast P(y=1 | x=1), P(y=1 | x=0), then the difference;
/// - average effect: the adjustment set (its backdoor paths blocked), one step per value of the
///   set with P(z), P(y=1 | x=1, z), P(y=1 | x=0, z) and what it adds, then the sum;
/// - effect on the treated: the same with weights P(z | x=1).
///
/// Where y is no descendant of x, an effect of x on it is 0 by the graph alone: one step says
/// so (`no-directed-path`; the graph answers, and it is the conclusion). Controlled recipes do
/// not ask such questions (they have no twin).
public struct EffectSteps: Sendable, Hashable {
    /// The step naming the adjustment set (nil: the association's contrast needs none).
    public var formula: String?
    /// One summand: without a set, the contrast of two conditionals; with one, its values too.
    public var stratum: String
    /// The conclusions: the quantity is positive (Yes) or not (No).
    public var positive: String
    public var notPositive: String
    /// An effect's explanation where y is no descendant of x.
    public static let noDirectedPath = "no-directed-path"

    public static let association = EffectSteps(
        formula: nil,
        stratum: "association-contrast",
        positive: "association-more",
        notPositive: "association-not-more"
    )
    public static let averageEffect = EffectSteps(
        formula: "adjustment",
        stratum: "effect-stratum",
        positive: "effect-raises",
        notPositive: "effect-does-not-raise"
    )
    public static let treatedEffect = EffectSteps(
        formula: "treated-adjustment",
        stratum: "treated-stratum",
        positive: "treated-raises",
        notPositive: "treated-does-not-raise"
    )

    /// The step kinds as explanation forms: the formula names the set (`<set/>`, when it is not
    /// empty), a summand its values (`<values/>`) and quantities (`<value/>`), a conclusion the sum.
    public var forms: [ExplanationForm] {
        let pair = ["x", "y"]
        var out: [ExplanationForm] = []
        if let formula { out.append(ExplanationForm(formula, slots: pair, conditioned: pair + ["set"])) }
        // A summand's numbers: P(y=1 | x=1), P(y=1 | x=0); with a set, its weight first and what
        // it adds last. A conclusion's: the sum.
        out.append(
            ExplanationForm(
                stratum,
                slots: pair + ["value"],
                conditioned: pair + ["values", "value"],
                values: 2,
                conditionedValues: 4
            )
        )
        out.append(ExplanationForm(positive, slots: pair + ["value"], values: 1))
        out.append(ExplanationForm(notPositive, slots: pair + ["value"], values: 1))
        if formula != nil { out.append(ExplanationForm(Self.noDirectedPath, slots: pair)) }
        return out
    }
}

extension PreparedModel {
    /// Writes the explanation of `kind` (association, average effect or effect on the treated)
    /// for (x, y) into `explanation` (see `EffectSteps`).
    mutating func explain(_ kind: EffectKind, _ steps: EffectSteps, _ query: Query, into explanation: inout Explanation)
    {
        explanation.removeAll()
        // The rule side's derivation is the formula shown: the association's contrast, or the
        // adjustment over the smallest valid set.
        let shown = derive(kind, query)
        let (x, y) = (query.x, query.y)
        if shown.route == .noDirectedPath {
            explanation.add(EffectSteps.noDirectedPath, x: x, y: y)
            return
        }
        let set = shown.adjustment
        if let formula = steps.formula {
            explanation.add(formula, conditioned: !set.isEmpty, x: x, y: y, set: explanation.pool(set))
        }
        for stratum in shown.strata {
            let start = explanation.numbers.count
            if set.isEmpty {
                explanation.numbers.append(stratum.high.value)
                explanation.numbers.append(stratum.low.value)
                explanation.add(steps.stratum, x: x, y: y, numbers: start..<explanation.numbers.count)
            } else {
                let weight = stratum.weights[0]
                let values = explanation.pool(weight.event)
                explanation.numbers.append(weight.value)
                explanation.numbers.append(stratum.high.value)
                explanation.numbers.append(stratum.low.value)
                explanation.numbers.append(stratum.value)
                let numbers = start..<explanation.numbers.count
                explanation.add(steps.stratum, conditioned: true, x: x, y: y, values: values, numbers: numbers)
            }
        }
        let conclusion = shown.value > .zero ? steps.positive : steps.notPositive
        explanation.numbers.append(shown.value)
        explanation.add(conclusion, x: x, y: y, numbers: (explanation.numbers.count - 1)..<explanation.numbers.count)
    }
}
