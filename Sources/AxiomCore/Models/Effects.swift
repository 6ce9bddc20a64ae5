/// The quantities of rungs 1–3 axiomc asks about: each the difference of two probabilities that
/// the outcome is 1, for binary treatment `x` (and mediator `m`).
public enum EffectKind: String, CaseIterable, Sendable {
    /// P(y | x = 1) − P(y | x = 0): the observed association (rung 1).
    case association
    /// P(y | do(x = 1)) − P(y | do(x = 0)): the average treatment effect (rung 2).
    case ate
    /// E[Y₍ₓ₌₁₎ − Y₍ₓ₌₀₎ | x = 1]: the effect of treatment on the treated (rung 3).
    case ett
    /// E[Y₍₁,M₀₎ − Y₍₀,M₀₎]: the natural direct effect, the mediator held where x = 0 leaves it (rung 3).
    case nde
    /// E[Y₍₀,M₁₎ − Y₍₀,M₀₎]: the natural indirect effect, the change through the mediator alone,
    /// treatment held at 0 (rung 3; CLadder's convention).
    case nie

    /// Pearl's ladder: 1 seeing, 2 doing, 3 imagining.
    public var rung: Int {
        switch self {
        case .association: 1
        case .ate: 2
        case .ett, .nde, .nie: 3
        }
    }

    /// Whether a question names a mediator.
    public var needsMediator: Bool { self == .nde || self == .nie }
}

/// A question about a causal quantity of a model: its kind, the treatment, the outcome and, for
/// natural effects, the mediator.
public struct EffectQuery: Sendable, Hashable {
    public var kind: EffectKind
    public var treatment: Int
    public var outcome: Int
    public var mediator: Int?

    public init(_ kind: EffectKind, treatment: Int, outcome: Int, mediator: Int? = nil) {
        self.kind = kind
        self.treatment = treatment
        self.outcome = outcome
        self.mediator = mediator
    }
}

/// An observational probability a formula reads, P(event | given), with its exact value.
public struct Term: Sendable, Hashable {
    public var event: [Literal]
    public var given: [Literal]
    public var value: Rational
}

/// One summand of an identification formula: the product of `weights`, times `high − low`.
public struct Stratum: Sendable, Hashable {
    public var weights: [Term]
    public var high: Term
    public var low: Term

    /// Π weights · (high − low).
    public var value: Rational {
        weights.reduce(high.value - low.value) { $0 * $1.value }
    }
}

/// How the rule side reached an effect's value, step by step: the formula it chose, the
/// observational probabilities it read and the sum they make.
public struct EffectDerivation: Sendable, Hashable {
    public enum Route: Sendable, Hashable {
        /// The association itself: P(y | x = 1) − P(y | x = 0), one stratum.
        case association
        /// The outcome is no descendant of the treatment: every effect of x on it is 0.
        case noDirectedPath
        /// Backdoor adjustment over `adjustment` (average effect; on the treated the strata are
        /// weighted by P(z | x = 1)).
        case adjustment
        /// Pearl's mediation formula, adjusted for `adjustment`.
        case mediation
    }

    public var query: EffectQuery
    public var route: Route
    /// The adjustment set (ascending; empty when none is needed).
    public var adjustment: [Int]
    /// The summands, in the order of the adjustment set's (and the mediator's) values.
    public var strata: [Stratum]
    /// Σ strata — the answer.
    public var value: Rational
}
