/// The causal axioms axiomc teaches.
public enum Axiom: String, Sendable, Hashable, CaseIterable, Codable {
    case transitivity
    case dSeparation = "d-separation"
}

/// A question about a graph: "Does x cause y?" or "Are x and y d-separated given `given`?".
public struct Query: Sendable, Hashable {
    public var axiom: Axiom
    public var x: Int
    public var y: Int
    /// The conditioning set, ascending; always empty for transitivity.
    public var given: [Int]

    public init(_ axiom: Axiom, _ x: Int, _ y: Int, given: [Int] = []) {
        self.axiom = axiom
        self.x = x
        self.y = y
        self.given = given
    }
}

/// The rule programs of the shipped axioms, as data for `RuleEngine`.
public enum CausalRules {
    // Transitivity.
    public static let edge = 0
    public static let causes = 1
    public static let source = 2

    /// `source(a), edge(a,b) ⊢ causes(a,b)`; `causes(a,b), edge(b,c) ⊢ causes(a,c)`.
    ///
    /// Transitivity, `causes(a,b), causes(b,c) ⊢ causes(a,c)`, with its second premise a stated
    /// edge and its first anchored at the asked cause (`source`): the goal-directed (magic-set)
    /// form of the same axiom. It derives exactly the effects of one node, in time linear in
    /// the edges it reaches, and every derivation is a causal chain read left to right.
    public static let transitivity: RuleProgram = try! RuleProgram(
        predicates: [Predicate("edge", arity: 2), Predicate("causes", arity: 2), Predicate("source", arity: 1)],
        rules: [
            Rule("stated", [Atom(source, 0), Atom(edge, 0, 1)], Atom(causes, 0, 1)),
            Rule("transitivity", [Atom(causes, 0, 1), Atom(edge, 1, 2)], Atom(causes, 0, 2)),
        ]
    )

    // D-separation (active trails; Koller & Friedman's "reachable", as rules).
    public static let given = 1
    public static let free = 2
    public static let observedDescendant = 3
    public static let trailUp = 4
    public static let trailDown = 5

    /// Active-trail rules. `trailUp(v)`: an active trail from x reaches v, entering from a child
    /// of v (or v = x); `trailDown(v)`: entering from a parent. `free(v)`: v ∉ Z;
    /// `observedDescendant(v)`: v or a descendant of v is in Z.
    public static let dSeparation: RuleProgram = try! RuleProgram(
        predicates: [
            Predicate("edge", arity: 2), Predicate("given", arity: 1), Predicate("free", arity: 1),
            Predicate("observed-descendant", arity: 1), Predicate("trail-up", arity: 1),
            Predicate("trail-down", arity: 1),
        ],
        rules: [
            Rule("observed", [Atom(given, 0)], Atom(observedDescendant, 0)),
            Rule("observed-ancestor", [Atom(edge, 0, 1), Atom(observedDescendant, 1)], Atom(observedDescendant, 0)),
            // Chain or fork, moving against an edge: v unobserved, continue to its parent.
            Rule("up-to-parent", [Atom(trailUp, 0), Atom(free, 0), Atom(edge, 1, 0)], Atom(trailUp, 1)),
            // Fork at v: entered from a child, v unobserved, leave to another child.
            Rule("fork", [Atom(trailUp, 0), Atom(free, 0), Atom(edge, 0, 1)], Atom(trailDown, 1)),
            // Chain along edges: v unobserved, continue to its child.
            Rule("chain", [Atom(trailDown, 0), Atom(free, 0), Atom(edge, 0, 1)], Atom(trailDown, 1)),
            // Collider at v with v or a descendant observed: turn up to another parent.
            Rule("collider", [Atom(trailDown, 0), Atom(observedDescendant, 0), Atom(edge, 1, 0)], Atom(trailUp, 1)),
        ]
    )
}

/// The proof behind an answer, in node terms.
public struct Proof: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// Transitivity, Yes: `nodes` is a directed path x → … → y.
        case causalChain
        /// Transitivity, No: `nodes` are all of x's effects (y is not among them).
        case noCausalChain
        /// D-separation, No: `nodes` is an active trail x … y given Z.
        case activeTrail
        /// D-separation, Yes: `nodes` are all nodes an active trail from x reaches (not y).
        case allTrailsBlocked
    }
    public var kind: Kind
    public var nodes: [Int]

    public init(kind: Kind = .causalChain, nodes: [Int] = []) {
        self.kind = kind
        self.nodes = nodes
    }
}

/// Answers queries with the rule engine and explains them from its derivations.
///
/// `prepare(_:)` once per graph (transitivity is derived once for all pairs); then `answer`
/// and `explain` per query. D-separation is derived per query, since facts depend on Z.
public struct Reasoner: Sendable {
    private var transitivity = RuleEngine(program: CausalRules.transitivity)
    private var dSeparation = RuleEngine(program: CausalRules.dSeparation)
    private var graph = CausalGraph()
    private var lastDSep: (x: Int, given: [Int])? = nil
    private var mark: [Bool] = []

    public init() {}

    private var causesFrom: Int? = nil

    /// Loads `graph`; facts are derived when a question needs them.
    public mutating func prepare(_ graph: CausalGraph) {
        self.graph = graph
        causesFrom = nil
        lastDSep = nil
    }

    /// The transitivity engine after deriving every effect of `source` in the prepared graph
    /// (to read derivations).
    public mutating func causalFacts(from source: Int) -> RuleEngine {
        deriveCauses(from: source)
        return transitivity
    }

    private mutating func deriveCauses(from x: Int) {
        if causesFrom == x { return }
        transitivity.begin(nodeCount: graph.nodeCount)
        for e in graph.edges { transitivity.state(CausalRules.edge, e.from, e.to) }
        transitivity.state(CausalRules.source, x)
        transitivity.run()
        causesFrom = x
    }

    /// The label of `query` on the prepared graph: `true` is "Yes".
    public mutating func answer(_ query: Query) -> Bool {
        switch query.axiom {
        case .transitivity:
            deriveCauses(from: query.x)
            return query.x != query.y && transitivity.holds(CausalRules.causes, query.x, query.y)
        case .dSeparation:
            deriveTrails(from: query.x, given: query.given)
            return !dSeparation.holds(CausalRules.trailUp, query.y)
                && !dSeparation.holds(CausalRules.trailDown, query.y)
        }
    }

    private mutating func deriveTrails(from x: Int, given: [Int]) {
        if let last = lastDSep, last.x == x, last.given == given { return }
        let n = graph.nodeCount
        dSeparation.begin(nodeCount: n)
        for e in graph.edges { dSeparation.state(CausalRules.edge, e.from, e.to) }
        if mark.count != n { mark = Array(repeating: false, count: n) }
        for z in given { mark[z] = true }
        for v in 0..<n {
            if mark[v] { dSeparation.state(CausalRules.given, v) } else { dSeparation.state(CausalRules.free, v) }
        }
        for z in given { mark[z] = false }
        dSeparation.state(CausalRules.trailUp, x)
        dSeparation.run()
        lastDSep = (x, given)
    }

    /// Writes the proof of `query`'s answer into `proof`, reusing its storage.
    public mutating func explain(_ query: Query, into proof: inout Proof) {
        proof.nodes.removeAll(keepingCapacity: true)
        let yes = answer(query)
        switch (query.axiom, yes) {
        case (.transitivity, true):
            proof.kind = .causalChain
            appendPath(Fact(CausalRules.causes, query.x, query.y), into: &proof.nodes)
        case (.transitivity, false):
            proof.kind = .noCausalChain
            for v in 0..<graph.nodeCount where transitivity.holds(CausalRules.causes, query.x, v) {
                proof.nodes.append(v)
            }
        case (.dSeparation, false):
            proof.kind = .activeTrail
            var f = dSeparation.holds(CausalRules.trailUp, query.y)
                ? Fact(CausalRules.trailUp, query.y) : Fact(CausalRules.trailDown, query.y)
            // Every trail rule keeps the trail fact it extends as premise 0.
            while true {
                proof.nodes.append(f.a)
                guard let previous = dSeparation.premise(0, of: f) else { break }
                f = previous
            }
            proof.nodes.reverse()
            if Set(proof.nodes).count != proof.nodes.count {
                proof.nodes = Trails.simplify(proof.nodes, in: graph, given: query.given)
            }
        case (.dSeparation, true):
            proof.kind = .allTrailsBlocked
            for v in 0..<graph.nodeCount where v != query.x
                && (dSeparation.holds(CausalRules.trailUp, v) || dSeparation.holds(CausalRules.trailDown, v)) {
                proof.nodes.append(v)
            }
        }
    }

    /// Appends the nodes of the derivation of `causes(x, y)`: the directed path it followed.
    private func appendPath(_ fact: Fact, into nodes: inout [Int]) {
        let start = nodes.count
        var f = fact
        // Each transitivity step extends causes(x, b) by the stated edge b → c (premise 0 is
        // causes(x, b)); the chain ends at a stated edge.
        while let previous = transitivity.premise(0, of: f), previous.predicate == CausalRules.causes {
            nodes.append(f.b)
            f = previous
        }
        nodes.append(f.b)
        nodes.append(f.a)
        nodes[start...].reverse()
    }
}
