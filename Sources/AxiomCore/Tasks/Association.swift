extension Axiom {
    public static let association = Axiom("association")
}

extension Proof.Kind {
    /// Association, No, by the graph alone: x and y are d-separated, so independent.
    public static let separatedVariables = Proof.Kind("separated-variables")
    /// Association, Yes: P(y=1 | x=1) > P(y=1 | x=0), both read off the observational joint.
    public static let associationPositive = Proof.Kind("association-positive")
    /// Association, No, by the numbers: the difference is negative or exactly 0.
    public static let associationNotPositive = Proof.Kind("association-not-positive")
}

/// "Is y = 1 more likely when x is 1 than when x is 0?" (rung 1 of Pearl's ladder: seeing, not
/// doing): Yes iff P(y=1 | x=1) > P(y=1 | x=0) in the causal model the premise states.
///
/// Rule side: the d-separation rules first (x and y separated: independent, difference 0, no
/// number read), else `Identification`'s association route, the two conditional probabilities
/// from the observational joint in exact rationals. Second algorithm: `ModelEnumeration`, the
/// weights of the four cells of (x, y) compared as integers in full width; it reads no
/// separation rule.
///
/// The shortcuts this task controls are the neighbouring rungs' answers to the same (x, y): the
/// signs of the average effect (`effect-positive`) and of the effect on the treated
/// (`treated-effect-positive`). Confounding and effects running from y to x make them differ
/// from the association's, and a controlled split balances the label inside every cell of them.
public struct Association: CausalTask, ModelQuestion {
    static let quantity = EffectKind.association
    static let steps = EffectSteps.association

    /// The d-separation rules (`DSeparation.program`): an association needs an open path.
    public var program: RuleProgram { DSeparation.program }
    public var axiom: Axiom { .association }
    public var summary: String {
        "Is y = 1 more likely when x = 1 than when x = 0, in the stated causal model? Yes iff P(y=1 | x=1) > P(y=1 | x=0) (rung 1)."
    }
    /// positive: the association is positive; negative: negative; none: exactly 0 (x and y
    /// d-separated, or the paths cancel).
    public var typeNames: [String] { ["positive", "negative", "none"] }

    var prepared = PreparedModel(task: "association")

    public init() {}

    /// The rule side's derivation of P(y=1 | x=1) − P(y=1 | x=0); nil when the d-separation
    /// rules settle it (the difference is 0).
    public mutating func derivation(_ query: Query) -> EffectDerivation? {
        if prepared.separated(query.x, query.y) { return nil }
        return prepared.derive(.association, query)
    }

    public mutating func answer(_ query: Query) -> Bool { (derivation(query)?.value ?? .zero) > .zero }

    public mutating func prove(_ query: Query, into proof: inout Proof) {
        proof.nodes.removeAll(keepingCapacity: true)
        guard let derived = derivation(query) else {
            proof.kind = .separatedVariables
            return
        }
        proof.kind = derived.value > .zero ? .associationPositive : .associationNotPositive
    }

    public mutating func describe(_ query: Query, names: [String]) -> String {
        let (x, y) = (names[query.x], names[query.y])
        guard let derived = derivation(query) else {
            return "No: \(x) and \(y) are d-separated, so independent (difference 0).\n"
        }
        let stratum = derived.strata[0]
        let verdict = derived.value > .zero ? "Yes" : "No"
        return """
            \(verdict): P(\(y)=1 | \(x)=1) - P(\(y)=1 | \(x)=0) = \(stratum.high.value) - \(stratum.low.value) \
            = \(derived.value) (\(derived.value.decimal(places: 4))).

            """
    }
}
