/// What the three questions over a causal model share (`Association`, `Intervention`,
/// `TreatedEffect`): one quantity of (x, y) asked, whether it is positive. Each task states its
/// quantity, its explanation steps, its rules and its proof; the premise style, the explanation
/// and its replay, the cues (the neighbouring rungs' signs), the question types and the second
/// algorithm's signs follow from the quantity here.
protocol ModelQuestion: CausalTask {
    /// The quantity asked: `.association`, `.ate` or `.ett`.
    static var quantity: EffectKind { get }
    /// Its explanation steps (`EffectSteps.association`, `.averageEffect`, `.treatedEffect`).
    static var steps: EffectSteps { get }
    /// The model prepared, its enumeration and the rule side's derivations.
    var prepared: PreparedModel { get set }
}

extension ModelQuestion {
    public var shape: QuestionShape { [] }
    public var premiseStyle: PremiseStyle { .model }
    public var difficulty: Difficulty { .model }
    /// The formula, its summands with their numbers, the sum; only the conclusion depends on the
    /// label, so the same steps serve the `search` style.
    public var explanationForms: [ExplanationForm] { Self.steps.forms }
    public var searchForms: [ExplanationForm] { Self.steps.forms }
    /// The edge cues of (x, y), then the signs of the two quantities the task does not ask.
    public var cueNames: [String] { PreparedModel.cueNames(asking: Self.quantity) }
    /// Types: the quantity is positive (Yes), negative, or exactly 0 (both No).
    public var typeLabels: [Bool] { [true, false, false] }

    public mutating func prepare(_ graph: CausalGraph) { prepared.clear() }

    /// Preparing the same model again (after each question) keeps its derivations.
    public mutating func prepare(_ model: CausalModel) { prepared.prepare(model) }

    /// The second algorithm: the sign of the asked quantity by enumeration (`ModelEnumeration`).
    public mutating func check(_ query: Query) -> Bool { sign(query) > 0 }

    public mutating func explain(_ query: Query, proof: Proof, into explanation: inout Explanation) {
        prepared.explain(Self.quantity, Self.steps, query, into: &explanation)
    }

    public mutating func explainSearch(_ query: Query, into explanation: inout Explanation) {
        prepared.explain(Self.quantity, Self.steps, query, into: &explanation)
    }

    public func replay(_ steps: [ParsedStep], last: ParsedStep, in replay: inout ExplanationReplay) {
        replay.replayEffect(steps, last: last, kind: Self.quantity, names: Self.steps)
    }

    /// The edge cues, then the signs of the quantities the task does not ask.
    public func cues(_ query: Query, mention: [Int]) -> UInt32 {
        prepared.cues(query, mention: mention, asking: Self.quantity)
    }

    public mutating func questionType(_ query: Query, label: Bool) -> Int {
        if label { return 0 }
        return sign(query) < 0 ? 1 : 2
    }

    /// The proof of an effect (average, or on the treated): `noDirectedPath` when y is no
    /// descendant of x, else raises or does not raise with the adjustment set the rules chose.
    mutating func proveEffect(_ query: Query, into proof: inout Proof) {
        let derived = prepared.derive(Self.quantity, query)
        proof.nodes.removeAll(keepingCapacity: true)
        switch derived.route {
        case .noDirectedPath: proof.kind = .noDirectedPath
        default:
            proof.kind = derived.value > .zero ? .effectRaises : .effectDoesNotRaise
            proof.nodes.append(contentsOf: derived.adjustment)
        }
    }

    /// The sign of the asked quantity, enumerated.
    func sign(_ query: Query) -> Int {
        switch Self.quantity {
        case .association: associationSign(query)
        case .ate: effectSign(query)
        case .ett: treatedEffectSign(query)
        case .nde, .nie: preconditionFailure("a model question asks no natural effect")
        }
    }

    /// The sign of P(y=1 | x=1) − P(y=1 | x=0) in the model's observational joint, enumerated.
    public func associationSign(_ query: Query) -> Int {
        prepared.enumeration.associationSign(treatment: query.x, outcome: query.y)
    }

    /// The sign of P(y=1 | do(x=1)) − P(y=1 | do(x=0)), enumerated in the mutilated model.
    public func effectSign(_ query: Query) -> Int {
        prepared.enumeration.effectSign(treatment: query.x, outcome: query.y)
    }

    /// The sign of the effect on the treated, enumerating the factual x beside the world where x
    /// was set to 0.
    public func treatedEffectSign(_ query: Query) -> Int {
        prepared.enumeration.treatedEffectSign(treatment: query.x, outcome: query.y)
    }
}
