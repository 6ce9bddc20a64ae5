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
/// algorithm: the mutilated model's joint, enumerated (the truncated factorization: every
/// assignment with x set, y = 1, each other node weighed by its own table), compared as exact
/// integers; it reads no formula and no adjustment set.
///
/// The shortcut this task controls is the observed association (`association-positive`:
/// P(y=1 | x=1) > P(y=1 | x=0)): confounding makes its sign differ from the effect's, and a
/// controlled split balances the label inside both of its cells.
public struct Intervention: CausalTask {
    /// The directed-path rules (`Transitivity.program`): an effect needs y among x's descendants.
    public var program: RuleProgram { Transitivity.program }
    public var axiom: Axiom { .intervention }
    public var summary: String {
        "Does setting x to 1 instead of 0 make y = 1 more likely, in the stated causal model? Yes iff P(y=1 | do(x=1)) > P(y=1 | do(x=0)) (rung 2)."
    }
    public var shape: QuestionShape { [] }
    public var premiseStyle: PremiseStyle { .model }
    public var difficulty: Difficulty { .model }
    /// No explanation forms yet: a recipe that asks for explanations of this task is refused.
    public var explanationForms: [ExplanationForm] { [] }
    /// The edge cues of (x, y), then the sign of the observed association.
    public var cueNames: [String] { Cues.pairNames + ["association-positive"] }
    /// raises: the effect is positive; lowers: negative; none: exactly 0 (y is no descendant of
    /// x, or the paths cancel).
    public var typeNames: [String] { ["raises", "lowers", "none"] }
    public var typeLabels: [Bool] { [true, false, false] }

    private var model: CausalModel?
    /// The model's nodes in topological order (`sums`).
    private var order: [Int] = []
    private var rules: Identification?
    private var descendants: [UInt64] = []
    private var scratch: [UInt64] = []

    public init() {}

    /// A graph without tables: no question can be asked until a model is prepared.
    public mutating func prepare(_ graph: CausalGraph) {
        model = nil
        rules = nil
    }

    /// Preparing the same model again (after each question) keeps its derivations.
    public mutating func prepare(_ model: CausalModel) {
        guard model != self.model else { return }
        self.model = model
        order = model.graph.topologicalOrder() ?? []
        rules = nil
    }

    private var prepared: CausalModel {
        guard let model else {
            preconditionFailure("intervention questions need a causal model: prepare(_: CausalModel)")
        }
        return model
    }

    /// The rule side's derivation of the average effect of x on y.
    public mutating func derivation(_ query: Query) -> EffectDerivation {
        if rules == nil { rules = Identification(model: prepared) }
        guard let derived = rules!.derive(EffectQuery(.ate, treatment: query.x, outcome: query.y)) else {
            // The parents of x always form a valid adjustment set when every variable is observed.
            preconditionFailure("intervention: no adjustment set for \(query); this is a bug in axiomc")
        }
        return derived
    }

    public mutating func answer(_ query: Query) -> Bool { derivation(query).value > .zero }

    /// The sign of the effect by enumerating the mutilated model: 100ⁿ⁻¹ · P(y=1 | do(x=v)) for
    /// v = 1 and v = 0, as integers.
    public func effectSign(_ query: Query) -> Int {
        let s = sums(query, mutilated: true)
        return s.yx > s.yNotX ? 1 : s.yx < s.yNotX ? -1 : 0
    }

    /// Weights of the events y ∧ x, y ∧ ¬x, x and ¬x over 100ⁿ: every assignment's product of
    /// its nodes' table entries (x's own left out when `mutilated`: the model under do(x)).
    struct Sums {
        var yx: UInt128 = 0, yNotX: UInt128 = 0, x: UInt128 = 0, notX: UInt128 = 0
    }

    /// Enumerates the assignments depth first in topological order, so each node's table row is
    /// read once per partial assignment (2ⁿ⁺¹ products in all, not n · 2ⁿ).
    func sums(_ query: Query, mutilated: Bool) -> Sums {
        let model = prepared
        let order = self.order
        let xBit: UInt64 = 1 << UInt64(query.x)
        let yBit: UInt64 = 1 << UInt64(query.y)
        var s = Sums()
        func visit(_ depth: Int, _ a: UInt64, _ w: UInt128) {
            guard depth < order.count else {
                if a & xBit != 0 {
                    s.x += w
                    if a & yBit != 0 { s.yx += w }
                } else {
                    s.notX += w
                    if a & yBit != 0 { s.yNotX += w }
                }
                return
            }
            let v = order[depth]
            let bit: UInt64 = 1 << UInt64(v)
            if mutilated && bit == xBit {
                visit(depth + 1, a | bit, w)
                visit(depth + 1, a, w)
            } else {
                // The parents come earlier in the order, so their values are set in `a`.
                let p = UInt128(model.hundredthsOfOne(v, in: a))
                visit(depth + 1, a | bit, w * p)
                visit(depth + 1, a, w * (100 - p))
            }
        }
        visit(0, 0, 1)
        return s
    }

    public mutating func check(_ query: Query) -> Bool { effectSign(query) > 0 }

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

    public func explain(_ query: Query, proof: Proof, into explanation: inout Explanation) {
        explanation.removeAll()
    }

    public func replay(_ steps: [ParsedStep], last: ParsedStep, in replay: inout ExplanationReplay) {
        replay.fail(last, "intervention has no explanations to replay")
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
            \(verdict): P(\(y)=1 | do(\(x)=1)) - P(\(y)=1 | do(\(x)=0)) = \(derived.value) \
            (\(derived.value.decimal(places: 4))), by adjusting for {\(z)}.

            """
    }

    /// The edge cues, then `association-positive`.
    public func cues(_ query: Query, mention: [Int]) -> UInt32 {
        let model = prepared
        var bits = Cues.pair(query.x, query.y, graph: model.graph, mention: mention)
        if associationSign(query) > 0 { bits |= 1 << UInt32(Cues.pairNames.count) }
        return bits
    }

    /// The sign of P(y=1 | x=1) − P(y=1 | x=0) in the model's observational joint, compared as
    /// exact integers: W(y, x) · W(¬x) against W(y, ¬x) · W(x), weights over 100ⁿ (products of
    /// up to 256 bits, compared in full width).
    public func associationSign(_ query: Query) -> Int {
        let s = sums(query, mutilated: false)
        let left = s.yx.multipliedFullWidth(by: s.notX)
        let right = s.yNotX.multipliedFullWidth(by: s.x)
        return (left.high, left.low) > (right.high, right.low)
            ? 1 : (left.high, left.low) < (right.high, right.low) ? -1 : 0
    }

    public mutating func questionType(_ query: Query, label: Bool) -> Int {
        if label { return 0 }
        return effectSign(query) < 0 ? 1 : 2
    }
}
