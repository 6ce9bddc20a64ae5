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
public struct TreatedEffect: CausalTask, ModelQuestion {
    static let quantity = EffectKind.ett
    static let steps = EffectSteps.treatedEffect

    /// The directed-path rules (`Transitivity.program`): an effect needs y among x's descendants.
    public var program: RuleProgram { Transitivity.program }
    public var axiom: Axiom { .treatedEffect }
    public var summary: String {
        "Among the cases with x = 1, would y = 1 have been less likely had x been 0, in the stated causal model? Yes iff E[Y(x=1) - Y(x=0) | x=1] > 0 (rung 3)."
    }
    /// raises: the effect on the treated is positive; lowers: negative; none: exactly 0 (y is
    /// no descendant of x, or the paths cancel).
    public var typeNames: [String] { ["raises", "lowers", "none"] }

    var prepared = PreparedModel(task: "treated-effect")

    public init() {}

    /// The rule side's derivation of the effect of treatment on the treated.
    public mutating func derivation(_ query: Query) -> EffectDerivation { prepared.derive(.ett, query) }

    public mutating func answer(_ query: Query) -> Bool { derivation(query).value > .zero }

    public mutating func prove(_ query: Query, into proof: inout Proof) { proveEffect(query, into: &proof) }

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
}
