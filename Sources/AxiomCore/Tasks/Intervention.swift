extension Axiom {
    public static let intervention = Axiom("intervention")
}

extension Proof.Kind {
    /// Intervention, Yes: the average effect of x on y is positive. `nodes` is the adjustment
    /// set the rules chose (x's backdoors blocked), the formula Σ_z P(z) · [P(y | x=1, z) −
    /// P(y | x=0, z)] summed over its values.
    public static let effectRaises = Proof.Kind("effect-raises")
    /// Intervention, No, by the adjusted formula: the effect is negative or exactly 0.
    public static let effectDoesNotRaise = Proof.Kind("effect-does-not-raise")
    /// Intervention, No, by the graph alone: y is no descendant of x, so do(x) leaves y alone.
    public static let noDirectedPath = Proof.Kind("no-directed-path")
}

/// "Does setting x to 1 instead of 0 make y = 1 more likely?" (rung 2 of Pearl's ladder): Yes
/// iff the average treatment effect P(y=1 | do(x=1)) − P(y=1 | do(x=0)) is positive, in the
/// causal model the premise states (its edges, then every variable's probability table).
///
/// Rule side: `Identification` picks an adjustment set from the graph with the backdoor rules and
/// evaluates the adjustment formula on the observational joint, in exact rationals. Second
/// algorithm: the mutilated model's joint, enumerated (`ModelEnumeration`, the truncated
/// factorization: every assignment with x set, each other node weighed by its own table),
/// compared as exact integers; it reads no formula and no adjustment set.
///
/// The shortcuts this task controls are the neighbouring rungs' answers to the same (x, y): the
/// signs of the observed association (`association-positive`: P(y=1 | x=1) > P(y=1 | x=0)) and
/// of the effect on the treated (`treated-effect-positive`). Confounding makes the association's
/// sign differ from the effect's, effects that vary with x's causes the treated's, and a
/// controlled split balances the label inside every cell of them.
public struct Intervention: CausalTask, ModelQuestion {
    static let quantity = EffectKind.ate
    static let steps = EffectSteps.averageEffect

    /// The directed-path rules (`Transitivity.program`): an effect needs y among x's descendants.
    public var program: RuleProgram { Transitivity.program }
    public var axiom: Axiom { .intervention }
    public var summary: String {
        "Does setting x to 1 instead of 0 make y = 1 more likely, in the stated causal model? Yes iff P(y=1 | do(x=1)) > P(y=1 | do(x=0)) (rung 2)."
    }
    /// raises: the effect is positive; lowers: negative; none: exactly 0 (y is no descendant of
    /// x, or the paths cancel).
    public var typeNames: [String] { ["raises", "lowers", "none"] }

    var prepared = PreparedModel(task: "intervention")

    public init() {}

    /// The rule side's derivation of the average effect of x on y.
    public mutating func derivation(_ query: Query) -> EffectDerivation { prepared.derive(.ate, query) }

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
            \(verdict): P(\(y)=1 | do(\(x)=1)) - P(\(y)=1 | do(\(x)=0)) = \(derived.value) \
            (\(derived.value.decimal(places: 4))), by adjusting for {\(z)}.

            """
    }
}
