extension Axiom {
    public static let transitivity = Axiom("transitivity")
}

extension Proof.Kind {
    /// Transitivity, Yes: `nodes` is a directed path x → … → y.
    public static let causalChain = Proof.Kind("causal-chain")
    /// Transitivity, No: `nodes` are all of x's effects (y is not among them).
    public static let noCausalChain = Proof.Kind("no-causal-chain")
}

/// "Does x cause y?": Yes iff a directed path x → … → y is stated.
public struct Transitivity: CausalTask {
    // Predicates of `program`.
    public static let edge = 0
    public static let causes = 1
    public static let source = 2

    /// `source(a), edge(a,b) ⊢ causes(a,b)`; `causes(a,b), edge(b,c) ⊢ causes(a,c)`.
    ///
    /// Transitivity, `causes(a,b), causes(b,c) ⊢ causes(a,c)`, with its second premise a stated
    /// edge and its first anchored at the asked cause (`source`): the goal-directed (magic-set)
    /// form of the same axiom. It derives exactly the effects of one node, in time linear in
    /// the edges it reaches, and every derivation is a causal chain read left to right.
    public static let program: RuleProgram = try! RuleProgram(
        predicates: [Predicate("edge", arity: 2), Predicate("causes", arity: 2), Predicate("source", arity: 1)],
        rules: [
            Rule("stated", [Atom(source, 0), Atom(edge, 0, 1)], Atom(causes, 0, 1)),
            Rule("transitivity", [Atom(causes, 0, 1), Atom(edge, 1, 2)], Atom(causes, 0, 2)),
        ]
    )

    public var axiom: Axiom { .transitivity }
    public var summary: String { "Does x cause y? Yes iff a directed path x → … → y is stated." }
    public var shape: QuestionShape { [] }
    public var program: RuleProgram { Self.program }
    /// Yes: `quote` (a stated edge a → b of a shortest chain, in the premise's own sentence),
    /// then `step` (x causes a and a causes b, so x causes b). No: `effects` (x's children),
    /// `reach` (the new effects of one reached node, layer by layer), `reached-all`; or
    /// `no-effects` when x causes nothing.
    public var explanationForms: [ExplanationForm] {
        [
            ExplanationForm("quote", slots: ["a", "b", "quote"]),
            ExplanationForm("step", slots: ["a", "b", "c", "x", "y"]),
            ExplanationForm("effects", slots: ["a", "list"]), ExplanationForm("reach", slots: ["a", "list"]),
            ExplanationForm("reached-all", slots: ["x", "y"]), ExplanationForm("no-effects", slots: ["x", "y"]),
        ]
    }
    /// The search from x (`search-start`, `search-edge`), then `search-found` or `reached-all`.
    public var searchForms: [ExplanationForm] {
        Explanation.searchStepForms + [
            ExplanationForm("search-found", slots: ["x", "y"]), ExplanationForm("reached-all", slots: ["x", "y"]),
        ]
    }
    public var askExamples: [String] { ["A cause B"] }
    public var cueNames: [String] { Cues.pairNames }
    public var typeNames: [String] { ["yes-direct", "yes-chain", "no-reverse-path", "no-unconnected"] }
    public var typeLabels: [Bool] { [true, true, false, false] }

    private var engine = RuleEngine(program: Transitivity.program)
    private var oracles = Oracles()
    private var graph = CausalGraph()
    private var causesFrom: Int? = nil

    public init() {}

    public mutating func prepare(_ graph: CausalGraph) {
        self.graph = graph
        causesFrom = nil
        oracles.forgetSource()
    }

    /// The engine after deriving every effect of `source` in the prepared graph (to read
    /// derivations).
    public mutating func facts(from source: Int) -> RuleEngine {
        derive(from: source)
        return engine
    }

    private mutating func derive(from x: Int) {
        if causesFrom == x { return }
        engine.begin(nodeCount: graph.nodeCount)
        for e in graph.edges { engine.state(Self.edge, e.from, e.to) }
        engine.state(Self.source, x)
        engine.run()
        causesFrom = x
    }

    public mutating func answer(_ query: Query) -> Bool {
        derive(from: query.x)
        return query.x != query.y && engine.holds(Self.causes, query.x, query.y)
    }

    public mutating func check(_ query: Query) -> Bool {
        oracles.causes(from: query.x, to: query.y, in: graph)
    }

    public mutating func prove(_ query: Query, into proof: inout Proof) {
        proof.nodes.removeAll(keepingCapacity: true)
        if answer(query) {
            proof.kind = .causalChain
            engine.appendChain(of: Fact(Self.causes, query.x, query.y), through: Self.causes, into: &proof.nodes)
        } else {
            proof.kind = .noCausalChain
            for v in 0..<graph.nodeCount where engine.holds(Self.causes, query.x, v) { proof.nodes.append(v) }
        }
    }

    /// Yes: a shortest chain x → … → y (breadth-first), each edge quoted, combined left to right.
    /// No: x's effects by breadth-first layers until nothing new is reached.
    ///
    /// - Complexity: O(nodes + edges); at most 2 · hops steps (Yes) or reached nodes + 2 (No).
    public func explain(_ query: Query, proof: Proof, into e: inout Explanation) {
        e.removeAll()
        let x = query.x
        let y = query.y
        if proof.kind == .causalChain {
            e.addShortestChain(from: x, to: y, in: graph, x: x, y: y)
        } else if graph.outDegree(of: x) == 0 {
            e.add("no-effects", x: x, y: y)
        } else {
            e.addLayers(from: x, in: graph, first: "effects", next: "reach", x: x, y: y)
            e.add("reached-all", x: x, y: y)
        }
    }

    /// Everything x reaches, breadth-first, whatever y is; then whether y is among it.
    ///
    /// - Complexity: O(nodes + edges); reached nodes + 2 steps.
    public func explainSearch(_ query: Query, into e: inout Explanation) {
        e.removeAll()
        let (x, y) = (query.x, query.y)
        e.addSearch(from: x, in: graph, x: x, y: y)
        e.add(x != y && e.marks[y] >= 0 ? "search-found" : "reached-all", x: x, y: y)
    }

    public mutating func describe(_ query: Query, names: [String]) -> String {
        var proof = Proof()
        prove(query, into: &proof)
        let x = names[query.x]
        let y = names[query.y]
        var out = ""
        if proof.kind == .causalChain {
            out += "Yes: \(x) causes \(y).\nProof:\n"
            let path = proof.nodes
            for i in 0..<(path.count - 1) { out += "  \(names[path[i]]) causes \(names[path[i + 1]])  (stated)\n" }
            for i in 2..<max(2, path.count) {
                out +=
                    "  \(x) causes \(names[path[i - 1]]) and \(names[path[i - 1]]) causes \(names[path[i]]), so \(x) causes \(names[path[i]])  (transitivity)\n"
            }
        } else {
            let effects = proof.nodes.map { names[$0] }
            out +=
                "No: \(x) does not cause \(y).\nProof: the effects of \(x) are {\(effects.joined(separator: ", "))}, "
            out += "derived to a fixpoint by the transitivity rule; \(y) is not among them.\n"
        }
        return out
    }

    public func cues(_ query: Query, mention: [Int]) -> UInt32 {
        Cues.pair(query.x, query.y, graph: graph, mention: mention)
    }

    /// yes-direct: x → y stated; yes-chain: only longer paths; no-reverse-path: y ⇝ x;
    /// no-unconnected: no directed path either way.
    public mutating func questionType(_ query: Query, label: Bool) -> Int {
        if label { return graph.hasEdge(query.x, query.y) ? 0 : 1 }
        var reverse = Oracles()
        return reverse.causes(from: query.y, to: query.x, in: graph) ? 2 : 3
    }

    public func parseAsk(_ words: [String], lookup: (String) throws -> Int) throws -> Query? {
        guard words.count == 3, ["cause", "causes"].contains(words[1].lowercased()) else { return nil }
        let x = try lookup(words[0])
        let y = try lookup(words[2])
        guard x != y else { throw SyntaxError("ask about two different nodes") }
        return Query(.transitivity, x, y)
    }
}

extension RuleEngine {
    /// Appends the directed path a → … → b whose transitivity steps derived `fact` =
    /// `causes(a, b)`, a first: each step extends `causes(a, ·)` (its premise 0) by a stated
    /// edge, and the chain ends at a stated edge. (Transitivity's and Mediator's proofs.)
    func appendChain(of fact: Fact, through causes: Int, into nodes: inout [Int]) {
        let start = nodes.count
        var f = fact
        while let previous = premise(0, of: f), previous.predicate == causes {
            nodes.append(f.b)
            f = previous
        }
        nodes.append(f.b)
        nodes.append(f.a)
        nodes[start...].reverse()
    }
}
