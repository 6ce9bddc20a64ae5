extension Axiom {
    public static let treatedEffect = Axiom("treated-effect")
}

/// "Among the cases where x is 1, would y = 1 have been less likely had x been 0?" (rung 3 of
/// Pearl's ladder: a counterfactual about the units actually treated): Yes iff the effect of
/// treatment on the treated, E[Y₍ₓ₌₁₎ − Y₍ₓ₌₀₎ | x = 1], is positive, in the causal model the
/// premise states (each variable drawn from its table by its own independent noise).
///
/// Rule side: `Identification` picks a backdoor adjustment set with the rule engine and
/// evaluates Σ_z P(z | x=1) · [P(y | x=1, z) − P(y | x=0, z)] exactly. Second algorithm:
/// `ModelEnumeration` weighs the factual x beside the outcome of the world where x was set to 0
/// (`.counterfactual(false)`) and compares W(y = 1, x = 1) with W(Y₍ₓ₌₀₎ = 1, x = 1) as
/// integers; it reads no formula and no adjustment set.
///
/// The shortcuts this task controls are the neighbouring rungs' answers to the same (x, y): the
/// signs of the observed association (`association-positive`) and of the average effect
/// (`effect-positive`, which the treated's follows unless the effect varies with x's causes); a
/// controlled split balances the label inside every cell of them.
public struct TreatedEffect: CausalTask {
    /// The directed-path rules (`Transitivity.program`): an effect needs y among x's descendants.
    public var program: RuleProgram { Transitivity.program }
    public var axiom: Axiom { .treatedEffect }
    public var summary: String {
        "Among the cases with x = 1, would y = 1 have been less likely had x been 0, in the stated causal model? Yes iff E[Y(x=1) - Y(x=0) | x=1] > 0 (rung 3)."
    }
    public var shape: QuestionShape { [] }
    public var premiseStyle: PremiseStyle { .model }
    public var difficulty: Difficulty { .model }
    /// The formula, its summands with their numbers, the sum (`EffectSteps.treatedEffect`); only the
    /// conclusion depends on the label, so the same steps serve the `search` style.
    public var explanationForms: [ExplanationForm] { EffectSteps.treatedEffect.forms }
    public var searchForms: [ExplanationForm] { EffectSteps.treatedEffect.forms }
    /// The edge cues of (x, y), then the signs of the observed association and of the average
    /// effect.
    public var cueNames: [String] { PreparedModel.cueNames(asking: .ett) }
    /// raises: the effect on the treated is positive; lowers: negative; none: exactly 0 (y is
    /// no descendant of x, or the paths cancel).
    public var typeNames: [String] { ["raises", "lowers", "none"] }
    public var typeLabels: [Bool] { [true, false, false] }

    private var prepared = PreparedModel(task: "treated-effect")

    public init() {}

    public mutating func prepare(_ graph: CausalGraph) { prepared.clear() }

    /// Preparing the same model again (after each question) keeps its derivations.
    public mutating func prepare(_ model: CausalModel) { prepared.prepare(model) }

    /// The rule side's derivation of the effect of treatment on the treated.
    public mutating func derivation(_ query: Query) -> EffectDerivation { prepared.derive(.ett, query) }

    public mutating func answer(_ query: Query) -> Bool { derivation(query).value > .zero }

    /// The sign of the effect on the treated by enumerating the factual x beside the world where
    /// x was set to 0.
    public func treatedEffectSign(_ query: Query) -> Int {
        prepared.enumeration.treatedEffectSign(treatment: query.x, outcome: query.y)
    }

    public mutating func check(_ query: Query) -> Bool { treatedEffectSign(query) > 0 }

    public mutating func prove(_ query: Query, into proof: inout Proof) {
        let derived = derivation(query)
        proof.nodes.removeAll(keepingCapacity: true)
        switch derived.route {
        case .noDirectedPath: proof.kind = .noDirectedPath
        default:
            proof.kind = derived.value > .zero ? .effectRaises : .effectDoesNotRaise
            proof.nodes.append(contentsOf: derived.adjustment)
        }
    }

    public mutating func explain(_ query: Query, proof: Proof, into explanation: inout Explanation) {
        prepared.explain(.ett, .treatedEffect, query, into: &explanation)
    }

    public mutating func explainSearch(_ query: Query, into explanation: inout Explanation) {
        prepared.explain(.ett, .treatedEffect, query, into: &explanation)
    }

    public func replay(_ steps: [ParsedStep], last: ParsedStep, in replay: inout ExplanationReplay) {
        replay.replayEffect(steps, last: last, kind: .ett, names: .treatedEffect)
    }

    public mutating func describe(_ query: Query, names: [String]) -> String {
        let derived = derivation(query)
        let (x, y) = (names[query.x], names[query.y])
        let verdict = derived.value > .zero ? "Yes" : "No"
        if derived.route == .noDirectedPath {
            return "No: \(y) is no descendant of \(x), so setting \(x) leaves \(y) alone (effect 0).\n"
        }
        let z = derived.adjustment.map { names[$0] }.joined(separator: ", ")
        return """
            \(verdict): E[\(y)(\(x)=1) - \(y)(\(x)=0) | \(x)=1] = \(derived.value) \
            (\(derived.value.decimal(places: 4))), by adjusting for {\(z)} weighted by P(· | \(x)=1).

            """
    }

    /// The edge cues, then `association-positive` and `effect-positive`.
    public func cues(_ query: Query, mention: [Int]) -> UInt32 {
        prepared.cues(query, mention: mention, asking: .ett)
    }

    /// The sign of P(y=1 | x=1) − P(y=1 | x=0), enumerated.
    public func associationSign(_ query: Query) -> Int {
        prepared.enumeration.associationSign(treatment: query.x, outcome: query.y)
    }

    public mutating func questionType(_ query: Query, label: Bool) -> Int {
        if label { return 0 }
        return treatedEffectSign(query) < 0 ? 1 : 2
    }
}
