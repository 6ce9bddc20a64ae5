/// What the tasks over causal models share: the model prepared, its enumeration (their second
/// algorithm) and its rule side (`Identification`, built on the first question and kept while
/// the same model is prepared again).
struct PreparedModel: Sendable {
    /// The task's name, for the message when a question comes before a model.
    let task: String
    /// Whether a model is prepared (`enumerationStore` then holds it; else an empty one).
    private var hasModel = false
    private var enumerationStore = ModelEnumeration()
    private var rules: Identification?
    private var separation: DSeparation?
    /// The last derivation (answer, proof and explanation of one question ask for it in turn).
    private var lastDerived: EffectDerivation?

    init(task: String) { self.task = task }

    /// A graph without tables: no question can be asked until a model is prepared.
    mutating func clear() {
        hasModel = false
        rules = nil
        separation = nil
        lastDerived = nil
    }

    /// Preparing the same model again (after each question) keeps its derivations.
    mutating func prepare(_ model: CausalModel) {
        if hasModel {
            guard model != enumerationStore.model else { return }
            if enumerationStore.model.graph == model.graph {
                enumerationStore.replaceTables(with: model)
            } else {
                enumerationStore = ModelEnumeration(model)
            }
        } else {
            enumerationStore = ModelEnumeration(model)
        }
        hasModel = true
        rules = nil
        separation = nil
        lastDerived = nil
    }

    /// The prepared model (read in place: the twin search asks it of many models).
    var current: CausalModel {
        _read {
            precondition(hasModel, "\(task) questions need a causal model: prepare(_: CausalModel)")
            yield enumerationStore.model
        }
    }

    /// The prepared model's enumeration (read in place, not copied).
    var enumeration: ModelEnumeration {
        _read {
            precondition(hasModel, "\(task) questions need a causal model: prepare(_: CausalModel)")
            yield enumerationStore
        }
    }

    /// The rule side's derivation of `kind` for (x, y).
    mutating func derive(_ kind: EffectKind, _ query: Query) -> EffectDerivation {
        let effect = EffectQuery(kind, treatment: query.x, outcome: query.y)
        if let lastDerived, lastDerived.query == effect { return lastDerived }
        if rules == nil { rules = Identification(model: current) }
        guard let derived = rules!.derive(effect) else {
            // The parents of x always form a valid adjustment set when every variable is observed.
            preconditionFailure("\(task): no adjustment set for \(query); this is a bug in axiomc")
        }
        lastDerived = derived
        return derived
    }

    /// The names of the cues of a task asking `kind`: the edge cues of (x, y), then the signs of
    /// the two quantities it does not ask, in the order association, average effect, effect on
    /// the treated (a twin keeps them all, so none predicts the label).
    static func cueNames(asking kind: EffectKind) -> [String] {
        let signs: [(EffectKind, String)] = [
            (.association, "association-positive"), (.ate, "effect-positive"), (.ett, "treated-effect-positive"),
        ]
        return Cues.pairNames + signs.filter { $0.0 != kind }.map(\.1)
    }

    /// The cue bits `cueNames(asking: kind)` names, for (x, y) of the prepared model.
    func cues(_ query: Query, mention: [Int], asking kind: EffectKind) -> UInt32 {
        var bits = Cues.pair(query.x, query.y, graph: current.graph, mention: mention)
        let signs = enumeration.signs(treatment: query.x, outcome: query.y, skipping: kind)
        var bit = UInt32(Cues.pairNames.count)
        func add(_ quantity: EffectKind, _ sign: Int) {
            guard quantity != kind else { return }
            if sign > 0 { bits |= 1 << bit }
            bit += 1
        }
        add(.association, signs.association)
        add(.ate, signs.effect)
        add(.ett, signs.treatedEffect)
        return bits
    }

    /// The rule engine's d-separation rules on the model's graph.
    mutating func separated(_ x: Int, _ y: Int) -> Bool {
        if separation == nil {
            separation = DSeparation()
            separation!.prepare(current.graph)
        }
        return separation!.answer(Query(.dSeparation, x, y))
    }
}
