/// The proof behind an answer, in node terms; what `nodes` means depends on `kind`, which the
/// task that made it declares (`Proof.Kind.causalChain` in `Transitivity.swift`, …).
public struct Proof: Sendable, Hashable {
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        public var name: String
        public init(_ name: String) { self.name = name }
        public var description: String { name }
    }
    public var kind: Kind
    public var nodes: [Int]

    public init(kind: Kind = Kind(""), nodes: [Int] = []) {
        self.kind = kind
        self.nodes = nodes
    }
}

/// Answers questions of any shipped task with the rule engine, and explains them.
///
/// `prepare(_:)` once per graph; then `answer`, `prove` and `explain` per question. Keeps one
/// value per task (its engine storage is reused across graphs).
public struct Reasoner: Sendable {
    private var tasks: [any CausalTask] = TaskCatalog.all()
    private var graph = CausalGraph()

    public init() {}

    /// Loads `graph`; facts are derived when a question needs them.
    public mutating func prepare(_ graph: CausalGraph) {
        self.graph = graph
        for i in tasks.indices { tasks[i].prepare(graph) }
    }

    /// Loads a causal model: tasks whose premise states one get the model, the others its graph.
    public mutating func prepare(_ model: CausalModel) {
        self.graph = model.graph
        for i in tasks.indices { tasks[i].prepare(model) }
    }

    private func slot(_ axiom: Axiom) -> Int {
        guard let i = tasks.firstIndex(where: { $0.axiom == axiom }) else {
            preconditionFailure("no task named '\(axiom)'")
        }
        return i
    }

    /// The label of `query` on the prepared graph by the rule engine: `true` is "Yes".
    public mutating func answer(_ query: Query) -> Bool {
        tasks[slot(query.axiom)].answer(query)
    }

    /// The label by the task's second algorithm.
    public mutating func check(_ query: Query) -> Bool {
        tasks[slot(query.axiom)].check(query)
    }

    /// Writes the proof of `query`'s answer into `proof`, reusing its storage.
    public mutating func explain(_ query: Query, into proof: inout Proof) {
        tasks[slot(query.axiom)].prove(query, into: &proof)
    }

    /// The explanation steps of `proof` for `query`.
    public mutating func steps(_ query: Query, proof: Proof, into explanation: inout Explanation) {
        tasks[slot(query.axiom)].explain(query, proof: proof, into: &explanation)
    }

    /// A plain-text answer and proof for the terminal.
    public mutating func describe(_ query: Query, names: [String]) -> String {
        tasks[slot(query.axiom)].describe(query, names: names)
    }

    /// The transitivity engine after deriving every effect of `source` (to read derivations).
    public mutating func causalFacts(from source: Int) -> RuleEngine {
        var t = Transitivity()
        t.prepare(graph)
        return t.facts(from: source)
    }
}
